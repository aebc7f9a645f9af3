package io.callbridge.crm.rest;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.callbridge.mapping.CrmRequest;

/**
 * What differs between two plain-REST CRMs behind the one connector ({@link RestConnector}): how a
 * request is authenticated, which requests count against the search limit, what the rate-limit
 * headers say, and how a contact looks in an answer.
 */
public interface RestDialect {

    /** The rate-limit state one answer announces for the window the request counted against. */
    record RateInfo(long max, long windowMs, long remaining, long resetMs) {
        static final RateInfo NONE = new RateInfo(-1, -1, -1, -1);
    }

    String crm();

    /** The authentication header(s) of every request. */
    Map<String, String> authHeaders();

    /** Whether the request counts against the CRM's search limit rather than its general one. */
    boolean isSearch(String method, String path);

    /** Whether the headers of a search answer describe the search window (else the general one). */
    boolean searchAnswersDescribeSearchWindow();

    RateInfo rateInfo(Map<String, String> headers);

    /** A 429 that will not pass before a daily quota resets (the breaker opens rather than retry). */
    boolean quotaExhausted(int status, Map<String, String> headers, String body);

    /** The caller's record in the shape templates read ({@code id, type, ownerId, record}), from a create or read answer. */
    JsonNode contact(JsonNode answer);

    /**
     * A create of this command's record answered as a duplicate: the record exists already (a crash
     * after the CRM wrote it, or a search index that did not show it to {@code find} yet).
     */
    boolean alreadyExists(CrmRequest request, int status, String body);

    /**
     * After a create-contact answered as a duplicate of {@code key}: the request reading the existing
     * contact, or null when the CRM cannot say which one.
     */
    CrmRequest existingContact(String key, String commandIdField, int status, String body);

    /** A cheap authenticated read that tells whether the CRM answers at all. */
    String probePath();
}
