package io.callbridge.plan;

import java.io.IOException;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callbridge.crm.CallerRecords;
import io.callbridge.crm.Crm;
import io.callbridge.mapping.Command;
import io.callbridge.mapping.LiveMappings;
import io.callbridge.mapping.Mappings;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an event would do, without doing it: per enabled CRM, the ordered commands with their
 * commandId and the exact request (method, URL, body) each would send. Contacts are looked up where
 * the CRM can be searched (reads only); nothing is ever written.
 */
public final class DryRun {

    /** An enabled CRM as the dry run sees it: where it is, and its caller records (null: plan as for an unknown caller). */
    public record Target(Crm crm, String url, CallerRecords callers) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(DryRun.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final LiveMappings mappings;
    private final Map<String, Target> targets;

    public DryRun(LiveMappings mappings, Map<String, Target> targets) {
        this.mappings = mappings;
        this.targets = Map.copyOf(targets);
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
            Target target = targets.get(command.crm());
            JsonNode contact = contact(target, command);
            Crm.PlannedRequest request = target.crm().plan(command, contact, current, target.url());
            if (request == null) {
                step.put("skipped", "the template has nothing to send" + (contact == null ? " without a contact" : ""));
                continue;
            }
            step.put("method", request.method());
            step.put("url", request.url());
            if (request.body() != null) {
                step.set("body", request.body());
            }
        }
        return out;
    }

    /** A plan is advice: a CRM that cannot be read is planned as for an unknown caller, and the log says so. */
    private static JsonNode contact(Target target, Command command) {
        if (target.callers() == null) {
            return null;
        }
        try {
            return target.callers().find(command.customerE164());
        } catch (Exception failure) {
            LOG.warn("Dry run: the contact could not be read from {} ({}); planned as for an unknown caller", command.crm(),
                    failure.getMessage());
            return null;
        }
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
