package io.callbridge.crm.zoho;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 * Zoho CRM v8: every write is a list of records ({@code {"data":[…]}}, up to 100) answered record by record in
 * order, so a wave's inserts (and updates) of one module travel as one request, even alone. A record refused as
 * {@code DUPLICATE_DATA} on the unique field that holds its commandId was written before (a crash, a redelivery):
 * it is done, and Zoho names the existing record. Credits are counted per rolling 24 hours and reported in
 * {@code X-API-CREDITS-REMAINING} once half are spent; a 429 with none left waits for the breaker, any other 429
 * (too many concurrent requests) is retried soon.
 */
final class ZohoDialect implements RestDialect {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern MODULE = Pattern.compile("/crm/v8/([A-Za-z_0-9]+)(?:/([0-9]+))?(?:\\?.*)?");
    private static final String CREDITS = "x-api-credits-remaining";

    private final List<String> trigger;

    /** @param trigger the automations writes run ({@code workflow}, {@code approval}, {@code blueprint}); {@code none}: none */
    ZohoDialect(List<String> trigger) {
        this.trigger = trigger.size() == 1 && trigger.get(0).equalsIgnoreCase("none") ? List.of() : List.copyOf(trigger);
    }

    @Override
    public boolean isSearch(String method, String path) {
        String p = RestDialect.pathOnly(path);
        return ("GET".equals(method) && p.endsWith("/search")) || ("POST".equals(method) && p.endsWith("/coql"));
    }

    @Override
    public boolean searchAnswersDescribeSearchWindow() {
        return false;
    }

    /** Credits left in the rolling day, when Zoho says (from half spent on); no window or reset is announced. */
    @Override
    public RestDialect.RateInfo rateInfo(Map<String, String> headers) {
        return new RestDialect.RateInfo(-1, -1, RestDialect.number(headers, CREDITS), -1);
    }

    @Override
    public boolean quotaExhausted(int status, Map<String, String> headers, String body) {
        return creditsSpent(status, headers);
    }

    /** A 429 with no credit left in the rolling day (header names in lower case); any other 429 is concurrency. */
    static boolean creditsSpent(int status, Map<String, String> headers) {
        return status == 429 && RestDialect.number(headers, CREDITS) == 0;
    }

    /** The record of a read ({@code data[0]}) or what a write sent with the id Zoho answered; Leads are leads. */
    @Override
    public JsonNode contact(CrmRequest request, JsonNode answer) {
        Matcher m = MODULE.matcher(request.path());
        String module = m.matches() ? m.group(1) : "Contacts";
        JsonNode first = answer.path("data").path(0);
        ObjectNode record;
        String id;
        if (first.path("details").path("id").isValueNode()) {
            id = first.path("details").path("id").asText();
            JsonNode sent = request.body() == null ? null : request.body().path("data").path(0);
            record = sent != null && sent.isObject() ? ((ObjectNode) sent).deepCopy() : JSON.createObjectNode();
            record.put("id", id);
        } else {
            record = first.isObject() ? ((ObjectNode) first).deepCopy() : JSON.createObjectNode();
            id = record.path("id").asText(m.matches() && m.group(2) != null ? m.group(2) : "");
        }
        ObjectNode c = JSON.createObjectNode();
        c.put("id", id);
        c.put("type", module.equals("Leads") ? "lead" : "contact");
        String owner = record.path("Owner").path("id").asText("");
        if (!owner.isBlank()) {
            c.put("ownerId", owner);
        }
        c.set("record", record);
        return c;
    }

    @Override
    public String recordId(JsonNode answer) {
        JsonNode id = answer.path("data").path(0).path("details").path("id");
        return id.isValueNode() ? id.asText() : null;
    }

    /**
     * The caller's record (sent on its own) refused as a duplicate: its unique key holding the number, or an org rule
     * on e-mail, names the record that exists.
     */
    @Override
    public boolean alreadyExists(CrmRequest request, int status, String body) {
        return "POST".equals(request.method()) && status >= 400 && status < 500 && body != null && body.contains("\"DUPLICATE_DATA\"")
                && MODULE.matcher(request.path()).matches();
    }

    @Override
    public CrmRequest existingContact(String key, String commandIdField, int status, String body) {
        try {
            JsonNode duplicate = JSON.readTree(body).path("data").path(0).path("details").path("duplicate_record");
            String id = duplicate.path("id").asText("");
            String module = duplicate.path("module").path("api_name").asText("");
            return id.isEmpty() || module.isEmpty() ? null : new CrmRequest("GET", "/crm/v8/" + module + "/" + id, null, null);
        } catch (java.io.IOException e) {
            return null;
        }
    }

    @Override
    public String probePath() {
        return "/crm/v8/users?type=CurrentUser";
    }

    /** An insert joins its module's insert, an update by id ({@code PUT /crm/v8/<module>/<id>}) its module's update. */
    @Override
    public String batchKey(CrmRequest request) {
        Matcher m = MODULE.matcher(request.path());
        if (!m.matches() || request.path().contains("?") || !(request.body() != null && request.body().path("data").isArray())) {
            return null;
        }
        if ("POST".equals(request.method()) && m.group(2) == null) {
            return "insert " + m.group(1);
        }
        return "PUT".equals(request.method()) ? "update " + m.group(1) : null;
    }

    @Override
    public int maxBatch() {
        return 100;
    }

    @Override
    public int minBatch() {
        return 1;
    }

    /** Zoho answers a write whose every record failed with 400, still one result per record. */
    @Override
    public Set<Integer> perInputErrorStatuses() {
        return Set.of(400);
    }

    /** Every write says which automations it runs. */
    @Override
    public CrmRequest outgoing(CrmRequest request) {
        if (!(request.body() instanceof ObjectNode body) || !body.path("data").isArray() || body.has("trigger")
                || "GET".equals(request.method())) {
            return request;
        }
        ObjectNode withTrigger = body.deepCopy();
        ArrayNode t = withTrigger.putArray("trigger");
        trigger.forEach(t::add);
        return new CrmRequest(request.method(), request.path(), withTrigger, request.find());
    }

    /** One list of the requests' records, in order; an update's record carries the id its path named. */
    @Override
    public CrmRequest batch(List<CrmRequest> requests, List<String> traces) {
        Matcher first = MODULE.matcher(requests.get(0).path());
        if (!first.matches()) {
            throw new IllegalArgumentException("not a module's records: " + requests.get(0).path());
        }
        boolean update = "PUT".equals(requests.get(0).method());
        ObjectNode body = JSON.createObjectNode();
        ArrayNode data = body.putArray("data");
        for (CrmRequest r : requests) {
            Matcher m = MODULE.matcher(r.path());
            JsonNode records = r.body().path("data");
            if (records.size() != 1) {
                throw new IllegalArgumentException("a template writes one record per request, not " + records.size());
            }
            ObjectNode record = ((ObjectNode) records.get(0)).deepCopy();
            if (update && m.matches() && m.group(2) != null) {
                record.put("id", m.group(2));
            }
            data.add(record);
        }
        return new CrmRequest(update ? "PUT" : "POST", "/crm/v8/" + first.group(1), body, null);
    }

    /**
     * Per trace, its record's own result as a one-record answer ({@code {"data":[result]}}): with the request it answers,
     * {@link #contact} reads the caller's fields a contact update just wrote, so the cached caller keeps them.
     */
    @Override
    public Map<String, JsonNode> batchResults(JsonNode answer, List<String> traces) {
        Map<String, JsonNode> out = new HashMap<>();
        JsonNode results = answer.path("data");
        for (int i = 0; i < Math.min(results.size(), traces.size()); i++) {
            if ("SUCCESS".equals(results.get(i).path("code").asText())) {
                ObjectNode one = JSON.createObjectNode();
                one.putArray("data").add(results.get(i));
                out.put(traces.get(i), one);
            }
        }
        return out;
    }

    /**
     * Results in the order of the records sent. A duplicate of the unique field that holds this very commandId: the
     * record was written before. A request refused as a whole (no results): each input refused with Zoho's answer.
     */
    @Override
    public Map<String, Outcome> batchOutcomes(int status, JsonNode answer, List<CrmRequest> requests, List<String> traces) {
        Map<String, Outcome> out = new HashMap<>();
        JsonNode results = answer.path("data");
        if (!results.isArray() || results.isEmpty()) {
            if (status >= 400) {
                traces.forEach(t -> out.put(t, new Outcome.Rejected(status, answer.toString(), false)));
            }
            return out;
        }
        for (int i = 0; i < Math.min(results.size(), traces.size()); i++) {
            JsonNode r = results.get(i);
            JsonNode details = r.path("details");
            if ("SUCCESS".equals(r.path("code").asText())) {
                out.put(traces.get(i), new Outcome.Done(details.path("id").asText(null)));
            } else if ("DUPLICATE_DATA".equals(r.path("code").asText()) && traces.get(i).equals(
                    sent(requests, i).path(details.path("api_name").asText("")).asText(null))) {
                out.put(traces.get(i), new Outcome.Done(details.path("duplicate_record").path("id").asText(null)));
            } else {
                out.put(traces.get(i), new Outcome.Rejected(status == 207 || status < 300 ? 400 : status, r.toString(), false));
            }
        }
        return out;
    }

    private static JsonNode sent(List<CrmRequest> requests, int i) {
        return i < requests.size() && requests.get(i).body() != null ? requests.get(i).body().path("data").path(0) : JSON.missingNode();
    }
}
