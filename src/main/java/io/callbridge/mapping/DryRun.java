package io.callbridge.mapping;

import java.io.IOException;
import java.util.Map;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callbridge.rules.Command;
import org.apache.camel.Exchange;

/**
 * What an event would do, without doing it: per enabled CRM, the ordered commands with their
 * commandId and the exact request (method, URL, body) each would send. Contacts are looked up where
 * a finder for the CRM exists (reads only); nothing is ever written.
 */
public final class DryRun {

    /** Finds the caller's record in one CRM, read-only; null when there is none. */
    @FunctionalInterface
    public interface ContactFinder {
        JsonNode find(String crm, String customerE164) throws Exception;
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final LiveMappings mappings;
    private final Function<String, String> baseUrl;
    private final Map<String, ContactFinder> finders;

    public DryRun(LiveMappings mappings, Function<String, String> baseUrl, Map<String, ContactFinder> finders) {
        this.mappings = mappings;
        this.baseUrl = baseUrl;
        this.finders = finders;
    }

    /** For the route: the validated event in the body becomes the plan, answered 200. */
    public void answer(Exchange exchange) throws Exception {
        JsonNode event = JSON.readTree(exchange.getMessage().getBody(byte[].class));
        ArrayNode plan = plan(event);
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        exchange.getMessage().setBody(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(plan));
    }

    public ArrayNode plan(JsonNode event) throws Exception {
        Mappings current = mappings.current();
        ArrayNode out = JSON.createArrayNode();
        for (Command command : current.plan(event)) {
            ObjectNode step = out.addObject();
            step.put("crm", command.crm());
            step.put("action", command.action());
            step.put("commandId", command.commandId());
            if (command.crm().equals("webhook")) {
                step.put("method", "POST");
                step.put("url", baseUrl.apply("webhook"));
                step.set("body", command.toJson());
                continue;
            }
            JsonNode contact = contact(command);
            CrmRequest request = current.render(command, contact);
            if (request == null) {
                step.put("skipped", "the template has nothing to send" + (contact == null ? " without a contact" : ""));
                continue;
            }
            step.put("method", request.method());
            step.put("url", baseUrl.apply(command.crm()) + request.path());
            if (request.body() != null) {
                step.set("body", request.body());
            }
        }
        return out;
    }

    private JsonNode contact(Command command) throws Exception {
        ContactFinder finder = finders.get(command.crm());
        return finder == null ? null : finder.find(command.crm(), command.customerE164());
    }

    static ArrayNode planAll(DryRun dryRun, Iterable<JsonNode> events) throws Exception {
        ArrayNode all = JSON.createArrayNode();
        for (JsonNode e : events) {
            ObjectNode entry = all.addObject();
            entry.put("eventId", e.path("id").asText());
            entry.set("commands", dryRun.plan(e));
        }
        return all;
    }

    public static ArrayNode parseEvents(byte[] file) throws IOException {
        JsonNode root = JSON.readTree(file);
        if (root.isArray()) {
            return (ArrayNode) root;
        }
        ArrayNode one = JSON.createArrayNode();
        one.add(root);
        return one;
    }
}
