package io.callbridge.sandbox.monday;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import graphql.language.Argument;
import graphql.language.ArrayValue;
import graphql.language.Field;
import graphql.language.FragmentDefinition;
import graphql.language.FragmentSpread;
import graphql.language.InlineFragment;
import graphql.language.IntValue;
import graphql.language.OperationDefinition;
import graphql.language.Selection;
import graphql.language.SelectionSet;
import graphql.language.Value;
import graphql.language.VariableReference;

/**
 * The sandbox's complexity model (monday does not publish its formula; only "each create_item ≈ 10,000 points" and
 * a 5,000,000 maximum per query are documented):
 * <pre>
 * leaf field                                     1
 * object field                                   1 + its selection
 * list field (boards, items, users, columns,     n × (1 + its selection), n = number of ids given, else the limit
 *   column_values, updates, groups)               (boards 25, items 25, users 200, updates 25; columns and
 *                                                 column_values: ids given, else 10; groups 1)
 * items_page, next_items_page,                   limit × (1 + its selection), the items inside counting once
 *   items_page_by_column_values
 * create_item, change_multiple_column_values,    10,000 + its selection
 *   change_column_value, change_simple_column_value, create_update
 * complexity                                     0
 * </pre>
 * Example: {@code boards(ids:[1]) { items_page(limit: 25) { cursor items { id name } } }} costs
 * 1 × (1 + 25 × (1 + 1 + (1 + 1 + 1))) = 126.
 */
final class MondayComplexity {

    static final long MUTATION_COST = 10_000;
    static final long MAX_PER_QUERY = 5_000_000;
    private static final int DEFAULT_COLUMNS = 10;

    private final Map<String, FragmentDefinition> fragments;
    private final Map<String, Object> variables;

    private MondayComplexity(Map<String, FragmentDefinition> fragments, Map<String, Object> variables) {
        this.fragments = fragments;
        this.variables = variables == null ? Map.of() : variables;
    }

    static long cost(OperationDefinition op, List<FragmentDefinition> fragmentDefinitions, Map<String, Object> variables) {
        Map<String, FragmentDefinition> f = new HashMap<>();
        fragmentDefinitions.forEach(d -> f.put(d.getName(), d));
        return new MondayComplexity(f, variables).selection(op.getSelectionSet(), null, 0);
    }

    private long selection(SelectionSet set, String parent, int depth) {
        if (set == null || depth > 50) return 0;
        long sum = 0;
        for (Selection<?> s : set.getSelections()) {
            if (s instanceof Field f) {
                sum += field(f, parent, depth);
            } else if (s instanceof InlineFragment i) {
                sum += selection(i.getSelectionSet(), parent, depth + 1);
            } else if (s instanceof FragmentSpread sp && fragments.containsKey(sp.getName())) {
                sum += selection(fragments.get(sp.getName()).getSelectionSet(), parent, depth + 1);
            }
        }
        return sum;
    }

    private long field(Field f, String parent, int depth) {
        String name = f.getName();
        long inner = selection(f.getSelectionSet(), name, depth + 1);
        boolean pageItems = name.equals("items") && parent != null && parent.contains("items_page");
        return switch (name) {
            case "complexity" -> 0;
            case "create_item", "change_multiple_column_values", "change_column_value", "change_simple_column_value", "create_update"
                    -> MUTATION_COST + inner;
            case "items_page", "next_items_page", "items_page_by_column_values" -> intArg(f, "limit", 25) * (1 + inner);
            case "boards", "users", "updates" -> count(f, name.equals("users") ? 200 : 25) * (1 + inner);
            case "items" -> pageItems ? 1 + inner : count(f, 25) * (1 + inner);
            case "columns", "column_values" -> count(f, DEFAULT_COLUMNS) * (1 + inner);
            default -> f.getSelectionSet() == null ? 1 : 1 + inner;
        };
    }

    /** The number of ids given, else the limit argument, else {@code dflt}. */
    private long count(Field f, long dflt) {
        Object ids = arg(f, "ids");
        if (ids instanceof List<?> l) return Math.max(1, l.size());
        return intArg(f, "limit", dflt);
    }

    private long intArg(Field f, String name, long dflt) {
        Object v = arg(f, name);
        if (v instanceof Number n) return Math.max(1, n.longValue());
        return dflt;
    }

    private Object arg(Field f, String name) {
        for (Argument a : f.getArguments()) {
            if (a.getName().equals(name)) return value(a.getValue());
        }
        return null;
    }

    private Object value(Value<?> v) {
        if (v instanceof VariableReference r) return variables.get(r.getName());
        if (v instanceof IntValue i) return i.getValue();
        if (v instanceof ArrayValue a) return a.getValues();
        return null;
    }
}
