package io.callbridge.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What one rule action asks of one CRM for one event; the message on {@code callbridge.crm.<crm>}.
 * {@code commandId = <event id>:<rule id>:<action index>} is the key of every idempotency check.
 */
public record Command(String commandId, String eventId, String ruleId, int actionIndex, String action, String crm,
        String customerE164, String callAt, String dueAt, ObjectNode with, JsonNode event) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public static String commandId(String eventId, String ruleId, int actionIndex) {
        return eventId + ":" + ruleId + ":" + actionIndex;
    }

    public ObjectNode toJson() {
        ObjectNode n = JSON.createObjectNode();
        n.put("commandId", commandId);
        n.put("eventId", eventId);
        n.put("ruleId", ruleId);
        n.put("actionIndex", actionIndex);
        n.put("action", action);
        n.put("crm", crm);
        n.put("customerE164", customerE164);
        n.put("callAt", callAt);
        if (dueAt != null) {
            n.put("dueAt", dueAt);
        }
        n.set("with", with);
        n.set("event", event);
        return n;
    }

    public static Command fromJson(JsonNode n) {
        return new Command(n.path("commandId").asText(), n.path("eventId").asText(), n.path("ruleId").asText(),
                n.path("actionIndex").asInt(), n.path("action").asText(), n.path("crm").asText(),
                n.path("customerE164").asText(), n.path("callAt").asText(null),
                n.hasNonNull("dueAt") ? n.get("dueAt").asText() : null,
                n.has("with") && n.get("with").isObject() ? (ObjectNode) n.get("with") : JSON.createObjectNode(),
                n.path("event"));
    }
}
