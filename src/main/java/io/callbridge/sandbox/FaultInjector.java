package io.callbridge.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Fault injection for one CRM, applied by {@link CrmSandbox} before the CRM sees a request.
 * Controls (all optional, JSON through {@code PUT /_sandbox/<crm>/faults} or configuration):
 * <pre>
 * { "errorRate": 0.25, "errorStatuses": [500, 503],     random failures, seeded
 *   "latencyMs": 200, "latencyJitterMs": 100,            added delay (jitter seeded)
 *   "lateRate": 0.02, "lateMs": 1500,                    the CRM does the work, then answers lateMs late (seeded):
 *                                                        a client that gave up retries a write that happened
 *   "match": "^(POST|PATCH) /services/data/.*",           regex on "METHOD /path"; limits errorRate, latency, outage
 *   "outage": { "startsInMs": 0, "durationMs": 5000,     or "from"/"until" as ISO instants
 *               "mode": "status" | "reset", "status": 503 },
 *   "script": [ { "status": 503, "headers": {"Retry-After": "2"}, "body": {...}, "match": "...", "repeat": 2 },
 *               { "status": 0 } ],                       0 = let this request through; consumed in order
 *   "seed": 42 }                                         re-seeds the CRM's random source
 * </pre>
 * A scripted entry without a body gets the CRM's own error body for that status.
 */
public final class FaultInjector {

    /** What to do with one request. */
    public sealed interface Decision permits Pass, Respond, Reset, Late {
        long delayMillis();
    }

    public record Pass(long delayMillis) implements Decision { }

    public record Respond(long delayMillis, SandboxResponse response) implements Decision { }

    /** Let the CRM handle the request now, and send its answer {@code answerAfterMillis} later. */
    public record Late(long delayMillis, long answerAfterMillis) implements Decision { }

    /** Close the connection without an answer (outage mode {@code reset}). */
    public record Reset(long delayMillis) implements Decision { }

    private record Scripted(int status, JsonNode body, Map<String, String> headers, Pattern match, int repeat) { }

    private final SandboxContext context;
    private final Clock clock;
    private double errorRate;
    private List<Integer> errorStatuses = List.of(500);
    private long latencyMs;
    private long latencyJitterMs;
    private double lateRate;
    private long lateMs;
    private Pattern match;
    private Instant outageFrom;
    private Instant outageUntil;
    private String outageMode = "status";
    private int outageStatus = 503;
    private final Deque<Scripted> script = new ArrayDeque<>();
    private long injected;

    FaultInjector(SandboxContext context) {
        this.context = context;
        this.clock = context.clock();
    }

    public synchronized Decision decide(String method, String path, SandboxCrm crm) {
        String line = method + " " + path;
        boolean matches = match == null || match.matcher(line).find();
        long delay = 0;
        if (matches && (latencyMs > 0 || latencyJitterMs > 0)) {
            delay = latencyMs + (latencyJitterMs > 0 ? (long) (context.random().nextDouble() * latencyJitterMs) : 0);
        }
        Instant now = clock.instant();
        if (matches && outageFrom != null && !now.isBefore(outageFrom) && now.isBefore(outageUntil)) {
            injected++;
            if ("reset".equals(outageMode)) {
                return new Reset(delay);
            }
            return new Respond(delay, crm.faultResponse("outage", outageStatus));
        }
        Scripted next = script.peekFirst();
        if (next != null && (next.match() == null || next.match().matcher(line).find())) {
            script.pollFirst();
            if (next.repeat() > 1) {
                script.addFirst(new Scripted(next.status(), next.body(), next.headers(), next.match(), next.repeat() - 1));
            }
            if (next.status() == 0) {
                return new Pass(delay);
            }
            injected++;
            SandboxResponse r = next.body() == null || next.body().isMissingNode() || next.body().isNull()
                    ? crm.faultResponse("error", next.status())
                    : next.body().isTextual()
                    ? SandboxResponse.text(next.status(), "text/plain;charset=UTF-8", next.body().asText())
                    : SandboxResponse.json(next.status(), next.body());
            r = new SandboxResponse(next.status(), r.headers(), r.body());
            for (Map.Entry<String, String> h : next.headers().entrySet()) {
                r = r.withHeader(h.getKey(), h.getValue());
            }
            return new Respond(delay, r);
        }
        if (matches && errorRate > 0 && context.random().nextDouble() < errorRate) {
            injected++;
            int status = errorStatuses.get(context.random().nextInt(errorStatuses.size()));
            return new Respond(delay, crm.faultResponse("error", status));
        }
        if (matches && lateRate > 0 && context.random().nextDouble() < lateRate) {
            injected++;
            return new Late(delay, lateMs);
        }
        return new Pass(delay);
    }

    /** Replaces every control with those in {@code spec} (absent ones switch off). */
    public synchronized void configure(JsonNode spec) throws SandboxAdminException {
        if (spec == null || !spec.isObject()) {
            throw new SandboxAdminException(400, "faults must be a JSON object");
        }
        clear();
        merge(spec);
    }

    /** Changes only the controls present in {@code spec}. */
    public synchronized void merge(JsonNode spec) throws SandboxAdminException {
        for (Iterator<String> it = spec.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!List.of("errorRate", "errorStatuses", "latencyMs", "latencyJitterMs", "lateRate", "lateMs", "match", "outage", "script", "seed").contains(f)) {
                throw new SandboxAdminException(400, "unknown fault control '" + f + "'");
            }
        }
        if (spec.has("errorRate")) {
            double r = spec.get("errorRate").asDouble(-1);
            if (r < 0 || r > 1) throw new SandboxAdminException(400, "errorRate must be between 0 and 1");
            errorRate = r;
        }
        if (spec.has("errorStatuses")) {
            List<Integer> s = new ArrayList<>();
            for (JsonNode n : spec.get("errorStatuses")) s.add(status(n.asInt(), false));
            if (s.isEmpty()) throw new SandboxAdminException(400, "errorStatuses must not be empty");
            errorStatuses = List.copyOf(s);
        }
        if (spec.has("latencyMs")) latencyMs = nonNegative(spec, "latencyMs");
        if (spec.has("latencyJitterMs")) latencyJitterMs = nonNegative(spec, "latencyJitterMs");
        if (spec.has("lateRate")) {
            double r = spec.get("lateRate").asDouble(-1);
            if (r < 0 || r > 1) throw new SandboxAdminException(400, "lateRate must be between 0 and 1");
            lateRate = r;
        }
        if (spec.has("lateMs")) lateMs = nonNegative(spec, "lateMs");
        if (spec.has("match")) match = pattern(spec.get("match"));
        if (spec.has("outage")) outage(spec.get("outage"));
        if (spec.has("script")) {
            script.clear();
            appendScript(spec.get("script"));
        }
        if (spec.has("seed")) context.reseed(spec.get("seed").isNull() ? null : spec.get("seed").asLong());
    }

    public synchronized void appendScript(JsonNode entries) throws SandboxAdminException {
        if (entries.isObject()) {
            entries = Json.array().add(entries);
        }
        if (!entries.isArray()) throw new SandboxAdminException(400, "script must be an array of {status, body, headers, match, repeat}");
        List<Scripted> parsed = new ArrayList<>();
        for (JsonNode e : entries) {
            if (!e.has("status")) throw new SandboxAdminException(400, "script entry needs a status (0 lets the request through)");
            Map<String, String> headers = new LinkedHashMap<>();
            if (e.has("headers")) e.get("headers").fields().forEachRemaining(h -> headers.put(h.getKey(), h.getValue().asText()));
            int repeat = e.path("repeat").asInt(1);
            if (repeat < 1) throw new SandboxAdminException(400, "repeat must be at least 1");
            parsed.add(new Scripted(status(e.get("status").asInt(), true), e.get("body"), Map.copyOf(headers), pattern(e.get("match")), repeat));
        }
        script.addAll(parsed);
    }

    public synchronized void clear() {
        errorRate = 0;
        errorStatuses = List.of(500);
        latencyMs = 0;
        latencyJitterMs = 0;
        lateRate = 0;
        lateMs = 0;
        match = null;
        outageFrom = null;
        outageUntil = null;
        outageMode = "status";
        outageStatus = 503;
        script.clear();
        injected = 0;
    }

    public synchronized ObjectNode state() {
        ObjectNode o = Json.object();
        o.put("errorRate", errorRate);
        ArrayNode s = o.putArray("errorStatuses");
        errorStatuses.forEach(s::add);
        o.put("latencyMs", latencyMs);
        o.put("latencyJitterMs", latencyJitterMs);
        o.put("lateRate", lateRate);
        o.put("lateMs", lateMs);
        if (match != null) o.put("match", match.pattern());
        if (outageFrom != null) {
            ObjectNode out = o.putObject("outage");
            out.put("from", outageFrom.toString());
            out.put("until", outageUntil.toString());
            out.put("mode", outageMode);
            out.put("status", outageStatus);
            out.put("active", !clock.instant().isBefore(outageFrom) && clock.instant().isBefore(outageUntil));
        }
        ArrayNode sc = o.putArray("script");
        for (Scripted e : script) {
            ObjectNode n = sc.addObject();
            n.put("status", e.status());
            if (e.body() != null) n.set("body", e.body());
            if (!e.headers().isEmpty()) n.set("headers", Json.MAPPER.valueToTree(e.headers()));
            if (e.match() != null) n.put("match", e.match().pattern());
            n.put("repeat", e.repeat());
        }
        o.put("injected", injected);
        return o;
    }

    /**
     * Applies configuration: {@code faults} (the whole JSON spec, as for {@code PUT /_sandbox/<crm>/faults}),
     * then the single keys {@code fault.error-rate}, {@code fault.error-statuses}, {@code fault.latency-ms},
     * {@code fault.latency-jitter-ms}, {@code fault.match}.
     */
    void configureFromProperties(Map<String, String> config) throws SandboxAdminException {
        String json = config.get("faults");
        if (json != null && !json.isBlank()) {
            JsonNode whole = Json.parseOrNull(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            if (whole == null || !whole.isObject()) throw new SandboxAdminException(400, "faults must be a JSON object");
            merge(whole);
        }
        ObjectNode spec = Json.object();
        if (config.containsKey("fault.error-rate")) spec.put("errorRate", Double.parseDouble(config.get("fault.error-rate").trim()));
        if (config.containsKey("fault.error-statuses")) {
            ArrayNode a = spec.putArray("errorStatuses");
            for (String s : config.get("fault.error-statuses").split(",")) a.add(Integer.parseInt(s.trim()));
        }
        if (config.containsKey("fault.latency-ms")) spec.put("latencyMs", Long.parseLong(config.get("fault.latency-ms").trim()));
        if (config.containsKey("fault.latency-jitter-ms")) spec.put("latencyJitterMs", Long.parseLong(config.get("fault.latency-jitter-ms").trim()));
        if (config.containsKey("fault.match")) spec.put("match", config.get("fault.match"));
        merge(spec);
    }

    private void outage(JsonNode o) throws SandboxAdminException {
        if (o == null || o.isNull()) {
            outageFrom = null;
            outageUntil = null;
            return;
        }
        Instant now = clock.instant();
        try {
            if (o.has("from") || o.has("until")) {
                outageFrom = o.has("from") ? Instant.parse(o.get("from").asText()) : now;
                if (!o.has("until")) throw new SandboxAdminException(400, "outage needs 'until' with 'from'");
                outageUntil = Instant.parse(o.get("until").asText());
            } else {
                if (!o.has("durationMs")) throw new SandboxAdminException(400, "outage needs durationMs (and optionally startsInMs)");
                outageFrom = now.plusMillis(o.path("startsInMs").asLong(0));
                outageUntil = outageFrom.plusMillis(o.get("durationMs").asLong());
            }
        } catch (DateTimeParseException e) {
            throw new SandboxAdminException(400, "outage from/until must be ISO-8601 instants: " + e.getParsedString());
        }
        outageMode = o.path("mode").asText("status");
        if (!outageMode.equals("status") && !outageMode.equals("reset")) {
            throw new SandboxAdminException(400, "outage mode must be 'status' or 'reset'");
        }
        outageStatus = status(o.path("status").asInt(503), false);
    }

    private static long nonNegative(JsonNode spec, String f) throws SandboxAdminException {
        long v = spec.get(f).asLong(-1);
        if (v < 0) throw new SandboxAdminException(400, f + " must be a non-negative number");
        return v;
    }

    private static int status(int s, boolean zeroAllowed) throws SandboxAdminException {
        if ((s == 0 && zeroAllowed) || (s >= 100 && s <= 599)) return s;
        throw new SandboxAdminException(400, "invalid HTTP status " + s);
    }

    private static Pattern pattern(JsonNode n) throws SandboxAdminException {
        if (n == null || n.isNull()) return null;
        try {
            return Pattern.compile(n.asText());
        } catch (PatternSyntaxException e) {
            throw new SandboxAdminException(400, "match is not a valid regular expression: " + e.getDescription());
        }
    }
}
