package io.callbridge.mapping;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads {@code mappings/rules.yaml}. Every mistake is reported with the file and line, so an
 * integrator never has to read a stack trace.
 */
public final class RulesFile {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Set<String> RULE_KEYS = Set.of("id", "description", "when", "actions");
    private static final Set<String> ACTION_KEYS = Set.of("action", "crms", "with");

    private final String file;
    private final ZoneId zone;
    private final Set<String> knownCrms;

    private RulesFile(String file, ZoneId zone, Set<String> knownCrms) {
        this.file = file;
        this.zone = zone;
        this.knownCrms = knownCrms;
    }

    /** @param knownCrms the CRMs an action may name in {@code crms} (enabled or not) */
    public static List<Rule> load(Path path, ZoneId zone, Set<String> knownCrms) throws MappingException {
        try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            return new RulesFile(path.toString(), zone, knownCrms).parse(reader);
        } catch (IOException e) {
            throw new MappingException(path.toString(), 0, "cannot be read: " + e.getMessage());
        }
    }

    private List<Rule> parse(Reader reader) throws MappingException {
        Node root;
        try {
            root = new Yaml(new LoaderOptions()).compose(reader);
        } catch (MarkedYAMLException e) {
            throw new MappingException(file, e.getProblemMark().getLine() + 1, "is not valid YAML: " + e.getProblem());
        }
        if (!(root instanceof MappingNode map)) {
            throw new MappingException(file, 1, "must be a map with a 'rules' list");
        }
        Node rulesNode = value(map, "rules");
        if (!(rulesNode instanceof SequenceNode list)) {
            throw new MappingException(file, line(root), "must have a 'rules' list");
        }
        List<Rule> rules = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (Node item : list.getValue()) {
            Rule rule = rule(item);
            if (!ids.add(rule.id())) {
                throw new MappingException(file, rule.line(), "rule id '" + rule.id() + "' is used twice");
            }
            rules.add(rule);
        }
        return rules;
    }

    private Rule rule(Node node) throws MappingException {
        if (!(node instanceof MappingNode map)) {
            throw new MappingException(file, line(node), "a rule must be a map with id, when and actions");
        }
        unknownKeys(map, RULE_KEYS, "rule");
        String id = scalar(map, "id", true);
        if (!id.matches("[a-z0-9][a-z0-9-]*")) {
            throw new MappingException(file, line(value(map, "id")),
                    "rule id '" + id + "' must be lower-case letters, digits and dashes (it is part of every commandId)");
        }
        Node whenNode = value(map, "when");
        String when = scalar(map, "when", true);
        Expression condition = Expression.compile(when, file, line(whenNode), zone);
        Node actionsNode = value(map, "actions");
        if (!(actionsNode instanceof SequenceNode seq) || seq.getValue().isEmpty()) {
            throw new MappingException(file, line(map), "rule '" + id + "' needs a non-empty 'actions' list");
        }
        List<RuleAction> actions = new ArrayList<>();
        for (Node a : seq.getValue()) {
            actions.add(action(a, id));
        }
        return new Rule(id, scalar(map, "description", false), condition, List.copyOf(actions), line(map));
    }

    private RuleAction action(Node node, String ruleId) throws MappingException {
        String action;
        List<String> crms = new ArrayList<>();
        ObjectNode with = NODES.objectNode();
        if (node instanceof ScalarNode s) {
            action = s.getValue();
        } else if (node instanceof MappingNode map) {
            unknownKeys(map, ACTION_KEYS, "action");
            action = scalar(map, "action", true);
            Node crmsNode = value(map, "crms");
            if (crmsNode instanceof SequenceNode seq) {
                for (Node c : seq.getValue()) {
                    String crm = c instanceof ScalarNode s ? s.getValue() : "";
                    if (!knownCrms.contains(crm)) {
                        throw new MappingException(file, line(c), "unknown CRM '" + crm + "'; known: " + new java.util.TreeSet<>(knownCrms));
                    }
                    crms.add(crm);
                }
            } else if (crmsNode != null) {
                throw new MappingException(file, line(crmsNode), "crms must be a list of CRM names, one of " + new java.util.TreeSet<>(knownCrms));
            }
            Node withNode = value(map, "with");
            if (withNode != null) {
                JsonNode w = json(withNode);
                if (!w.isObject()) {
                    throw new MappingException(file, line(withNode), "'with' must be a map");
                }
                with = (ObjectNode) w;
            }
        } else {
            throw new MappingException(file, line(node), "an action is a name or a map with 'action'");
        }
        if (!Actions.known(action)) {
            throw new MappingException(file, line(node), "unknown action '" + action + "' in rule '" + ruleId
                    + "'; known: " + Actions.ALL);
        }
        Map<String, Expression> computed = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : with.properties()) {
            if (e.getValue().isTextual() && e.getValue().asText().startsWith("=")) {
                computed.put(e.getKey(), Expression.compile(e.getValue().asText().substring(1), file, line(node), zone));
            }
        }
        String due = with.hasNonNull("due") ? with.get("due").asText() : null;
        if (due != null && !due.startsWith("=") && !due.matches("[+-]?P(\\d+[YMWD])*(T(\\d+[HMS])+)?")) {
            throw new MappingException(file, line(node), "due '" + due + "' is not an ISO-8601 period such as P2D, -P1D or PT2H");
        }
        return new RuleAction(action, List.copyOf(crms), with, Map.copyOf(computed), line(node));
    }

    private void unknownKeys(MappingNode map, Set<String> allowed, String what) throws MappingException {
        for (NodeTuple t : map.getValue()) {
            String key = t.getKeyNode() instanceof ScalarNode s ? s.getValue() : "?";
            if (!allowed.contains(key)) {
                throw new MappingException(file, line(t.getKeyNode()), "unknown key '" + key + "' in a " + what
                        + "; allowed: " + allowed);
            }
        }
    }

    private String scalar(MappingNode map, String key, boolean required) throws MappingException {
        Node v = value(map, key);
        if (v == null) {
            if (required) {
                throw new MappingException(file, line(map), "'" + key + "' is required");
            }
            return null;
        }
        if (!(v instanceof ScalarNode s) || s.getValue().isBlank()) {
            throw new MappingException(file, line(v), "'" + key + "' must be a non-empty text");
        }
        return s.getValue();
    }

    private static Node value(MappingNode map, String key) {
        for (NodeTuple t : map.getValue()) {
            if (t.getKeyNode() instanceof ScalarNode s && s.getValue().equals(key)) {
                return t.getValueNode();
            }
        }
        return null;
    }

    private static JsonNode json(Node node) {
        if (node instanceof MappingNode map) {
            ObjectNode o = NODES.objectNode();
            for (NodeTuple t : map.getValue()) {
                o.set(((ScalarNode) t.getKeyNode()).getValue(), json(t.getValueNode()));
            }
            return o;
        }
        if (node instanceof SequenceNode seq) {
            ArrayNode a = NODES.arrayNode();
            seq.getValue().forEach(n -> a.add(json(n)));
            return a;
        }
        ScalarNode s = (ScalarNode) node;
        Tag tag = s.getTag();
        String v = s.getValue();
        if (Tag.INT.equals(tag)) {
            return NODES.numberNode(Long.parseLong(v));
        } else if (Tag.FLOAT.equals(tag)) {
            return NODES.numberNode(new java.math.BigDecimal(v));
        } else if (Tag.BOOL.equals(tag)) {
            return NODES.booleanNode(Boolean.parseBoolean(v));
        } else if (Tag.NULL.equals(tag)) {
            return NODES.nullNode();
        }
        return NODES.textNode(v);
    }

    private static int line(Node node) {
        return node == null ? 0 : node.getStartMark().getLine() + 1;
    }
}
