package io.callbridge.sandbox.zoho;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callbridge.sandbox.Json;
import io.callbridge.sandbox.zoho.ZohoField.Type;

/**
 * The part of COQL a connector needs: {@code select Field, … from Module [where …] [order by Field [asc|desc], …]
 * [limit n | limit offset, n | limit n offset m]}. Conditions: {@code =, !=, <>, <, >, <=, >=}, {@code [not] like}
 * with {@code %} wildcards, {@code [not] in (…)}, {@code is [not] null}, joined with {@code and}/{@code or} and
 * parentheses; at most 25 of them. LIMIT defaults to 200, at most 2000. Text compares without letter case;
 * lookups ({@code Owner}, {@code Who_Id}, …) compare their record id and are answered as {@code {"id"}}.
 * Not simulated: joins through lookups ({@code Account_Name.Account_Name}), aggregates, aliases. Converted leads
 * are left out, as search leaves them out by default.
 */
final class ZohoCoql {

    static final int MAX_CRITERIA = 25;
    static final int MAX_LIMIT = 2000;
    static final int DEFAULT_LIMIT = 200;
    private static final Pattern LIMIT = Pattern.compile("(?i)\\blimit\\s+(\\d+)(?:\\s*,\\s*(\\d+))?");
    private static final Set<String> KEYWORDS = Set.of("select", "from", "where", "and", "or", "not", "in", "like", "is", "null",
            "order", "by", "asc", "desc", "limit", "offset");

    record Order(ZohoField field, boolean descending) { }

    record Query(ZohoModule module, List<ZohoField> columns, Predicate<ObjectNode> where, List<Order> order, int limit, int offset) { }

    private enum Kind { WORD, STRING, NUMBER, SYMBOL, END }

    private record Token(Kind kind, String text, int column) {
        boolean is(String word) {
            return (kind == Kind.WORD || kind == Kind.SYMBOL) && text.equalsIgnoreCase(word);
        }
    }

    private final ZohoSchema schema;
    private final List<Token> tokens;
    private int at;
    private int criteria;
    private ZohoModule module;

    private ZohoCoql(ZohoSchema schema, String query) {
        this.schema = schema;
        this.tokens = tokenize(query);
    }

    /** API credits of a query by its LIMIT: 1 up to 200 records, 2 up to 1000, 3 beyond (1 when there is none). */
    static int credits(String selectQuery) {
        Matcher m = LIMIT.matcher(selectQuery == null ? "" : selectQuery);
        if (!m.find()) return 1;
        long limit = Long.parseLong(m.group(m.group(2) != null ? 2 : 1));
        return limit <= 200 ? 1 : limit <= 1000 ? 2 : 3;
    }

    static Query parse(ZohoSchema schema, String selectQuery) {
        return new ZohoCoql(schema, selectQuery).query();
    }

    /** The answer, or null when no record matches (Zoho answers 204 then). */
    static ObjectNode run(Query q, ZohoStore store) {
        List<ObjectNode> rows = new ArrayList<>();
        for (ObjectNode r : store.all(q.module().apiName())) {
            if (r.path("$converted").asBoolean(false)) continue;
            if (q.where() == null || q.where().test(r)) rows.add(r);
        }
        if (!q.order().isEmpty()) {
            Comparator<ObjectNode> c = null;
            for (Order o : q.order()) {
                Comparator<ObjectNode> next = Comparator.comparing((ObjectNode r) -> sortKey(o.field(), r.get(o.field().apiName())),
                        Comparator.nullsFirst(Comparator.naturalOrder()));
                if (o.descending()) next = next.reversed();
                c = c == null ? next : c.thenComparing(next);
            }
            rows.sort(c);
        }
        int from = Math.min(q.offset(), rows.size());
        int to = Math.min(rows.size(), from + q.limit());
        if (from >= to) return null;
        ObjectNode out = Json.object();
        ArrayNode data = out.putArray("data");
        for (ObjectNode r : rows.subList(from, to)) {
            ObjectNode row = data.addObject();
            for (ZohoField f : q.columns()) {
                JsonNode v = r.get(f.apiName());
                if (v == null || v.isNull()) row.putNull(f.apiName());
                else if (f.type().isLookup() && v.isObject()) row.set(f.apiName(), Json.object().put("id", v.path("id").asText()));
                else row.set(f.apiName(), v.deepCopy());
            }
            row.put("id", r.get("id").asText());
        }
        out.putObject("info").put("count", to - from).put("more_records", to < rows.size());
        return out;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Comparable sortKey(ZohoField f, JsonNode v) {
        if (v == null || v.isNull()) return null;
        if (v.isNumber()) return new BigDecimal(v.asText());
        if (f.type() == Type.DATETIME) return ZohoSchema.parseDateTime(v.asText());
        if (v.isObject()) return v.path("id").asText();
        return v.asText().toLowerCase(Locale.ROOT);
    }

    // ---- parsing ------------------------------------------------------------------------------

    private Query query() {
        expect("select");
        List<String> names = new ArrayList<>();
        do {
            Token t = next();
            if (t.kind() != Kind.WORD || KEYWORDS.contains(t.text().toLowerCase(Locale.ROOT))) throw syntax(t);
            names.add(t.text());
        } while (accept(","));
        expect("from");
        Token m = next();
        if (m.kind() != Kind.WORD) throw syntax(m);
        module = schema.moduleFromPath(m.text());
        if (module == null) {
            throw new ZohoError(400, "INVALID_QUERY", "invalid query formed", Json.object().put("module", m.text()).put("reason", "invalid module"));
        }
        List<ZohoField> columns = new ArrayList<>();
        for (String n : names) columns.add(column(n, "select"));
        Predicate<ObjectNode> where = null;
        if (accept("where")) where = or();
        if (criteria > MAX_CRITERIA) {
            throw new ZohoError(400, "LIMIT_EXCEEDED", "criteria limit exceeded", Json.object().put("by", "criteria").put("limit", MAX_CRITERIA));
        }
        List<Order> order = new ArrayList<>();
        if (accept("order")) {
            expect("by");
            do {
                ZohoField f = column(word().text(), "order by");
                boolean desc = accept("desc");
                if (!desc) accept("asc");
                order.add(new Order(f, desc));
            } while (accept(","));
        }
        int limit = DEFAULT_LIMIT, offset = 0;
        if (accept("limit")) {
            limit = number();
            if (accept(",")) {
                offset = limit;
                limit = number();
            } else if (accept("offset")) {
                offset = number();
            }
            if (limit > MAX_LIMIT) {
                throw new ZohoError(400, "LIMIT_EXCEEDED", "limit exceeded", Json.object().put("by", "limit").put("limit", MAX_LIMIT));
            }
            if (limit < 1) throw syntax(tokens.get(Math.min(at, tokens.size()) - 1));
        }
        Token end = next();
        if (end.kind() != Kind.END) throw syntax(end);
        return new Query(module, columns, where, order, limit, offset);
    }

    private ZohoField column(String name, String clause) {
        ZohoField f = module.queryable(name);
        if (f == null) {
            throw new ZohoError(400, "INVALID_QUERY", "column given seems to be invalid", Json.object().put("column_name", name).put("clause", clause));
        }
        return f;
    }

    private Predicate<ObjectNode> or() {
        Predicate<ObjectNode> p = and();
        while (accept("or")) p = p.or(and());
        return p;
    }

    private Predicate<ObjectNode> and() {
        Predicate<ObjectNode> p = primary();
        while (accept("and")) p = p.and(primary());
        return p;
    }

    private Predicate<ObjectNode> primary() {
        if (accept("(")) {
            Predicate<ObjectNode> p = or();
            expect(")");
            return p;
        }
        return condition();
    }

    private Predicate<ObjectNode> condition() {
        criteria++;
        ZohoField f = column(word().text(), "where");
        if (f.type() == Type.JSON_ARRAY) throw unsupported(f, "where");
        String name = f.apiName();
        if (accept("is")) {
            boolean not = accept("not");
            expect("null");
            return r -> not != blank(r.get(name));
        }
        boolean not = accept("not");
        if (accept("in")) {
            expect("(");
            List<Token> values = new ArrayList<>();
            do {
                values.add(literal(f));
            } while (accept(","));
            expect(")");
            return r -> {
                boolean any = false;
                for (Token v : values) any |= compare(f, r.get(name), v) == 0;
                return !blank(r.get(name)) && not != any;
            };
        }
        if (accept("like")) {
            Token t = next();
            if (t.kind() != Kind.STRING) throw syntax(t);
            if (!(f.type().isText() || f.type() == Type.READ_ONLY)) throw unsupported(f, "like");
            Pattern p = Pattern.compile(("\\Q" + t.text().replace("%", "\\E.*\\Q") + "\\E"), Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
            return r -> !blank(r.get(name)) && not != p.matcher(r.get(name).asText()).matches();
        }
        if (not) throw syntax(peek());
        Token op = next();
        if (op.kind() != Kind.SYMBOL || !Set.of("=", "!=", "<>", "<", ">", "<=", ">=").contains(op.text())) throw syntax(op);
        Token v = literal(f);
        boolean ordered = Set.of("<", ">", "<=", ">=").contains(op.text());
        if (ordered && !(f.type() == Type.INTEGER || f.type() == Type.DOUBLE || f.type() == Type.DATETIME || f.type() == Type.DATE
                || f.type() == Type.READ_ONLY)) {
            throw unsupported(f, op.text());
        }
        return r -> {
            if (blank(r.get(name))) return false;
            int c = compare(f, r.get(name), v);
            return switch (op.text()) {
                case "=" -> c == 0;
                case "!=", "<>" -> c != 0;
                case "<" -> c < 0;
                case ">" -> c > 0;
                case "<=" -> c <= 0;
                default -> c >= 0;
            };
        };
    }

    /** A value for {@code f}: text in quotes, numbers bare, booleans true/false, ids either way. */
    private Token literal(ZohoField f) {
        Token t = next();
        boolean ok = switch (f.type()) {
            case INTEGER, DOUBLE -> t.kind() == Kind.NUMBER;
            case BOOLEAN -> t.is("true") || t.is("false") || (t.kind() == Kind.STRING && (t.text().equals("true") || t.text().equals("false")));
            case DATETIME -> t.kind() == Kind.STRING && ZohoSchema.parseDateTime(t.text()) != null;
            case DATE -> t.kind() == Kind.STRING && t.text().matches("\\d{4}-\\d{2}-\\d{2}");
            case LOOKUP, OWNER, WHAT, PARENT -> t.kind() == Kind.STRING || t.kind() == Kind.NUMBER;
            case READ_ONLY -> t.kind() == Kind.STRING || t.kind() == Kind.NUMBER;
            default -> t.kind() == Kind.STRING;
        };
        if (!ok) {
            if (t.kind() == Kind.SYMBOL || t.kind() == Kind.END) throw syntax(t);
            throw new ZohoError(400, "INVALID_QUERY", "value given seems to be invalid for the column", Json.object()
                    .put("column_name", f.apiName()).put("expected_data_type", f.type().expected));
        }
        return t;
    }

    /** Stored value against a literal; only called on a present value. */
    private static int compare(ZohoField f, JsonNode stored, Token v) {
        if (stored == null || stored.isNull()) return -1;
        if (f.type().isLookup()) return (stored.isObject() ? stored.path("id").asText() : stored.asText()).equals(v.text()) ? 0 : 1;
        if (stored.isNumber() && v.kind() == Kind.NUMBER) return new BigDecimal(stored.asText()).compareTo(new BigDecimal(v.text()));
        if (f.type() == Type.DATETIME) {
            Instant a = ZohoSchema.parseDateTime(stored.asText()), b = ZohoSchema.parseDateTime(v.text());
            return a == null || b == null ? -1 : a.compareTo(b);
        }
        if (f.type() == Type.BOOLEAN) return stored.asText().equals(v.text().toLowerCase(Locale.ROOT)) ? 0 : 1;
        return stored.asText().toLowerCase(Locale.ROOT).compareTo(v.text().toLowerCase(Locale.ROOT));
    }

    private static boolean blank(JsonNode v) {
        return v == null || v.isNull() || (v.isTextual() && v.asText().isBlank());
    }

    private static ZohoError unsupported(ZohoField f, String operator) {
        return new ZohoError(400, "INVALID_QUERY", "data type not supported", Json.object().put("column_name", f.apiName())
                .put("operator", operator).put("data_type", f.type().expected));
    }

    private Token next() {
        return tokens.get(Math.min(at++, tokens.size() - 1));
    }

    private Token word() {
        Token t = next();
        if (t.kind() != Kind.WORD) throw syntax(t);
        return t;
    }

    private int number() {
        Token t = next();
        if (t.kind() != Kind.NUMBER || !t.text().matches("\\d{1,9}")) throw syntax(t);
        return Integer.parseInt(t.text());
    }

    private Token peek() {
        return tokens.get(Math.min(at, tokens.size() - 1));
    }

    private boolean accept(String s) {
        if (peek().is(s)) {
            at++;
            return true;
        }
        return false;
    }

    private void expect(String s) {
        Token t = next();
        if (!t.is(s)) throw syntax(t);
    }

    private static ZohoError syntax(Token t) {
        String near = t.kind() == Kind.END ? "end of query" : t.text();
        return new ZohoError(400, "SYNTAX_ERROR", "error occurred at or near '" + near + "'",
                Json.object().put("line", 1).put("column", t.column()).put("near", near));
    }

    private static List<Token> tokenize(String q) {
        List<Token> out = new ArrayList<>();
        int i = 0;
        while (i < q.length()) {
            char c = q.charAt(i);
            int col = i + 1;
            if (Character.isWhitespace(c)) {
                i++;
            } else if (Character.isLetter(c) || c == '_' || c == '$') {
                int s = i;
                while (i < q.length() && (Character.isLetterOrDigit(q.charAt(i)) || q.charAt(i) == '_' || q.charAt(i) == '$' || q.charAt(i) == '.')) i++;
                out.add(new Token(Kind.WORD, q.substring(s, i), col));
            } else if (Character.isDigit(c) || (c == '-' && i + 1 < q.length() && Character.isDigit(q.charAt(i + 1)))) {
                int s = i++;
                while (i < q.length() && (Character.isDigit(q.charAt(i)) || q.charAt(i) == '.')) i++;
                out.add(new Token(Kind.NUMBER, q.substring(s, i), col));
            } else if (c == '\'') {
                StringBuilder b = new StringBuilder();
                i++;
                while (true) {
                    if (i >= q.length()) throw syntax(new Token(Kind.END, "", col));
                    char d = q.charAt(i);
                    if (d == '\\' && i + 1 < q.length()) {
                        b.append(q.charAt(i + 1));
                        i += 2;
                    } else if (d == '\'' && i + 1 < q.length() && q.charAt(i + 1) == '\'') {
                        b.append('\'');
                        i += 2;
                    } else if (d == '\'') {
                        i++;
                        break;
                    } else {
                        b.append(d);
                        i++;
                    }
                }
                out.add(new Token(Kind.STRING, b.toString(), col));
            } else if (q.startsWith("!=", i) || q.startsWith("<>", i) || q.startsWith("<=", i) || q.startsWith(">=", i)) {
                out.add(new Token(Kind.SYMBOL, q.substring(i, i + 2), col));
                i += 2;
            } else if ("=<>(),".indexOf(c) >= 0) {
                out.add(new Token(Kind.SYMBOL, String.valueOf(c), col));
                i++;
            } else {
                throw syntax(new Token(Kind.SYMBOL, String.valueOf(c), col));
            }
        }
        out.add(new Token(Kind.END, "", q.length() + 1));
        return out;
    }
}
