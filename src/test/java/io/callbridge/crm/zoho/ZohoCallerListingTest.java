package io.callbridge.crm.zoho;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.callbridge.crm.CallerListing;
import io.callbridge.crm.Candidate;
import io.callbridge.crm.CrmHttp;
import io.callbridge.crm.CrmMetrics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The directory's reading of Zoho against the sandbox over HTTP: every Contact, then every unconverted Lead, past a page
 * by {@code next_page_token}; changed records read again by id in either module, a deleted contact or a converted lead
 * not answered; each read as the search reads it.
 */
class ZohoCallerListingTest {

    private static final int CONTACTS = 450;

    private static ZohoFixture.Org org;
    private static ZohoCallerListing listing;
    private static List<String> contactIds;
    private static List<String> leadIds;

    @BeforeAll
    static void start() {
        org = ZohoFixture.Org.start(Map.of());
        StringBuilder seed = new StringBuilder("{\"Contacts\":[");
        for (int i = 0; i < CONTACTS; i++) {
            seed.append(i == 0 ? "" : ",").append("{\"Last_Name\":\"C").append(i).append("\",\"Phone\":\"+4179555").append(String.format("%04d", i))
                    .append("\"}");
        }
        seed.append("],\"Leads\":[{\"Last_Name\":\"Open\",\"Company\":\"Open AG\",\"Mobile\":\"+41795560001\"},"
                + "{\"Last_Name\":\"Converted\",\"Company\":\"Gone AG\",\"Phone\":\"+41795560002\",\"$converted\":true}]}");
        org.admin("POST", "/seed", seed.toString());
        contactIds = org.all("Contacts").stream().map(r -> r.get("id").asText()).toList();
        leadIds = org.all("Leads").stream().map(r -> r.get("id").asText()).toList();
        CrmHttp http = new CrmHttp(Duration.ofSeconds(10), CrmMetrics.none());
        ZohoAuth auth = new ZohoAuth(http, org.accountsUrl(), ZohoFixture.CLIENT_ID, ZohoFixture.CLIENT_SECRET, ZohoFixture.REFRESH_TOKEN,
                null, 300, 10, Clock.systemUTC());
        ZohoCallerSearch search = new ZohoCallerSearch(http, auth, List.of("Phone", "Mobile"), List.of("Phone", "Mobile"));
        listing = (ZohoCallerListing) search.listing();
    }

    @AfterAll
    static void stop() {
        org.close();
    }

    @Test
    void everyContactThenEveryUnconvertedLeadIsListedPastTheFirstPageByItsToken() throws Exception {
        List<Candidate> listed = new ArrayList<>();
        List<String> cursors = new ArrayList<>();
        String cursor = null;
        do {
            CallerListing.Page page = listing.page(cursor).get();
            page.records().forEach(r -> {
                Candidate c = listing.candidate(r);
                assertThat(listing.id(r)).isEqualTo(c.id);
                listed.add(c);
            });
            cursor = page.next();
            cursors.add(cursor);
        } while (cursor != null);

        // the other test deletes a contact: what the org holds now
        List<String> contacts = org.all("Contacts").stream().map(r -> r.get("id").asText()).toList();
        assertThat(listed).extracting(c -> c.id).containsExactlyElementsOf(concat(contacts, leadIds.subList(0, 1)));
        assertThat(cursors).as("Contacts 200, 200, 50, then Leads").hasSize(4);
        assertThat(cursors.get(0)).startsWith("Contacts|").isNotEqualTo("Contacts|");
        assertThat(cursors.get(2)).isEqualTo("Leads|");
        Candidate lead = listed.get(contacts.size());
        assertThat(lead.type).isEqualTo(Candidate.LEAD);
        assertThat(lead.company).isEqualTo("Open AG");
        assertThat(lead.phones).containsExactly("+41795560001");
        Candidate contact = listed.get(7);
        assertThat(contact.type).isEqualTo(Candidate.CONTACT);
        assertThat(contact.lastName).isEqualTo("C7");
        assertThat(contact.phones).containsExactly("+41795550007");
        assertThat(requestsWith("page_token")).as("the second and third pages of Contacts").isEqualTo(2);
    }

    @Test
    void changedRecordsAreReadAgainByIdInEitherModuleAndOneInNeitherIsGone() throws Exception {
        String deleted = contactIds.get(CONTACTS - 1);
        assertThat(org.call("DELETE", "/Contacts/" + deleted, null).statusCode()).isEqualTo(200);

        List<JsonNode> read = listing.read(List.of(contactIds.get(3), leadIds.get(0), deleted, leadIds.get(1))).get();

        assertThat(read).extracting(listing::id).containsExactly(contactIds.get(3), leadIds.get(0));
        assertThat(read).extracting(r -> listing.candidate(r).type).containsExactly(Candidate.CONTACT, Candidate.LEAD);
        assertThat(listing.read(List.of(contactIds.get(4))).get()).as("all found in Contacts: Leads not asked").hasSize(1);
        assertThat(listing.readsPerRequest()).isEqualTo(100);
    }

    /** Requests the sandbox journaled with this query parameter. */
    private static long requestsWith(String param) {
        long n = 0;
        for (JsonNode r : org.requests()) {
            for (JsonNode p : r.path("params")) {
                if (p.asText().equals(param)) {
                    n++;
                }
            }
        }
        return n;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
