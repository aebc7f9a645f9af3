package io.callbridge.crm;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.callbridge.phone.PhoneFormats;

/**
 * What differs per CRM in caller identification: how to ask it, in as few round trips as it allows, for
 * the records that may hold a number. The shared mechanism ({@code identify.CallerIdentifier}) confirms
 * the candidates, applies the match policy, caches and keeps the deadline. Failures complete the future
 * with a {@link CrmException}.
 */
public interface CallerSearch {

    String crm();

    /** Records that may hold the number, unconfirmed; {@code formats} knows how the number may be typed. */
    CompletableFuture<List<Candidate>> candidates(String e164, PhoneFormats formats);

    /**
     * A chance to complete the confirmed candidates before the policy picks one (e.g. modification
     * dates a search result lacks, only needed when several matched). {@code full}: the caller wants
     * the whole raw record of the winner (a connector), not only what the profile shows.
     */
    default CompletableFuture<List<Candidate>> complete(List<Candidate> confirmed, boolean full) {
        return CompletableFuture.completedFuture(confirmed);
    }

    /** Called once at start: log in, load owner names, so the first lookup is not the slow one. */
    default void prepare() {
    }
}
