package io.callbridge.crm.rest;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callbridge.mapping.CrmRequest;

/**
 * Pipedrive API v1/v2: the company's API token ({@code x-api-token}) or an OAuth access token
 * (bearer); {@code .../search} has its own limit, and each answer's {@code x-ratelimit-limit},
 * {@code -remaining} and {@code -reset} (seconds) describe the window the request counted against.
 */
final class PipedriveDialect implements RestDialect {

    private final Map<String, String> auth;

    PipedriveDialect(String apiToken, String oauthToken) {
        this.auth = oauthToken != null ? Map.of("Authorization", "Bearer " + oauthToken) : Map.of("x-api-token", apiToken);
    }

    @Override
    public String crm() {
        return "pipedrive";
    }

    @Override
    public Map<String, String> authHeaders() {
        return auth;
    }

    @Override
    public boolean isSearch(String method, String path) {
        return "GET".equals(method) && RestConnector.pathOnly(path).endsWith("/search");
    }

    @Override
    public boolean searchAnswersDescribeSearchWindow() {
        return true;
    }

    @Override
    public RateInfo rateInfo(Map<String, String> headers) {
        long reset = HubSpotDialect.number(headers, "x-ratelimit-reset");
        return new RateInfo(HubSpotDialect.number(headers, "x-ratelimit-limit"), -1,
                HubSpotDialect.number(headers, "x-ratelimit-remaining"), reset < 0 ? -1 : reset * 1000);
    }

    @Override
    public boolean quotaExhausted(int status, Map<String, String> headers, String body) {
        return status == 429 && body != null && body.toLowerCase(java.util.Locale.ROOT).contains("daily");
    }

    @Override
    public JsonNode contact(JsonNode answer) {
        JsonNode p = answer.has("data") ? answer.get("data") : answer;
        ObjectNode c = RestConnector.JSON.createObjectNode();
        c.put("id", p.path("id").asText());
        c.put("type", "contact");
        JsonNode owner = p.path("owner_id");
        if (owner.isObject()) {
            owner = owner.path("id");
        }
        if (!owner.isMissingNode() && !owner.isNull()) {
            c.put("ownerId", owner.asText());
        }
        c.set("record", p.deepCopy());
        return c;
    }

    /** Pipedrive has no unique fields: a repeated create is prevented by looking first, never detected after. */
    @Override
    public boolean alreadyExists(CrmRequest request, int status, String body) {
        return false;
    }

    @Override
    public CrmRequest existingContact(String key, String commandIdField, int status, String body) {
        return null;
    }

    @Override
    public String probePath() {
        return "/v1/users/me";
    }
}
