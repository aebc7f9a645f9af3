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
     * The most numbers one search request can look up together (the CRM's filter limits); 1 when each number needs a
     * request of its own.
     */
    default int numbersPerSearch() {
        return 1;
    }

    /**
     * Records that may hold any of the numbers (at most {@link #numbersPerSearch()}), unconfirmed, in one request; the
     * shared mechanism sorts them to their numbers by confirming each.
     */
    default CompletableFuture<List<Candidate>> candidates(List<String> e164s, PhoneFormats formats) {
        if (e164s.size() != 1) {
            throw new IllegalArgumentException(crm() + " searches one number per request, not " + e164s.size());
        }
        return candidates(e164s.get(0), formats);
    }

    /**
     * Each number searched on its own, one after the other, their candidates together: for a search of several numbers
     * whose one page could not hold every match. One after the other, as these requests are not paced by the window.
     */
    default CompletableFuture<List<Candidate>> candidatesOneByOne(List<String> e164s, PhoneFormats formats) {
        CompletableFuture<List<Candidate>> all = CompletableFuture.completedFuture(new java.util.ArrayList<>());
        for (String e164 : e164s) {
            all = all.thenCompose(found -> candidates(e164, formats).thenApply(more -> {
                found.addAll(more);
                return found;
            }));
        }
        return all;
    }

    /**
     * The rate-limit window the CRM counts searches against, which delivery's own searches share; null when nothing
     * paces them here (the CRM's limit is a daily allocation).
     */
    default RateWindow searchWindow() {
        return null;
    }

    /**
     * Every record this search could find, for a caller directory; null when the CRM cannot be listed here.
     */
    default CallerListing listing() {
        return null;
    }

    /** The rate-limit window a listing's requests count against (delivery's); null when nothing paces them here. */
    default RateWindow listingWindow() {
        return null;
    }

    /** This search, paced by {@code window}; its listing by {@code general}. */
    static CallerSearch paced(CallerSearch search, RateWindow window, RateWindow general) {
        return new CallerSearch() {
            @Override
            public String crm() {
                return search.crm();
            }

            @Override
            public CompletableFuture<List<Candidate>> candidates(String e164, PhoneFormats formats) {
                return search.candidates(e164, formats);
            }

            @Override
            public int numbersPerSearch() {
                return search.numbersPerSearch();
            }

            @Override
            public CompletableFuture<List<Candidate>> candidates(List<String> e164s, PhoneFormats formats) {
                return search.candidates(e164s, formats);
            }

            @Override
            public RateWindow searchWindow() {
                return window;
            }

            @Override
            public CallerListing listing() {
                return search.listing();
            }

            @Override
            public RateWindow listingWindow() {
                return general;
            }

            @Override
            public CompletableFuture<List<Candidate>> complete(List<Candidate> confirmed, boolean full) {
                return search.complete(confirmed, full);
            }

            @Override
            public void prepare() {
                search.prepare();
            }
        };
    }

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
