package io.callbridge.delivery;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callbridge.mapping.Command;
import io.callbridge.mapping.LiveMappings;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.DefaultMessage;

/**
 * The core route's step from one call event to its messages: each command on {@code callbridge.crm.<crm>},
 * and for each notify-owner action one owner alert on {@code callbridge.notifications} (the same alert
 * also becomes a task in every CRM, through the command).
 */
public final class CommandRouting {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final LiveMappings mappings;

    public CommandRouting(LiveMappings mappings) {
        this.mappings = mappings;
    }

    public static final String TOPIC = "CallbridgeTopic";
    /** Header of a command record: its action. */
    public static final String ACTION = "CallbridgeAction";
    public static final String NOTIFICATIONS_TOPIC = "callbridge.notifications";

    /** @return the messages of the event in the body, in order, keyed by the customer's number; header {@value #TOPIC} says where */
    public List<Message> commands(Exchange exchange) throws Exception {
        JsonNode event = JSON.readTree(exchange.getMessage().getBody(byte[].class));
        List<Message> messages = new ArrayList<>();
        Set<String> alerted = new HashSet<>();
        for (Command command : mappings.current().plan(event)) {
            messages.add(message(exchange, "callbridge.crm." + command.crm(), command, command.toJson()));
            if (command.action().equals("notify-owner") && alerted.add(command.commandId())) {
                messages.add(message(exchange, NOTIFICATIONS_TOPIC, command, notification(command)));
            }
        }
        return messages;
    }

    private static Message message(Exchange exchange, String topic, Command command, ObjectNode body) throws Exception {
        Message m = new DefaultMessage(exchange.getContext());
        m.setBody(JSON.writeValueAsBytes(body));
        m.setHeader("kafka.KEY", command.customerE164());
        m.setHeader(TOPIC, topic);
        m.setHeader(io.callbridge.crm.CrmKeys.COMMAND_ID, command.commandId());
        m.setHeader(ACTION, command.action());
        return m;
    }

    /** The owner alert: what happened and who called, for a chat or paging integration. */
    static ObjectNode notification(Command command) {
        JsonNode data = command.event().path("data");
        ObjectNode n = JSON.createObjectNode();
        n.put("notificationId", command.commandId());
        n.put("eventId", command.eventId());
        n.put("ruleId", command.ruleId());
        n.put("subject", command.with().path("subject").asText("Appel à traiter"));
        n.put("priority", command.with().path("priority").asText("normal"));
        n.put("customerE164", command.customerE164());
        n.put("callAt", command.callAt());
        if (data.path("caller").path("name").isTextual()) {
            n.put("callerName", data.path("caller").path("name").asText());
        }
        if (data.path("summary").isTextual()) {
            n.put("summary", data.path("summary").asText());
        }
        return n;
    }
}
