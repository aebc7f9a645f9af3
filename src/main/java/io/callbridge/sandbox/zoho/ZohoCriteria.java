package io.callbridge.sandbox.zoho;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callbridge.sandbox.Json;
import io.callbridge.sandbox.zoho.ZohoField.Type;

/**
 * The {@code criteria} of a search, {@code ((Last_Name:equals:Dupont)and(Phone:starts_with:+41))}: conditions
 * {@code (Api_Name:operator:value)}, combined with {@code and}/{@code or} (and binding tighter) and nested in
 * parentheses. Operators {@code equals}, {@code not_equal}, {@code starts_with} (text) and {@code in} (at most 100
 * comma-separated values); at most 15 conditions. Inside a value {@code (}, {@code )} and {@code ,} must be
 * escaped with a backslash ({@code \\} for a backslash itself); the rest of a value is taken as it arrives, after
 * the query string was decoded (an unencoded {@code +} is a space by then).
 *
 * <p>Text compares without letter case; numbers by value, date-times by instant, lookups ({@code Owner},
 * {@code Who_Id}, …) by record id. Not simulated: Zoho's looser {@code equals} that matches a word inside a value
 * when several conditions are given.
 */
final class ZohoCriteria {

    static final int MAX_CONDITIONS = 15;
    static final int MAX_IN_VALUES = 100;

    private final String text;
    private final ZohoModule module;
    private int pos;
    private int conditions;

    private ZohoCriteria(String text, ZohoModule module) {
        this.text = text;
        this.module = module;
    }

    /** The records the criteria select, or an INVALID_QUERY / CRITERIA_LIMIT_EXCEEDED error (400). */
    static Predicate<ObjectNode> parse(String criteria, ZohoModule module) {
        ZohoCriteria p = new ZohoCriteria(criteria.trim(), module);
        if (p.text.isEmpty()) throw invalid("criteria", "criteria is empty");
        Predicate<ObjectNode> out = p.expression();
        p.spaces();
        if (p.pos < p.text.length()) throw invalid("criteria", "unexpected text at position " + p.pos);
        if (p.conditions > MAX_CONDITIONS) {
            throw new ZohoError(400, "CRITERIA_LIMIT_EXCEEDED", "no of criterium that can be given exceed the limit 15", null);
        }
        return out;
    }

    private Predicate<ObjectNode> expression() {
        List<Predicate<ObjectNode>> ors = new ArrayList<>();
        Predicate<ObjectNode> and = group();
        while (true) {
            spaces();
            if (word("and")) {
                and = and.and(group());
            } else if (word("or")) {
                ors.add(and);
                and = group();
            } else {
                break;
            }
        }
        ors.add(and);
        Predicate<ObjectNode> out = ors.get(0);
        for (int i = 1; i < ors.size(); i++) out = out.or(ors.get(i));
        return out;
    }

    private Predicate<ObjectNode> group() {
        spaces();
        if (pos >= text.length() || text.charAt(pos) != '(') throw invalid("criteria", "expected ( at position " + pos);
        pos++;
        spaces();
        Predicate<ObjectNode> inner = pos < text.length() && text.charAt(pos) == '(' ? expression() : condition();
        spaces();
        if (pos >= text.length() || text.charAt(pos) != ')') throw invalid("criteria", "expected ) at position " + pos);
        pos++;
        return inner;
    }

    private boolean word(String w) {
        if (text.regionMatches(true, pos, w, 0, w.length())) {
            int after = pos + w.length();
            if (after < text.length() && (text.charAt(after) == '(' || text.charAt(after) == ' ')) {
                pos = after;
                return true;
            }
        }
        return false;
    }

    private void spaces() {
        while (pos < text.length() && text.charAt(pos) == ' ') pos++;
    }

    /** {@code Api_Name:operator:value}, up to the unescaped {@code )}. */
    private Predicate<ObjectNode> condition() {
        conditions++;
        int c1 = text.indexOf(':', pos);
        if (c1 < 0) throw invalid("criteria", "a condition is (Api_Name:operator:value)");
        String name = text.substring(pos, c1).trim();
        int c2 = text.indexOf(':', c1 + 1);
        if (c2 < 0) throw invalid(name, "a condition is (Api_Name:operator:value)");
        String operator = text.substring(c1 + 1, c2).trim().toLowerCase(Locale.ROOT);
        pos = c2 + 1;
        List<String> values = new ArrayList<>();
        StringBuilder v = new StringBuilder();
        while (true) {
            if (pos >= text.length()) throw invalid(name, "the value is not closed by )");
            char ch = text.charAt(pos);
            if (ch == '\\' && pos + 1 < text.length()) {
                v.append(text.charAt(pos + 1));
                pos += 2;
            } else if (ch == ')') {
                break;
            } else if (ch == '(') {
                throw invalid(name, "( inside a value must be escaped as \\(");
            } else if (ch == ',') {
                if (!operator.equals("in")) throw invalid(name, ", inside a value must be escaped as \\,");
                values.add(v.toString());
                v.setLength(0);
                pos++;
            } else {
                v.append(ch);
                pos++;
            }
        }
        values.add(v.toString());
        return test(name, operator, values);
    }

    private Predicate<ObjectNode> test(String name, String operator, List<String> values) {
        ZohoField f = module.queryable(name);
        if (f == null) throw invalid(name, "invalid field api name");
        if (f.type() == Type.JSON_ARRAY) throw invalid(name, "the field is not available for search");
        switch (operator) {
            case "equals", "not_equal", "starts_with" -> {
                if (values.size() != 1) throw invalid(name, "one value expected");
            }
            case "in" -> {
                if (values.size() > MAX_IN_VALUES) {
                    throw new ZohoError(400, "INVALID_QUERY", "Only 100 values are allowed in \"IN\" criteria", Json.object().put("api_name", name));
                }
            }
            default -> throw new ZohoError(400, "INVALID_QUERY", "Invalid query formed",
                    Json.object().put("operator", operator).put("reason", "invalid operator found").put("api_name", name));
        }
        if (operator.equals("starts_with") && !(f.type().isText() || f.type() == Type.READ_ONLY)) {
            throw new ZohoError(400, "INVALID_QUERY", "Invalid query formed",
                    Json.object().put("operator", operator).put("reason", "the operator is not supported for this field").put("api_name", name));
        }
        for (String v : values) checkValue(f, name, v);
        boolean negate = operator.equals("not_equal");
        boolean prefix = operator.equals("starts_with");
        return r -> {
            JsonNode stored = r.get(f.apiName());
            boolean any = false;
            for (String v : values) any |= matches(f, stored, v, prefix);
            return negate != any;
        };
    }

    private static void checkValue(ZohoField f, String name, String v) {
        boolean ok = switch (f.type()) {
            case INTEGER, DOUBLE -> isNumber(v);
            case BOOLEAN -> v.equals("true") || v.equals("false");
            case DATETIME -> ZohoSchema.parseDateTime(v) != null;
            case DATE -> v.matches("\\d{4}-\\d{2}-\\d{2}");
            default -> true;
        };
        if (!ok) {
            throw new ZohoError(400, "INVALID_QUERY", "Invalid query formed", Json.object()
                    .put("expected_data_type", f.type().expected).put("reason", "invalid value for the field").put("api_name", name));
        }
    }

    /** One stored value against one criteria value, by the field's type. */
    static boolean matches(ZohoField f, JsonNode stored, String v, boolean prefix) {
        if (stored == null || stored.isNull()) return false;
        return switch (f.type()) {
            case LOOKUP, OWNER, WHAT, PARENT -> (stored.isObject() ? stored.path("id").asText() : stored.asText()).equals(v);
            case INTEGER, DOUBLE -> isNumber(v) && stored.isNumber() && new BigDecimal(stored.asText()).compareTo(new BigDecimal(v)) == 0;
            case BOOLEAN -> stored.asText().equals(v);
            case DATETIME -> {
                Instant a = ZohoSchema.parseDateTime(stored.asText()), b = ZohoSchema.parseDateTime(v);
                yield a != null && a.equals(b);
            }
            default -> {
                String s = stored.asText().toLowerCase(Locale.ROOT), w = v.toLowerCase(Locale.ROOT);
                yield prefix ? s.startsWith(w) : s.equals(w);
            }
        };
    }

    private static boolean isNumber(String v) {
        try {
            new BigDecimal(v.trim());
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static ZohoError invalid(String apiName, String reason) {
        return new ZohoError(400, "INVALID_QUERY", "Invalid query formed", Json.object().put("reason", reason).put("api_name", apiName));
    }
}
