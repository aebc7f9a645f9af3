package io.callbridge.audit;

import java.io.IOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One entry of the audit trail, as it is on {@code callbridge.audit} and in {@code GET /v1/audit}. Who: the key's id
 * (12 hex digits of its hash, never the key) and role, both absent when no known key was presented. What: the action
 * ({@code dlq.replay}, {@code dlq.reveal}, …) and its target, which holds no personal data in clear. How it ended: the
 * outcome, {@code started} (written before an action with effects), {@code ok}, or the HTTP status of the refusal or
 * failure with its problem type. {@code suppressed}: refusals of the same key left out before this one (rate bound).
 */
public record AuditRecord(Instant time, String keyId, String role, String action, String target, String outcome,
        String problem, String requestId, long suppressed) {

    public static final String STARTED = "started";
    public static final String OK = "ok";

    private static final ObjectMapper JSON = new ObjectMapper();

    public AuditRecord {
        // one precision for every record, so the text sorts as the time does
        time = time.truncatedTo(ChronoUnit.MILLIS);
    }

    public boolean refusedOrFailed() {
        return !OK.equals(outcome) && !STARTED.equals(outcome);
    }

    public ObjectNode toJson() {
        ObjectNode n = JSON.createObjectNode();
        n.put("time", time.toString());
        n.put("action", action);
        n.put("outcome", outcome);
        putIfPresent(n, "keyId", keyId);
        putIfPresent(n, "role", role);
        putIfPresent(n, "target", target);
        putIfPresent(n, "problem", problem);
        putIfPresent(n, "requestId", requestId);
        if (suppressed > 0) {
            n.put("suppressed", suppressed);
        }
        return n;
    }

    public byte[] toBytes() {
        try {
            return JSON.writeValueAsBytes(toJson());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A record as written by {@link #toBytes()}; anything else on the topic is not a record (null). */
    public static AuditRecord parse(byte[] bytes) {
        try {
            JsonNode n = JSON.readTree(bytes);
            if (n == null || !n.hasNonNull("time") || !n.hasNonNull("action") || !n.hasNonNull("outcome")) {
                return null;
            }
            return new AuditRecord(Instant.parse(n.get("time").asText()), text(n, "keyId"), text(n, "role"), n.get("action").asText(),
                    text(n, "target"), n.get("outcome").asText(), text(n, "problem"), text(n, "requestId"), n.path("suppressed").asLong(0));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static String text(JsonNode n, String field) {
        return n.hasNonNull(field) ? n.get(field).asText() : null;
    }

    private static void putIfPresent(ObjectNode n, String field, String value) {
        if (value != null) {
            n.put(field, value);
        }
    }
}
