package io.callbridge.delivery;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.callbridge.mapping.LiveMappings;
import io.callbridge.rules.Command;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.DefaultMessage;

/** The core route's step from one call event to its commands, one message each for {@code callbridge.crm.<crm>}. */
public final class CommandRouting {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final LiveMappings mappings;

    public CommandRouting(LiveMappings mappings) {
        this.mappings = mappings;
    }

    /** @return the commands of the event in the body, in order, keyed by the customer's number */
    public List<Message> commands(Exchange exchange) throws Exception {
        JsonNode event = JSON.readTree(exchange.getMessage().getBody(byte[].class));
        List<Message> messages = new ArrayList<>();
        for (Command command : mappings.current().plan(event)) {
            Message m = new DefaultMessage(exchange.getContext());
            m.setBody(JSON.writeValueAsBytes(command.toJson()));
            m.setHeader("kafka.KEY", command.customerE164());
            m.setHeader(Delivery.COMMAND_ID, command.commandId());
            m.setHeader(Delivery.CRM, command.crm());
            m.setHeader(Delivery.ACTION, command.action());
            messages.add(m);
        }
        return messages;
    }
}
