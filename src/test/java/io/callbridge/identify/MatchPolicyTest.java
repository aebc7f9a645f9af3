package io.callbridge.identify;

import io.callbridge.crm.Candidate;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Several records hold the number: the match policy picks one. */
class MatchPolicyTest {

    @Test
    void thePolicyPrefersContactsThenTheMostRecentlyModified() {
        Candidate lead = new Candidate("salesforce", Candidate.LEAD, "00Q1");
        lead.lastModified = java.time.Instant.parse("2026-11-28T10:00:00Z");
        Candidate old = new Candidate("salesforce", Candidate.CONTACT, "0031");
        old.lastModified = java.time.Instant.parse("2026-01-01T00:00:00Z");
        Candidate recent = new Candidate("salesforce", Candidate.CONTACT, "0032");
        recent.lastModified = java.time.Instant.parse("2026-06-01T00:00:00Z");
        var all = java.util.List.of(lead, old, recent);
        assertThat(MatchPolicy.parse(null).pick(all)).isSameAs(recent);
        assertThat(MatchPolicy.parse("lead-first,most-recent").pick(all)).isSameAs(lead);
        assertThat(MatchPolicy.parse("contact-first,least-recent").pick(all)).isSameAs(old);
        assertThat(MatchPolicy.parse("most-recent").pick(all)).isSameAs(lead);
    }
}
