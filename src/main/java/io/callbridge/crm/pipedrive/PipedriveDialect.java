package io.callbridge.crm.pipedrive;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callbridge.crm.rest.RestDialect;
import io.callbridge.mapping.CrmRequest;

/**
 * Pipedrive API v1/v2: {@code .../search} has its own limit, and each answer's {@code x-ratelimit-limit},
 * {@code -remaining} and {@code -reset} (seconds) describe the window the request counted against.
 */
final class PipedriveDialect implements RestDialect {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public boolean isSearch(String method, String path) {
        return "GET".equals(method) && RestDialect.pathOnly(path).endsWith("/search");
    }

    @Override
    public boolean searchAnswersDescribeSearchWindow() {
        return true;
    }

    @Override
    public RestDialect.RateInfo rateInfo(Map<String, String> headers) {
        long reset = RestDialect.number(headers, "x-ratelimit-reset");
        return new RestDialect.RateInfo(RestDialect.number(headers, "x-ratelimit-limit"), -1,
                RestDialect.number(headers, "x-ratelimit-remaining"), reset < 0 ? -1 : reset * 1000);
    }

    @Override
    public boolean quotaExhausted(int status, Map<String, String> headers, String body) {
        return status == 429 && body != null && body.toLowerCase(java.util.Locale.ROOT).contains("daily");
    }

    @Override
    public JsonNode contact(CrmRequest request, JsonNode answer) {
        JsonNode p = answer.has("data") ? answer.get("data") : answer;
        ObjectNode c = JSON.createObjectNode();
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

    @Override
    public String recordId(JsonNode answer) {
        JsonNode id = answer.path("data").path("id");
        return id.isValueNode() ? id.asText() : null;
    }

    @Override
    public String probePath() {
        return "/v1/users/me";
    }
}
