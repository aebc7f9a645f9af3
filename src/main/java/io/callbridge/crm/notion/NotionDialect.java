package io.callbridge.crm.notion;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callbridge.crm.rest.RestDialect;
import io.callbridge.mapping.CrmRequest;
import io.callbridge.mapping.LiveMappings;

/**
 * Notion: one page per request (no batch endpoint), every request counted alike, answered with the page itself.
 * Notion has no unique property and no idempotency key, so nothing is refused as a duplicate: the templates'
 * {@code find} queries the command-id property before a create that may have happened. The only rate signal is
 * {@code Retry-After} on a 429 {@code rate_limited} (or 529 {@code service_overload}); a 409 {@code conflict_error}
 * (a write that collided with another) is read as 503, because Notion asks for it to be retried.
 */
final class NotionDialect implements RestDialect {

    /** Notion's code for a write that collided with another, which Notion asks to be retried. */
    private static final String CONFLICT = "conflict_error";

    private final LiveMappings mappings;

    NotionDialect(LiveMappings mappings) {
        this.mappings = mappings;
    }

    @Override
    public boolean isSearch(String method, String path) {
        String p = RestDialect.pathOnly(path);
        return "POST".equals(method) && (p.endsWith("/query") || p.equals("/v1/search"));
    }

    @Override
    public boolean searchAnswersDescribeSearchWindow() {
        return false;
    }

    /** Nothing is announced until Notion refuses: then nothing more until its {@code Retry-After} has passed. */
    @Override
    public RestDialect.RateInfo rateInfo(Map<String, String> headers) {
        long retryAfter = RestDialect.number(headers, "retry-after");
        return retryAfter < 0 ? RestDialect.RateInfo.NONE : new RestDialect.RateInfo(-1, -1, 0, retryAfter * 1000);
    }

    @Override
    public Verdict verdict(int status, Map<String, String> headers, String body) {
        if (status == 409 && body != null && body.contains("\"" + CONFLICT + "\"")) {
            return new Verdict(503, headers);
        }
        return new Verdict(status, headers);
    }

    /** Notion counts no daily quota: every 429 passes within its {@code Retry-After}. */
    @Override
    public boolean quotaExhausted(int status, Map<String, String> headers, String body) {
        return false;
    }

    /** Every answer Callbridge reads a contact from (create, update, read) is the page with all its properties. */
    @Override
    public JsonNode contact(CrmRequest request, JsonNode answer) {
        ObjectNode c = NotionPages.JSON.createObjectNode();
        c.put("id", answer.path("id").asText(""));
        c.put("type", "contact");
        String owner = NotionPages.firstPerson(answer, mappings.current().settings(NotionCrm.NAME).path("owner-property").asText("Owner"));
        if (owner != null) {
            c.put("ownerId", owner);
        }
        c.set("record", NotionPages.values(answer));
        return c;
    }

    @Override
    public String recordId(JsonNode answer) {
        return "page".equals(answer.path("object").asText()) ? answer.path("id").asText(null) : null;
    }

    /** The cheapest authenticated read: one user of the workspace. */
    @Override
    public String probePath() {
        return "/v1/users?page_size=1";
    }
}
