package io.callbridge.mapping;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Turns one call event into its ordered commands: rules in file order, actions in rule order, one
 * command per targeted enabled CRM. Pure: the same event always yields the same commands.
 */
public final class CommandPlanner {

    private final List<Rule> rules;
    private final ZoneId zone;
    private final Clock clock;

    public CommandPlanner(List<Rule> rules, ZoneId zone, Clock clock) {
        this.rules = List.copyOf(rules);
        this.zone = zone;
        this.clock = clock;
    }

    public List<Rule> rules() {
        return rules;
    }

    /**
     * @param enabledCrms the enabled CRMs, in the catalog's order
     * @param asIs        those among them that receive every command as it is (no template), whatever CRMs an action names
     */
    public List<Command> plan(JsonNode event, List<String> enabledCrms, Set<String> asIs) throws MappingException {
        String eventId = event.path("id").asText();
        String customer = event.path("data").path("customerE164").asText(null);
        String callAt = callAt(event);
        List<Command> commands = new ArrayList<>();
        for (Rule rule : rules) {
            if (!rule.when().test(event)) {
                continue;
            }
            for (int i = 0; i < rule.actions().size(); i++) {
                RuleAction action = rule.actions().get(i);
                ObjectNode with = with(action, event);
                if (action.with().has("relativeTo") && !with.path("relativeTo").isTextual()) {
                    continue; // relative to something this event does not have, e.g. no appointment time
                }
                String dueAt = dueAt(with, callAt);
                for (String crm : enabledCrms) {
                    if (!action.crms().isEmpty() && !action.crms().contains(crm) && !asIs.contains(crm)) {
                        continue;
                    }
                    commands.add(new Command(Command.commandId(eventId, rule.id(), i), eventId, rule.id(), i,
                            action.action(), crm, customer, callAt, dueAt, with.deepCopy(), event));
                }
            }
        }
        return commands;
    }

    /** {@code with} of the rule with its {@code =expressions} evaluated for this event; empty results are left out. */
    private static ObjectNode with(RuleAction action, JsonNode event) throws MappingException {
        ObjectNode with = action.with().deepCopy();
        for (Map.Entry<String, Expression> e : action.computed().entrySet()) {
            JsonNode value = e.getValue().evaluate(event);
            if (value == null || value.isNull() || (value.isTextual() && value.asText().isBlank())) {
                with.remove(e.getKey());
            } else {
                with.set(e.getKey(), value);
            }
        }
        return with;
    }

    /** An explicit {@code dueAt}, else {@code due} after {@code relativeTo} (default: the call), else none. */
    private String dueAt(ObjectNode with, String callAt) {
        if (with.path("dueAt").isTextual()) {
            return with.get("dueAt").asText();
        }
        String base = with.path("relativeTo").isTextual() ? with.get("relativeTo").asText() : callAt;
        if (!with.path("due").isTextual()) {
            return with.has("relativeTo") ? base : null;
        }
        return Expression.plusPeriod(base, with.get("due").asText(), zone);
    }

    /** When the call happened: its end, else its start, else the event time, else now. */
    public String callAt(JsonNode event) {
        JsonNode data = event.path("data");
        for (JsonNode candidate : List.of(data.path("endedAt"), data.path("startedAt"), event.path("time"))) {
            if (candidate.isTextual() && !candidate.asText().isBlank()) {
                return candidate.asText();
            }
        }
        return OffsetDateTime.now(clock).toString();
    }

}
