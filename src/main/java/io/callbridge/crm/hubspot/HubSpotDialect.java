package io.callbridge.crm.hubspot;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callbridge.crm.Outcome;
import io.callbridge.crm.rest.RestDialect;
import io.callbridge.mapping.CrmRequest;

/**
 * HubSpot CRM v3: searches ({@code POST
 * .../search}) have their own per-second limit and answer no header of their own for it, every
 * answer reports the ten-second window in {@code X-HubSpot-RateLimit-*} (no reset time: the window
 * runs from its first request). A 429 of the {@code DAILY} policy is the daily quota.
 */
final class HubSpotDialect implements RestDialect {

    static final String CONTACT_PROPERTIES = "firstname,lastname,email,company,phone,mobilephone,hubspot_owner_id,lifecyclestage,hs_lead_status";
    private static final Pattern EXISTING_ID = Pattern.compile("Existing ID: (\\d+)");
    private static final Pattern CREATE = Pattern.compile("/crm/v3/objects/([a-z_0-9-]+)");
    private static final Pattern UPDATE = Pattern.compile("/crm/v3/objects/([a-z_0-9-]+)/(\\d+)");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public boolean isSearch(String method, String path) {
        return "POST".equals(method) && RestDialect.pathOnly(path).endsWith("/search");
    }

    @Override
    public boolean searchAnswersDescribeSearchWindow() {
        return false;
    }

    @Override
    public RestDialect.RateInfo rateInfo(Map<String, String> headers) {
        return new RestDialect.RateInfo(RestDialect.number(headers, "x-hubspot-ratelimit-max"), RestDialect.number(headers, "x-hubspot-ratelimit-interval-milliseconds"),
                RestDialect.number(headers, "x-hubspot-ratelimit-remaining"), -1);
    }

    @Override
    public boolean quotaExhausted(int status, Map<String, String> headers, String body) {
        return status == 429 && (body != null && body.contains("\"DAILY\"") || RestDialect.number(headers, "x-hubspot-ratelimit-daily-remaining") == 0);
    }

    @Override
    public JsonNode contact(CrmRequest request, JsonNode answer) {
        ObjectNode c = JSON.createObjectNode();
        JsonNode p = answer.path("properties");
        c.put("id", answer.path("id").asText());
        c.put("type", "contact");
        if (p.hasNonNull("hubspot_owner_id") && !p.get("hubspot_owner_id").asText().isBlank()) {
            c.put("ownerId", p.get("hubspot_owner_id").asText());
        }
        ObjectNode record = c.putObject("record");
        p.properties().forEach(e -> {
            if (!e.getValue().isNull()) {
                record.set(e.getKey(), e.getValue());
            }
        });
        return c;
    }

    @Override
    public String recordId(JsonNode answer) {
        return answer.path("id").isValueNode() ? answer.path("id").asText() : null;
    }

    /** HubSpot refuses a second object with the value of a unique property (the commandId) with 409. */
    @Override
    public boolean alreadyExists(CrmRequest request, int status, String body) {
        return status == 409 && "POST".equals(request.method()) && !RestDialect.pathOnly(request.path()).endsWith("/search")
                && body != null && body.contains("already exists");
    }

    @Override
    public CrmRequest existingContact(String key, String commandIdField, int status, String body) {
        if (status != 409) {
            return null;
        }
        Matcher m = EXISTING_ID.matcher(body == null ? "" : body);
        String path = m.find() ? "/crm/v3/objects/contacts/" + m.group(1) + "?properties=" + CONTACT_PROPERTIES
                : "/crm/v3/objects/contacts/" + URLEncoder.encode(key, StandardCharsets.UTF_8) + "?idProperty="
                        + URLEncoder.encode(commandIdField, StandardCharsets.UTF_8) + "&properties=" + CONTACT_PROPERTIES;
        return new CrmRequest("GET", path, null, null);
    }

    /**
     * A create ({@code POST /crm/v3/objects/<type>}) joins the batch create of its type, an update by record id
     * ({@code PATCH /crm/v3/objects/<type>/<id>}) the batch update of its type.
     */
    @Override
    public String batchKey(CrmRequest request) {
        if ("POST".equals(request.method()) && CREATE.matcher(request.path()).matches()) {
            return "create " + request.path();
        }
        Matcher update = UPDATE.matcher(request.path());
        return "PATCH".equals(request.method()) && update.matches() ? "update " + update.group(1) : null;
    }

    @Override
    public int maxBatch() {
        return 100;
    }

    /**
     * {@code POST /crm/v3/objects/<type>/batch/create} or {@code .../batch/update}, each input traced by its commandId, so
     * HubSpot answers per input (207).
     */
    @Override
    public CrmRequest batch(List<CrmRequest> requests, List<String> traces) {
        boolean update = "PATCH".equals(requests.get(0).method());
        Matcher m = (update ? UPDATE : CREATE).matcher(requests.get(0).path());
        if (!m.matches()) {
            throw new IllegalArgumentException("neither a create nor an update: " + requests.get(0).path());
        }
        ObjectNode body = JSON.createObjectNode();
        ArrayNode inputs = body.putArray("inputs");
        for (int i = 0; i < requests.size(); i++) {
            ObjectNode input = requests.get(i).body() instanceof ObjectNode o ? o.deepCopy() : JSON.createObjectNode();
            if (update) {
                Matcher id = UPDATE.matcher(requests.get(i).path());
                input.put("id", id.matches() ? id.group(2) : "");
            }
            input.put("objectWriteTraceId", traces.get(i));
            inputs.add(input);
        }
        return new CrmRequest("POST", "/crm/v3/objects/" + m.group(1) + "/batch/" + (update ? "update" : "create"), body, null);
    }

    @Override
    public Map<String, JsonNode> batchResults(JsonNode answer) {
        Map<String, JsonNode> out = new HashMap<>();
        for (JsonNode r : answer.path("results")) {
            out.put(r.path("objectWriteTraceId").asText(), r);
        }
        return out;
    }

    /**
     * Results carry their input's objectWriteTraceId; errors name it in {@code context.objectWriteTraceId}. A conflict
     * on the unique commandId means the record is there already (delivered before a crash).
     */
    @Override
    public Map<String, Outcome> batchOutcomes(int status, JsonNode answer, List<String> traces) {
        Map<String, Outcome> out = new HashMap<>();
        for (JsonNode r : answer.path("results")) {
            out.put(r.path("objectWriteTraceId").asText(), new Outcome.Done(r.path("id").asText(null)));
        }
        for (JsonNode e : answer.path("errors")) {
            String message = e.path("message").asText("");
            Outcome o = "CONFLICT".equals(e.path("category").asText()) && message.contains("already exists")
                    ? new Outcome.Done(null) : new Outcome.Rejected(400, e.toString(), false);
            e.path("context").path("objectWriteTraceId").forEach(t -> out.put(t.asText(), o));
        }
        return out;
    }

    @Override
    public String probePath() {
        return "/crm/v3/owners?limit=1";
    }
}
