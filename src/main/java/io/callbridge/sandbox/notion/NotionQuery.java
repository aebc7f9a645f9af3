package io.callbridge.sandbox.notion;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import io.callbridge.sandbox.notion.NotionStore.Page;
import io.callbridge.sandbox.notion.NotionWorkspace.DataSource;
import io.callbridge.sandbox.notion.NotionWorkspace.Property;

/**
 * The {@code filter} and {@code sorts} of a data source (or database) query. Property filters name the property by
 * name or id and must use its type's condition ({@code {"property":"Phone","phone_number":{"equals":"…"}}}); text
 * conditions compare the plain text literally and case-sensitively (Notion neither validates nor normalises phone
 * numbers; its case handling is unconfirmed). Compound {@code and}/{@code or} hold at most 100 filters and nest at
 * most two levels deep. Without sorts, the newest page comes first (unconfirmed default).
 */
final class NotionQuery {

    private static final List<String> TEXT = List.of("title", "rich_text", "phone_number", "email", "url");

    private NotionQuery() {
    }

    static Predicate<Page> filter(DataSource ds, JsonNode f) {
        if (f == null || f.isNull()) return p -> true;
        return compile(ds, f, "filter", 0);
    }

    private static Predicate<Page> compile(DataSource ds, JsonNode f, String at, int depth) {
        if (!f.isObject()) throw NotionError.body(at, "an object", NotionValues.kind(f));
        for (String op : List.of("and", "or")) {
            if (!f.has(op)) continue;
            if (depth >= 2) throw NotionError.body(at, "a property or timestamp filter (compound filters nest at most two levels)", "`" + op + "`");
            JsonNode list = f.get(op);
            if (!list.isArray()) throw NotionError.body(at + "." + op, "an array", NotionValues.kind(list));
            if (list.size() > NotionValues.MAX_ARRAY) throw NotionError.body(at + "." + op + ".length", "≤ `100`", list.size());
            List<Predicate<Page>> parts = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) parts.add(compile(ds, list.get(i), at + "." + op + "[" + i + "]", depth + 1));
            return op.equals("and") ? p -> parts.stream().allMatch(x -> x.test(p)) : p -> parts.stream().anyMatch(x -> x.test(p));
        }
        if (f.has("timestamp")) {
            String ts = f.get("timestamp").asText();
            if (!ts.equals("created_time") && !ts.equals("last_edited_time")) {
                throw NotionError.body(at + ".timestamp", "`\"created_time\"` or `\"last_edited_time\"`", ts);
            }
            JsonNode c = f.path(ts);
            if (!c.isObject()) throw NotionError.body(at + "." + ts, "defined", "undefined");
            return p -> dateMatches(c, (ts.equals("created_time") ? p.createdTime : p.lastEditedTime).toString(), at + "." + ts);
        }
        if (!f.path("property").isTextual()) throw NotionError.body(at + ".property", "defined", "undefined");
        Property prop = ds.property(f.get("property").asText());
        if (prop == null) throw NotionError.validation("Could not find property with name or id: " + f.get("property").asText());
        JsonNode c = f.get(prop.type);
        if (c == null || !c.isObject()) {
            throw NotionError.validation("body failed validation: " + at + "." + prop.type + " should be defined for property "
                    + prop.name + " of type " + prop.type + ", instead was `undefined`.");
        }
        String cat = at + "." + prop.type;
        // validate once, eagerly, so a bad condition fails even on an empty data source
        Predicate<JsonNode> cond = condition(prop, c, cat);
        return p -> cond.test(p.values.get(prop.name));
    }

    private static Predicate<JsonNode> condition(Property prop, JsonNode c, String at) {
        if (c.size() != 1) throw NotionError.body(at, "an object with exactly one condition", c.toString());
        String op = c.fieldNames().next();
        JsonNode arg = c.get(op);
        if (TEXT.contains(prop.type)) {
            return switch (op) {
                case "equals" -> v -> text(v).equals(str(arg, at, op));
                case "does_not_equal" -> v -> !text(v).equals(str(arg, at, op));
                case "contains" -> v -> text(v).contains(str(arg, at, op));
                case "does_not_contain" -> v -> !text(v).contains(str(arg, at, op));
                case "starts_with" -> v -> text(v).startsWith(str(arg, at, op));
                case "ends_with" -> v -> text(v).endsWith(str(arg, at, op));
                case "is_empty" -> trueArg(arg, at, op, v -> text(v).isEmpty());
                case "is_not_empty" -> trueArg(arg, at, op, v -> !text(v).isEmpty());
                default -> throw unknown(at, op);
            };
        }
        switch (prop.type) {
            case "number" -> {
                if (op.equals("is_empty")) return trueArg(arg, at, op, v -> v == null || v.isNull());
                if (op.equals("is_not_empty")) return trueArg(arg, at, op, v -> v != null && v.isNumber());
                if (!arg.isNumber()) throw NotionError.body(at + "." + op, "a number", NotionValues.kind(arg));
                double n = arg.asDouble();
                Predicate<Double> t = switch (op) {
                    case "equals" -> d -> d == n;
                    case "does_not_equal" -> d -> d != n;
                    case "greater_than" -> d -> d > n;
                    case "less_than" -> d -> d < n;
                    case "greater_than_or_equal_to" -> d -> d >= n;
                    case "less_than_or_equal_to" -> d -> d <= n;
                    default -> throw unknown(at, op);
                };
                return op.equals("does_not_equal") ? v -> v == null || !v.isNumber() || t.test(v.asDouble())
                        : v -> v != null && v.isNumber() && t.test(v.asDouble());
            }
            case "checkbox" -> {
                if (!arg.isBoolean()) throw NotionError.body(at + "." + op, "a boolean", NotionValues.kind(arg));
                boolean b = arg.asBoolean();
                return switch (op) {
                    case "equals" -> v -> (v != null && v.asBoolean()) == b;
                    case "does_not_equal" -> v -> (v != null && v.asBoolean()) != b;
                    default -> throw unknown(at, op);
                };
            }
            case "select", "status" -> {
                return switch (op) {
                    case "equals" -> v -> v != null && !v.isNull() && v.path("name").asText().equals(str(arg, at, op));
                    case "does_not_equal" -> v -> v == null || v.isNull() || !v.path("name").asText().equals(str(arg, at, op));
                    case "is_empty" -> trueArg(arg, at, op, v -> v == null || v.isNull());
                    case "is_not_empty" -> trueArg(arg, at, op, v -> v != null && !v.isNull());
                    default -> throw unknown(at, op);
                };
            }
            case "date" -> {
                Predicate<JsonNode> empty = v -> v == null || v.isNull();
                if (op.equals("is_empty")) return trueArg(arg, at, op, empty);
                if (op.equals("is_not_empty")) return trueArg(arg, at, op, empty.negate());
                dateMatches(c, "2000-01-01", at); // validates the condition
                return v -> !empty.test(v) && dateMatches(c, v.path("start").asText(), at);
            }
            case "relation", "people" -> {
                Predicate<JsonNode> empty = v -> v == null || v.isEmpty();
                return switch (op) {
                    case "contains" -> v -> !empty.test(v) && ids(v).contains(NotionWorkspace.normalizeId(str(arg, at, op)));
                    case "does_not_contain" -> v -> empty.test(v) || !ids(v).contains(NotionWorkspace.normalizeId(str(arg, at, op)));
                    case "is_empty" -> trueArg(arg, at, op, empty);
                    case "is_not_empty" -> trueArg(arg, at, op, empty.negate());
                    default -> throw unknown(at, op);
                };
            }
            default -> throw unknown(at, op);
        }
    }

    private static List<String> ids(JsonNode v) {
        List<String> out = new ArrayList<>();
        v.forEach(x -> out.add(x.path("id").asText()));
        return out;
    }

    /** A date condition ({@code equals|before|after|on_or_before|on_or_after}) against an ISO date or date-time. */
    private static boolean dateMatches(JsonNode c, String value, String at) {
        String op = c.fieldNames().next();
        JsonNode arg = c.get(op);
        if (!arg.isTextual()) throw NotionError.body(at + "." + op, "a valid ISO 8601 date string", NotionValues.kind(arg));
        String a = arg.asText();
        int cmp;
        try {
            if (a.length() == 10) {
                cmp = localDate(value).compareTo(LocalDate.parse(a));
            } else {
                cmp = instant(value).compareTo(OffsetDateTime.parse(a).toInstant());
            }
        } catch (java.time.format.DateTimeParseException e) {
            throw NotionError.body(at + "." + op, "a valid ISO 8601 date string", a);
        }
        return switch (op) {
            case "equals" -> cmp == 0;
            case "before" -> cmp < 0;
            case "after" -> cmp > 0;
            case "on_or_before" -> cmp <= 0;
            case "on_or_after" -> cmp >= 0;
            default -> throw unknown(at, op);
        };
    }

    private static LocalDate localDate(String v) {
        return v.length() == 10 ? LocalDate.parse(v) : v.endsWith("Z") && v.contains("T") && !v.contains("+")
                ? Instant.parse(v).atOffset(ZoneOffset.UTC).toLocalDate() : OffsetDateTime.parse(v).toLocalDate();
    }

    private static Instant instant(String v) {
        return v.length() == 10 ? LocalDate.parse(v).atStartOfDay(ZoneOffset.UTC).toInstant() : OffsetDateTime.parse(v).toInstant();
    }

    private static Predicate<JsonNode> trueArg(JsonNode arg, String at, String op, Predicate<JsonNode> p) {
        if (!arg.isBoolean() || !arg.asBoolean()) throw NotionError.body(at + "." + op, "`true`", NotionValues.kind(arg));
        return p;
    }

    private static String str(JsonNode arg, String at, String op) {
        if (!arg.isTextual()) throw NotionError.body(at + "." + op, "a string", NotionValues.kind(arg));
        return arg.asText();
    }

    private static NotionError unknown(String at, String op) {
        return NotionError.body(at + "." + op, "a known condition", "undefined");
    }

    static String text(JsonNode v) {
        if (v == null || v.isNull()) return "";
        if (v.isTextual()) return v.asText();
        StringBuilder sb = new StringBuilder();
        for (JsonNode t : v) sb.append(t.path("plain_text").asText());
        return sb.toString();
    }

    /** Sorts in order of precedence; the newest first without any. */
    static Comparator<Page> sorts(DataSource ds, JsonNode sorts) {
        Comparator<Page> newestFirst = Comparator.comparing((Page p) -> p.createdTime).thenComparingLong(p -> p.seq).reversed();
        if (sorts == null || sorts.isNull()) return newestFirst;
        if (!sorts.isArray()) throw NotionError.body("sorts", "an array", NotionValues.kind(sorts));
        if (sorts.size() > NotionValues.MAX_ARRAY) throw NotionError.body("sorts.length", "≤ `100`", sorts.size());
        Comparator<Page> out = null;
        for (int i = 0; i < sorts.size(); i++) {
            JsonNode s = sorts.get(i);
            String at = "sorts[" + i + "]";
            String dir = s.path("direction").asText("ascending");
            if (!dir.equals("ascending") && !dir.equals("descending")) {
                throw NotionError.body(at + ".direction", "`\"ascending\"` or `\"descending\"`", dir);
            }
            Comparator<Page> c;
            if (s.has("timestamp")) {
                String ts = s.get("timestamp").asText();
                if (ts.equals("created_time")) c = Comparator.comparing((Page p) -> p.createdTime);
                else if (ts.equals("last_edited_time")) c = Comparator.comparing((Page p) -> p.lastEditedTime);
                else throw NotionError.body(at + ".timestamp", "`\"created_time\"` or `\"last_edited_time\"`", ts);
            } else if (s.path("property").isTextual()) {
                Property prop = ds.property(s.get("property").asText());
                if (prop == null) throw NotionError.validation("Could not find sort property with name or id: " + s.get("property").asText());
                c = (a, b) -> compareValues(prop, a.values.get(prop.name), b.values.get(prop.name));
            } else {
                throw NotionError.body(at + ".property", "defined", "undefined");
            }
            if (dir.equals("descending")) c = c.reversed();
            out = out == null ? c : out.thenComparing(c);
        }
        return out == null ? newestFirst : out.thenComparing(newestFirst);
    }

    /** Empty values last in ascending order. */
    private static int compareValues(Property p, JsonNode a, JsonNode b) {
        boolean ea = empty(a), eb = empty(b);
        if (ea || eb) return ea == eb ? 0 : ea ? 1 : -1;
        return switch (p.type) {
            case "number" -> Double.compare(a.asDouble(), b.asDouble());
            case "checkbox" -> Boolean.compare(a.asBoolean(), b.asBoolean());
            case "date" -> instant(a.path("start").asText()).compareTo(instant(b.path("start").asText()));
            case "select", "status" -> a.path("name").asText().compareTo(b.path("name").asText());
            default -> text(a).compareTo(text(b));
        };
    }

    private static boolean empty(JsonNode v) {
        return v == null || v.isNull() || (v.isArray() && v.isEmpty()) || (v.isTextual() && v.asText().isEmpty());
    }
}
