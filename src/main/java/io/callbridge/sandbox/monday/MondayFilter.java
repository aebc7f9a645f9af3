package io.callbridge.sandbox.monday;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import io.callbridge.sandbox.monday.MondayStore.Cell;
import io.callbridge.sandbox.monday.MondayStore.Item;
import io.callbridge.sandbox.monday.MondayWorkspace.Board;
import io.callbridge.sandbox.monday.MondayWorkspace.Column;

/**
 * The item filters: {@code items_page(query_params: {rules, operator, ids})} and
 * {@code items_page_by_column_values(columns)}.
 *
 * <p>Rule operators, per column type: {@code any_of}/{@code not_any_of} compare a status by index (or label; index 5
 * is monday's empty status), a phone by ISO-2 country code (as monday's phone column does), people by user id
 * ({@code person-60000001} or {@code 60000001}), connect-boards by item id, numbers numerically, a date by its day, and
 * every other column by its exact text; {@code is_empty}/{@code is_not_empty}; {@code contains_text}/
 * {@code not_contains_text}, {@code starts_with}/{@code ends_with}: case-insensitive on the column's text, for a phone
 * its stored digits (so {@code 791234567} finds {@code +41791234567}, {@code 079 123 45 67} finds nothing);
 * {@code greater_than(_or_equals)}, {@code lower_than(_or_equal)}, {@code between}: numbers and dates. The others of
 * monday's enum are refused with an error saying the sandbox does not implement them.
 *
 * <p>By column values: columns combine with AND, the values of one column with ANY_OF, each compared with the
 * column's exact text (a status by label, a phone by its stored digits); monday does not say which column types this
 * supports nor how a phone matches, the sandbox matches every type this way.
 */
final class MondayFilter {

    private MondayFilter() {
    }

    @SuppressWarnings("unchecked")
    static Predicate<Item> queryParams(Board board, Map<String, Object> params) {
        if (params == null) return i -> true;
        List<Predicate<Item>> parts = new ArrayList<>();
        Object rules = params.get("rules");
        if (rules instanceof List<?> list) {
            for (Object r : list) parts.add(rule(board, (Map<String, Object>) r));
        }
        boolean or = "or".equals(String.valueOf(params.get("operator")));
        Predicate<Item> combined = parts.isEmpty() ? i -> true
                : or ? parts.stream().reduce(Predicate::or).orElseThrow() : parts.stream().reduce(Predicate::and).orElseThrow();
        Object ids = params.get("ids");
        if (ids instanceof List<?> idList) {
            Set<String> wanted = new HashSet<>();
            idList.forEach(i -> wanted.add(String.valueOf(i)));
            return combined.and(i -> wanted.contains(i.id));
        }
        return combined;
    }

    static Predicate<Item> rule(Board board, Map<String, Object> rule) {
        String columnId = String.valueOf(rule.get("column_id"));
        Column c = MondayColumns.column(board, columnId);
        String op = rule.get("operator") == null ? "any_of" : String.valueOf(rule.get("operator"));
        List<String> values = values(rule.get("compare_value"));
        return switch (op) {
            case "any_of" -> i -> anyOf(c, i, values);
            case "not_any_of" -> i -> !anyOf(c, i, values);
            case "is_empty" -> i -> text(c, i).isEmpty();
            case "is_not_empty" -> i -> !text(c, i).isEmpty();
            case "contains_text" -> i -> values.stream().anyMatch(v -> lower(text(c, i)).contains(lower(v)));
            case "not_contains_text" -> i -> values.stream().noneMatch(v -> lower(text(c, i)).contains(lower(v)));
            case "starts_with" -> i -> values.stream().anyMatch(v -> lower(text(c, i)).startsWith(lower(v)));
            case "ends_with" -> i -> values.stream().anyMatch(v -> lower(text(c, i)).endsWith(lower(v)));
            case "greater_than" -> compare(c, values, 1, r -> r > 0);
            case "greater_than_or_equals" -> compare(c, values, 1, r -> r >= 0);
            case "lower_than" -> compare(c, values, 1, r -> r < 0);
            case "lower_than_or_equal" -> compare(c, values, 1, r -> r <= 0);
            case "between" -> {
                if (values.size() != 2) throw MondayError.invalidArgument("between takes two compare values");
                Predicate<Item> low = compare(c, values.subList(0, 1), 1, r -> r >= 0);
                Predicate<Item> high = compare(c, values.subList(1, 2), 1, r -> r <= 0);
                yield low.and(high);
            }
            default -> throw MondayError.invalidArgument("The sandbox does not implement the rule operator " + op);
        };
    }

    static Predicate<Item> byColumnValues(Board board, List<Map<String, Object>> columns) {
        Predicate<Item> p = i -> true;
        if (columns == null) return p;
        for (Map<String, Object> col : columns) {
            Column c = MondayColumns.column(board, String.valueOf(col.get("column_id")));
            List<String> wanted = values(col.get("column_values"));
            p = p.and(i -> wanted.contains(text(c, i)));
        }
        return p;
    }

    private static List<String> values(Object compare) {
        List<String> out = new ArrayList<>();
        if (compare instanceof List<?> l) {
            for (Object o : l) out.add(o == null ? "" : String.valueOf(o));
        } else if (compare != null) {
            out.add(String.valueOf(compare));
        }
        return out;
    }

    private static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }

    /** The column's text for an item, "" when empty; the name column is the item's name. */
    static String text(Column c, Item i) {
        if (c.type().equals("name")) return i.name;
        Cell cell = i.cells.get(c.id());
        return cell == null || cell.text() == null ? "" : cell.text();
    }

    private static boolean anyOf(Column c, Item i, List<String> values) {
        Cell cell = i.cells.get(c.id());
        JsonNode v = cell == null ? null : cell.value();
        switch (c.type()) {
            case "status" -> {
                for (String s : values) {
                    if (cell == null && s.equals("5")) return true;
                    if (cell != null && (s.equals(v.path("index").asText()) || s.equals(cell.text()))) return true;
                }
                return false;
            }
            case "phone" -> {
                return cell != null && values.stream().anyMatch(s -> s.equalsIgnoreCase(v.path("countryShortName").asText()));
            }
            case "people" -> {
                if (cell == null) return false;
                for (JsonNode p : v.path("personsAndTeams")) {
                    String id = p.path("id").asText();
                    if (values.contains(id) || values.contains("person-" + id)) return true;
                }
                return false;
            }
            case "board_relation" -> {
                if (cell == null) return false;
                for (JsonNode p : v.path("linkedPulseIds")) if (values.contains(p.path("linkedPulseId").asText())) return true;
                return false;
            }
            case "numbers" -> {
                if (cell == null) return false;
                for (String s : values) {
                    try {
                        if (new BigDecimal(s).compareTo(new BigDecimal(cell.text())) == 0) return true;
                    } catch (NumberFormatException ignored) {
                        // not a number: matches nothing
                    }
                }
                return false;
            }
            case "date" -> {
                return cell != null && values.contains(v.path("date").asText());
            }
            default -> {
                return values.contains(text(c, i));
            }
        }
    }

    private interface Test {
        boolean ok(int comparison);
    }

    private static Predicate<Item> compare(Column c, List<String> values, int n, Test test) {
        if (values.size() < n) throw MondayError.invalidArgument("compare_value is missing");
        String bound = values.get(0);
        return switch (c.type()) {
            case "numbers" -> {
                BigDecimal b;
                try {
                    b = new BigDecimal(bound);
                } catch (NumberFormatException e) {
                    throw MondayError.invalidArgument("compare_value " + bound + " is not a number");
                }
                yield i -> {
                    Cell cell = i.cells.get(c.id());
                    return cell != null && test.ok(new BigDecimal(cell.text()).compareTo(b));
                };
            }
            case "date" -> i -> {
                Cell cell = i.cells.get(c.id());
                return cell != null && test.ok(cell.value().path("date").asText().compareTo(bound));
            };
            default -> throw MondayError.invalidArgument("The sandbox compares only numbers and date columns with this operator");
        };
    }
}
