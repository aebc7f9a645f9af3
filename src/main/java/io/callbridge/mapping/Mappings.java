package io.callbridge.mapping;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * One consistent version of {@code mappings/}: the rules, every template of every enabled CRM and
 * their settings, validated together by rendering each template for the sample events before it
 * is used. Immutable; a reload builds a new one.
 */
public final class Mappings {

    static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final YAMLMapper YAML = new YAMLMapper();

    private final Path dir;
    private final CommandPlanner planner;
    private final List<String> crms;
    private final Set<String> asIs;
    private final Map<String, Map<String, Expression>> templates;
    private final Map<String, ObjectNode> settings;
    private final ZoneId zone;
    private final Clock clock;

    private Mappings(Path dir, CommandPlanner planner, List<String> crms, Set<String> asIs, Map<String, Map<String, Expression>> templates,
            Map<String, ObjectNode> settings, ZoneId zone, Clock clock) {
        this.dir = dir;
        this.planner = planner;
        this.crms = crms;
        this.asIs = asIs;
        this.templates = templates;
        this.settings = settings;
        this.zone = zone;
        this.clock = clock;
    }

    /**
     * Loads and validates {@code dir}.
     *
     * @param property looks a setting up by name (so environment variables apply), null when unset
     */
    public static Mappings load(Path dir, CrmNames names, Function<String, String> property, ZoneId zone, Clock clock)
            throws MappingException {
        Path rulesFile = dir.resolve("rules.yaml");
        List<Rule> rules = RulesFile.load(rulesFile, zone, names.known());
        List<String> crms = names.enabled();
        Set<String> asIs = names.asIs();
        Map<String, Map<String, Expression>> templates = new LinkedHashMap<>();
        Map<String, ObjectNode> settings = new LinkedHashMap<>();
        for (String crm : crms) {
            if (asIs.contains(crm)) {
                continue;
            }
            settings.put(crm, settings(dir, crm, property));
            Map<String, Expression> byAction = new LinkedHashMap<>();
            for (String action : Actions.ALL) {
                Path file = dir.resolve(crm).resolve(action + ".jsonata");
                if (Files.exists(file)) {
                    byAction.put(action, Expression.compile(read(file), file.toString(), 1, zone));
                }
            }
            templates.put(crm, byAction);
        }
        for (Rule rule : rules) {
            for (RuleAction action : rule.actions()) {
                for (String crm : templates.keySet()) {
                    boolean targeted = action.crms().isEmpty() || action.crms().contains(crm);
                    if (targeted && !templates.get(crm).containsKey(action.action())) {
                        throw new MappingException(rulesFile.toString(), action.line(), "rule '" + rule.id()
                                + "' asks " + crm + " to " + action.action() + " but " + dir.resolve(crm)
                                .resolve(action.action() + ".jsonata") + " does not exist");
                    }
                }
            }
        }
        Mappings mappings = new Mappings(dir, new CommandPlanner(rules, zone, clock), List.copyOf(crms), Set.copyOf(asIs), templates,
                settings, zone, clock);
        mappings.checkAgainstSamples();
        return mappings;
    }

    public Path dir() {
        return dir;
    }

    public CommandPlanner planner() {
        return planner;
    }

    public List<Command> plan(JsonNode event) throws MappingException {
        return planner.plan(event, crms, asIs);
    }

    public ObjectNode settings(String crm) {
        return settings.getOrDefault(crm, JSON.createObjectNode()).deepCopy();
    }

    /**
     * The CRM request for a command, given the contact the connector found (null when none):
     * {@code null} when the template decides there is nothing to do (e.g. no field to update).
     */
    public CrmRequest render(Command command, JsonNode contact) throws MappingException {
        Expression template = templates.getOrDefault(command.crm(), Map.of()).get(command.action());
        if (template == null) {
            throw new MappingException(dir.resolve(command.crm()).resolve(command.action() + ".jsonata").toString(), 0,
                    "no template for " + command.action() + " on " + command.crm());
        }
        JsonNode out = template.evaluate(input(command, contact));
        if (out == null) {
            return null;
        }
        if (!out.isObject() || !out.path("method").isTextual() || !METHODS.contains(out.get("method").asText())
                || !out.path("path").asText().startsWith("/")) {
            throw new MappingException(template.file(), 0, "must yield {method, path, body} with method one of "
                    + METHODS + " and a path starting with /; it yielded " + abbreviate(out.toString()));
        }
        return new CrmRequest(out.get("method").asText(), out.get("path").asText(), withoutNulls(out.get("body")),
                out.get("find"));
    }

    /** An absent event field must never clear a CRM field or reach it as null: null members are left out, at any depth. */
    private static JsonNode withoutNulls(JsonNode node) {
        if (node instanceof ObjectNode o) {
            ObjectNode copy = JSON.createObjectNode();
            o.properties().forEach(e -> {
                if (!e.getValue().isNull()) {
                    copy.set(e.getKey(), withoutNulls(e.getValue()));
                }
            });
            return copy;
        }
        if (node instanceof ArrayNode a) {
            ArrayNode copy = JSON.createArrayNode();
            a.forEach(item -> copy.add(withoutNulls(item)));
            return copy;
        }
        return node;
    }

    /** The document a template sees; ARCHITECTURE.md lists its fields. */
    public ObjectNode input(Command command, JsonNode contact) {
        ObjectNode in = JSON.createObjectNode();
        in.set("event", command.event());
        in.set("data", command.event().path("data"));
        ObjectNode c = in.putObject("command");
        c.put("commandId", command.commandId());
        c.put("eventId", command.eventId());
        c.put("ruleId", command.ruleId());
        c.put("action", command.action());
        c.put("customerE164", command.customerE164());
        c.put("callAt", command.callAt());
        if (command.dueAt() != null) {
            c.put("dueAt", command.dueAt());
        }
        c.set("with", command.with());
        if (contact != null && !contact.isNull()) {
            in.set("contact", contact);
        }
        in.set("settings", settings(command.crm()));
        in.put("now", OffsetDateTime.now(clock).atZoneSameInstant(zone).toOffsetDateTime().toString());
        return in;
    }

    /** Every template that a rule can reach renders, for each sample event, with and without a contact. */
    private void checkAgainstSamples() throws MappingException {
        List<JsonNode> events = samples(dir.resolve("samples"));
        for (String crm : templates.keySet()) {
            JsonNode contact = sampleContact(crm);
            for (JsonNode event : events) {
                for (Command command : planner.plan(event, List.of(crm), Set.of())) {
                    render(command, null);
                    render(command, contact);
                }
            }
        }
    }

    private JsonNode sampleContact(String crm) throws MappingException {
        Path file = dir.resolve(crm).resolve("sample-contact.json");
        if (!Files.exists(file)) {
            return null;
        }
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new MappingException(file.toString(), 0, "is not valid JSON: " + e.getMessage());
        }
    }

    private static List<JsonNode> samples(Path dir) throws MappingException {
        List<JsonNode> events = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return events;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                try {
                    events.add(JSON.readTree(f.toFile()));
                } catch (IOException e) {
                    throw new MappingException(f.toString(), 0, "is not valid JSON: " + e.getMessage());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return events;
    }

    private static ObjectNode settings(Path dir, String crm, Function<String, String> property) throws MappingException {
        Path file = dir.resolve(crm).resolve("settings.yaml");
        ObjectNode values = JSON.createObjectNode();
        if (Files.exists(file)) {
            try {
                JsonNode defaults = YAML.readTree(file.toFile());
                if (defaults != null && defaults.isObject()) {
                    values.setAll((ObjectNode) defaults);
                }
            } catch (IOException e) {
                throw new MappingException(file.toString(), 0, "is not valid YAML: " + e.getMessage());
            }
        }
        List<String> names = new ArrayList<>();
        values.fieldNames().forEachRemaining(names::add);
        for (String name : names) {
            String override = property.apply("callbridge.crm." + crm + "." + name);
            if (override != null && !override.isBlank()) {
                values.put(name, override.trim());
            }
        }
        return values;
    }

    private static String read(Path file) throws MappingException {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new MappingException(file.toString(), 0, "cannot be read: " + e.getMessage());
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "…" : s;
    }
}
