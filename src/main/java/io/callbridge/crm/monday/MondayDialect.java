package io.callbridge.crm.monday;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callbridge.crm.Outcome;
import io.callbridge.crm.rest.RestDialect;
import io.callbridge.mapping.CrmRequest;

/**
 * monday.com's GraphQL API v2 behind the shared REST connector. Templates name an operation
 * ({@link MondayOperation}) and its variables; {@link #outgoing} turns that into the document and its variables, the
 * column values as the JSON-encoded string monday wants. monday answers failures with HTTP 200 and the real status in
 * {@code errors[].extensions.status_code}: {@link #verdict} reads it, and {@code retry_in_seconds} as
 * {@code Retry-After}. The budget is complexity points per minute, reported by the {@code complexity} every document
 * asks for. Mutations of one board and one operation travel together as aliases of one request, answered per alias.
 */
final class MondayDialect implements RestDialect {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final Set<String> QUOTA_CODES = Set.of("DAILY_LIMIT_EXCEEDED");
    static final String BUDGET_SPENT = "COMPLEXITY_BUDGET_EXHAUSTED";

    @Override
    public boolean isSearch(String method, String path) {
        return false;
    }

    @Override
    public boolean searchAnswersDescribeSearchWindow() {
        return false;
    }

    @Override
    public RateInfo rateInfo(Map<String, String> headers) {
        return RateInfo.NONE;
    }

    /** The complexity points left and when the budget resets, from the answer's {@code complexity}. */
    @Override
    public RateInfo rateInfo(Map<String, String> headers, String body) {
        JsonNode complexity = complexity(body);
        if (complexity == null) {
            long retry = RestDialect.number(headers, "retry-after");
            return retry < 0 || body == null || !body.contains(BUDGET_SPENT) ? RateInfo.NONE : new RateInfo(-1, -1, 0, retry * 1000);
        }
        return new RateInfo(-1, -1, complexity.path("after").asLong(-1), complexity.path("reset_in_x_seconds").asLong(-1) * 1000);
    }

    private static JsonNode complexity(String body) {
        if (body == null || !body.contains("\"complexity\"")) {
            return null;
        }
        try {
            JsonNode c = JSON.readTree(body).path("data").path("complexity");
            return c.isObject() ? c : null;
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * An answer without data is a failure whose status monday names in {@code extensions.status_code} (a
     * ColumnValueException answers 200 there: a refusal, 400); an answer with data is read alias by alias.
     */
    @Override
    public Verdict verdict(int status, Map<String, String> headers, String body) {
        if (status != 200 || body == null || !body.contains("\"errors\"")) {
            return new Verdict(status, headers);
        }
        try {
            JsonNode answer = JSON.readTree(body);
            int effective = statusOf(status, answer);
            if (effective == status) {
                return new Verdict(status, headers);
            }
            JsonNode ext = answer.path("errors").path(0).path("extensions");
            Map<String, String> h = new LinkedHashMap<>(headers);
            long retry = ext.path("retry_in_seconds").asLong(ext.path("error_data").path("retry_in_seconds").asLong(-1));
            if (retry >= 0 && !h.containsKey("retry-after")) {
                h.put("retry-after", String.valueOf(retry));
            }
            return new Verdict(effective, h);
        } catch (IOException e) {
            return new Verdict(status, headers);
        }
    }

    /** The status an answer stands for: as received, unless it carries errors and no data (then monday's status_code, at least 400). */
    static int statusOf(int status, JsonNode answer) {
        if (status != 200 || answer.path("errors").isEmpty()) {
            return status;
        }
        for (JsonNode v : answer.path("data")) {
            if (!v.isNull() && !v.isMissingNode()) {
                return status;
            }
        }
        int named = answer.path("errors").path(0).path("extensions").path("status_code").asInt(0);
        return named >= 400 ? named : 400;
    }

    @Override
    public boolean quotaExhausted(int status, Map<String, String> headers, String body) {
        return status == 429 && body != null && QUOTA_CODES.stream().anyMatch(body::contains);
    }

    /** The item a create or change answered (its column values when monday gave them, else those sent). */
    @Override
    public JsonNode contact(CrmRequest request, JsonNode answer) {
        JsonNode item = answer.path("data").path("item");
        ObjectNode record = JSON.createObjectNode();
        JsonNode sent = request.body() == null ? JSON.missingNode() : request.body().path("variables");
        if (item.path("column_values").isArray()) {
            record.put("name", item.path("name").asText(null));
            item.path("column_values").forEach(c -> record.put(c.path("id").asText(), c.path("text").asText(null)));
        } else {
            if (sent.path("name").isTextual()) {
                record.put("name", sent.get("name").asText());
            }
            sent.path("columns").properties().forEach(e -> record.put(e.getKey(), MondayColumns.text(e.getValue())));
        }
        ObjectNode c = JSON.createObjectNode();
        c.put("id", item.path("id").asText(sent.path("item").asText("")));
        c.put("type", "contact");
        c.set("record", record);
        return c;
    }

    @Override
    public String recordId(JsonNode answer) {
        JsonNode id = answer.path("data").path("item").path("id");
        return id.isValueNode() ? id.asText() : null;
    }

    @Override
    public String probePath() {
        return "/v2";
    }

    /** {@code me}: the cheapest authenticated read. */
    @Override
    public CrmRequest probe() {
        ObjectNode body = JSON.createObjectNode().put("operation", MondayOperation.ME.id());
        body.putObject("variables");
        return new CrmRequest("POST", "/v2", body, null);
    }

    /** A wave's mutations of one board join one request (whatever the operation: aliases keep them apart). */
    @Override
    public String batchKey(CrmRequest request) {
        MondayOperation o = operation(request);
        if (o == null || !o.mutation()) {
            return null;
        }
        JsonNode board = request.body().path("variables").path("board");
        return board.isMissingNode() ? "updates" : "board " + board.asText();
    }

    @Override
    public int maxBatch() {
        return 25;
    }

    @Override
    public int minBatch() {
        return 1;
    }

    /** monday advises mutations on one board one at a time: a wave's second request for a board waits for its first. */
    @Override
    public boolean oneBatchAtATimePerKey() {
        return true;
    }

    /** The document of an operation, its variables with the column values JSON-encoded, as monday's API takes them. */
    @Override
    public CrmRequest outgoing(CrmRequest request) {
        MondayOperation o = operation(request);
        if (o == null) {
            return request;
        }
        ObjectNode body = JSON.createObjectNode();
        body.put("query", o.document());
        body.set("variables", encoded(request.body().path("variables"), -1));
        return new CrmRequest("POST", "/v2", body, request.find());
    }

    /** The requests' operations as aliases of one document, each one's variables suffixed with its index. */
    @Override
    public CrmRequest batch(List<CrmRequest> requests, List<String> traces) {
        List<MondayOperation> operations = new ArrayList<>();
        ObjectNode variables = JSON.createObjectNode();
        for (int i = 0; i < requests.size(); i++) {
            operations.add(operation(requests.get(i)));
            variables.setAll(encoded(requests.get(i).body().path("variables"), requests.size() == 1 ? -1 : i));
        }
        ObjectNode body = JSON.createObjectNode();
        body.put("query", MondayOperation.document(operations));
        body.set("variables", variables);
        return new CrmRequest("POST", "/v2", body, null);
    }

    /** Per trace, its {@code item} result as a one-operation answer, so a contact change keeps the caller's fields. */
    @Override
    public Map<String, JsonNode> batchResults(JsonNode answer, List<String> traces) {
        Map<String, JsonNode> out = new HashMap<>();
        for (int i = 0; i < traces.size(); i++) {
            JsonNode item = answer.path("data").path(MondayOperation.alias("item", i, traces.size() == 1));
            if (item.isObject()) {
                ObjectNode one = JSON.createObjectNode();
                one.putObject("data").set("item", item);
                out.put(traces.get(i), one);
            }
        }
        return out;
    }

    /**
     * Per alias: an error whose path starts with an input's alias refuses that input with monday's message (a
     * ColumnValueException, say); an input whose {@code item} (or {@code update}) came back is done.
     */
    @Override
    public Map<String, Outcome> batchOutcomes(int status, JsonNode answer, List<CrmRequest> requests, List<String> traces) {
        Map<String, Outcome> out = new HashMap<>();
        boolean single = traces.size() == 1;
        for (int i = 0; i < traces.size(); i++) {
            String prefix = single ? "" : "r" + i + "_";
            JsonNode error = null;
            for (JsonNode e : answer.path("errors")) {
                String first = e.path("path").path(0).asText("");
                if (single ? !first.isEmpty() : first.startsWith(prefix)) {
                    error = e;
                    break;
                }
            }
            if (error != null) {
                out.put(traces.get(i), new Outcome.Rejected(400, error.toString(), false));
                continue;
            }
            JsonNode data = answer.path("data");
            JsonNode item = data.path(MondayOperation.alias("item", i, single));
            JsonNode update = data.path(MondayOperation.alias("update", i, single));
            if (item.isObject() || update.isObject()) {
                out.put(traces.get(i), new Outcome.Done((item.isObject() ? item : update).path("id").asText(null)));
            }
        }
        return out;
    }

    private static MondayOperation operation(CrmRequest request) {
        JsonNode body = request.body();
        if (body == null || !body.path("operation").isTextual()) {
            return null;
        }
        return MondayOperation.of(body.get("operation").asText());
    }

    /** Variables as sent: {@code columns} as a JSON string (monday's JSON scalar holds an encoded object), names suffixed in a batch. */
    private static ObjectNode encoded(JsonNode variables, int index) {
        ObjectNode out = JSON.createObjectNode();
        variables.properties().forEach(e -> {
            JsonNode v = e.getValue();
            String name = MondayOperation.name(e.getKey(), index, index < 0);
            if (e.getKey().equals("columns") && v.isObject()) {
                out.put(name, v.toString());
            } else {
                out.set(name, v);
            }
        });
        return out;
    }
}
