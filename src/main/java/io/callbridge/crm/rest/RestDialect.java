package io.callbridge.crm.rest;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import io.callbridge.crm.Outcome;
import io.callbridge.mapping.CrmRequest;

/**
 * What differs between two plain-REST CRMs behind the one connector ({@link RestConnector}): which
 * requests count against the search limit, what the rate-limit headers say, how a contact and a record
 * id look in an answer, and how a duplicate is refused.
 */
public interface RestDialect {

    /** The rate-limit state one answer announces for the window the request counted against. */
    record RateInfo(long max, long windowMs, long remaining, long resetMs) {
        public static final RateInfo NONE = new RateInfo(-1, -1, -1, -1);
    }

    /** Whether the request counts against the CRM's search limit rather than its general one. */
    boolean isSearch(String method, String path);

    /** Whether the headers of a search answer describe the search window (else the general one). */
    boolean searchAnswersDescribeSearchWindow();

    RateInfo rateInfo(Map<String, String> headers);

    /** As {@link #rateInfo(Map)}, for a CRM that reports its budget in the answer's body (monday's complexity). */
    default RateInfo rateInfo(Map<String, String> headers, String body) {
        return rateInfo(headers);
    }

    /** The status and headers an answer is read with (header names in lower case). */
    record Verdict(int status, Map<String, String> headers) {
    }

    /**
     * How to read an answer: as received, unless the CRM answers failures with HTTP 200 and says the real status in
     * its body (GraphQL APIs): then that status, and the retry time it names as {@code Retry-After}.
     */
    default Verdict verdict(int status, Map<String, String> headers, String body) {
        return new Verdict(status, headers);
    }

    /** A 429 that will not pass before a daily quota resets (the breaker opens rather than retry). */
    boolean quotaExhausted(int status, Map<String, String> headers, String body);

    /**
     * The caller's record in the shape templates read ({@code id, type, ownerId, record}), from the answer to
     * {@code request} (a create, an update or a read of that record).
     */
    JsonNode contact(CrmRequest request, JsonNode answer);

    /** The id of the record a write answered, or null. */
    String recordId(JsonNode answer);

    /**
     * A create of this command's record answered as a duplicate: the record exists already (a crash
     * after the CRM wrote it, or a search index that did not show it to {@code find} yet). Never, for a CRM
     * without unique fields: there the templates' {@code find} looks first.
     */
    default boolean alreadyExists(CrmRequest request, int status, String body) {
        return false;
    }

    /**
     * After a create-contact answered as a duplicate of {@code key}: the request reading the existing
     * contact, or null when the CRM cannot say which one.
     */
    default CrmRequest existingContact(String key, String commandIdField, int status, String body) {
        return null;
    }

    /** A cheap authenticated read that tells whether the CRM answers at all. */
    String probePath();

    /** That read as a request (a GET of {@link #probePath} unless the CRM reads otherwise). */
    default CrmRequest probe() {
        return new CrmRequest("GET", probePath(), null, null);
    }

    /** Which batch request a request can join (the same key, the same batch), or null when it is sent on its own. */
    default String batchKey(CrmRequest request) {
        return null;
    }

    /** The most inputs one batch request takes. */
    default int maxBatch() {
        return 1;
    }

    /** Whether batch requests of one key go one after the other (monday: mutations on one board, one at a time). */
    default boolean oneBatchAtATimePerKey() {
        return false;
    }

    /** The fewest inputs worth a batch request; fewer are sent as they are. */
    default int minBatch() {
        return 2;
    }

    /** Error statuses whose batch answer still answers each input (read by {@link #batchOutcomes}, not raised). */
    default Set<Integer> perInputErrorStatuses() {
        return Set.of();
    }

    /** The request as it goes on the wire: what the CRM wants on every request besides the template's (e.g. flags). */
    default CrmRequest outgoing(CrmRequest request) {
        return request;
    }

    /** One batch request for requests of the same key, each input traced by its command's id ({@code traces}, in order). */
    default CrmRequest batch(List<CrmRequest> requests, List<String> traces) {
        throw new UnsupportedOperationException("no batch requests");
    }

    /** Per trace, the record a batch answer gives for its input (for a contact update: the caller's fresh fields). */
    default Map<String, JsonNode> batchResults(JsonNode answer) {
        return Map.of();
    }

    /** As {@link #batchResults(JsonNode)}, for a CRM that answers its inputs in order rather than by trace. */
    default Map<String, JsonNode> batchResults(JsonNode answer, List<String> traces) {
        return batchResults(answer);
    }

    /** Per trace, the outcome a batch answer gives its input; an input it does not mention is left out. */
    default Map<String, Outcome> batchOutcomes(int status, JsonNode answer, List<String> traces) {
        throw new UnsupportedOperationException("no batch requests");
    }

    /** As {@link #batchOutcomes(int, JsonNode, List)}, for a CRM whose answer is read against what each input sent. */
    default Map<String, Outcome> batchOutcomes(int status, JsonNode answer, List<CrmRequest> requests, List<String> traces) {
        return batchOutcomes(status, answer, traces);
    }

    /** A header's value as a number, -1 when absent or not a number. */
    static long number(Map<String, String> headers, String name) {
        String v = headers.get(name.toLowerCase(Locale.ROOT));
        if (v == null) {
            return -1;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    static String pathOnly(String path) {
        int q = path.indexOf('?');
        return q < 0 ? path : path.substring(0, q);
    }
}
