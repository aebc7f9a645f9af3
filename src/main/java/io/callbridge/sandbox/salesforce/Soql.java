package io.callbridge.sandbox.salesforce;

import io.callbridge.sandbox.salesforce.SalesforceSchema.ChildRelationship;
import io.callbridge.sandbox.salesforce.SalesforceSchema.Field;
import io.callbridge.sandbox.salesforce.SalesforceSchema.SObject;
import io.callbridge.sandbox.salesforce.SalesforceSchema.Type;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A parser for the SOQL subset Callbridge and integrators send: {@code SELECT fields|COUNT() FROM object
 * [WHERE …] [ORDER BY …] [LIMIT n] [OFFSET n]}, with =, !=, <>, <, <=, >, >=, [NOT] IN, LIKE, AND, OR,
 * NOT and parentheses (mixing AND and OR without parentheses is refused, as in Salesforce), string
 * escapes as Salesforce parses them, date/datetime literals, TODAY/YESTERDAY/TOMORROW, parent
 * relationship paths ({@code Account.Name}, {@code Owner.Name}, {@code Who.Name}) and parent-to-child
 * subqueries ({@code (SELECT Subject FROM Tasks)}). Errors are Salesforce's MALFORMED_QUERY, INVALID_FIELD,
 * INVALID_TYPE and INVALID_QUERY_FILTER_OPERATOR with the caret-style message.
 *
 * <p>Also the clauses of a SOSL search around its search text ({@link #parseSearch}): {@code FIND {text}
 * [IN ALL|NAME|EMAIL|PHONE FIELDS] [RETURNING Object[(fields [WHERE …] [ORDER BY …] [LIMIT n] [OFFSET n])], …]
 * [LIMIT n]}, whose object specifications are SOQL queries of their own; the search text is
 * {@link SalesforceSearch}'s. SOSL's syntax errors are MALFORMED_SEARCH.
 */
final class Soql {

    enum Kind { IDENT, STRING, NUMBER, DATE, DATETIME, OP, LPAREN, RPAREN, COMMA, SEARCH, EOF }

    record Token(Kind kind, String text, int pos, Pattern like) {
        boolean is(String keyword) {
            return kind == Kind.IDENT && text.equalsIgnoreCase(keyword);
        }
    }

    /** What a SELECT list names: a field path, or a subquery of the children of a relationship. */
    sealed interface Item permits Path, Sub { }

    /** A resolved field path: relationship fields then the final field. */
    record Path(String text, int pos, List<Field> relations, Field field, List<SObject> owners) implements Item {
        Type type() {
            return field.type();
        }
    }

    /** A parent-to-child subquery in a SELECT list; its query's {@code relationship} says which children. */
    record Sub(Query query, int pos) implements Item { }

    /** A value; date literals such as TODAY or LAST_N_DAYS:7 carry the day range [from, to) they stand for. */
    record Literal(Kind kind, String value, Pattern like, int pos, LocalDate from, LocalDate to) {
        Literal(Kind kind, String value, Pattern like, int pos) {
            this(kind, value, like, pos, null, null);
        }

        boolean range() {
            return from != null;
        }
    }

    sealed interface Cond permits And, Or, Not, Cmp { }

    record And(List<Cond> parts) implements Cond { }

    record Or(List<Cond> parts) implements Cond { }

    record Not(Cond inner) implements Cond { }

    record Cmp(Path path, String op, List<Literal> values) implements Cond { }

    record Order(Path path, boolean desc, boolean nullsFirst) { }

    /** A query; {@code relationship} is set on a subquery (whose {@code from} is the relationship's child type). */
    record Query(SObject from, boolean count, List<Item> items, Cond where, List<Order> order, Integer limit, Integer offset,
                 ChildRelationship relationship) {
        List<Path> select() {
            List<Path> out = new ArrayList<>();
            for (Item i : items) if (i instanceof Path p) out.add(p);
            return out;
        }
    }

    /**
     * A SOSL search: its search text (between the braces, as written) and where it starts, the field group
     * ({@code ALL}, {@code NAME}, {@code EMAIL}, {@code PHONE}), the objects of RETURNING (empty: every object, ids only)
     * and the overall LIMIT (null: none given).
     */
    record Search(String text, int textPos, String scope, List<Query> returning, Integer limit) { }

    private static final Set<String> RESERVED = Set.of("SELECT", "FROM", "WHERE", "AND", "OR", "NOT", "IN", "LIKE", "ORDER",
            "BY", "LIMIT", "OFFSET", "ASC", "DESC", "NULLS", "NULL", "TRUE", "FALSE");
    private static final Pattern FIND = Pattern.compile("^\\s*FIND\\s*\\{", Pattern.CASE_INSENSITIVE);
    private static final Set<String> SCOPES = Set.of("ALL", "NAME", "EMAIL", "PHONE");

    private final String soql;
    private final SalesforceSchema schema;
    private final Clock clock;
    /** MALFORMED_QUERY, or MALFORMED_SEARCH for SOSL. */
    private final String malformedCode;
    private final List<Token> tokens = new ArrayList<>();
    private int i;

    private Soql(String soql, SalesforceSchema schema, Clock clock, String malformedCode) {
        this.soql = soql;
        this.schema = schema;
        this.clock = clock;
        this.malformedCode = malformedCode;
    }

    static Query parse(String soql, SalesforceSchema schema, Clock clock) {
        if (soql == null || soql.isBlank()) {
            throw SalesforceException.badRequest("MALFORMED_QUERY", "A query string has to be specified");
        }
        Soql p = new Soql(soql, schema, clock, "MALFORMED_QUERY");
        p.tokenize(soql);
        return p.query();
    }

    /** Parses a SOSL search's clauses; the search text itself is returned as written. */
    static Search parseSearch(String sosl, SalesforceSchema schema, Clock clock) {
        Matcher m = sosl == null ? null : FIND.matcher(sosl);
        if (m == null || !m.find()) {
            throw SalesforceException.badRequest("MALFORMED_SEARCH", "No search term found. The search term must be enclosed in braces.");
        }
        int open = m.end() - 1;
        int close = -1;
        for (int k = open + 1; k < sosl.length(); k++) {
            char c = sosl.charAt(k);
            if (c == '\\') {
                k++;
            } else if (c == '}') {
                close = k;
                break;
            }
        }
        if (close < 0) {
            throw SalesforceException.badRequest("MALFORMED_SEARCH", "No search term found. The search term must be enclosed in braces.");
        }
        Soql p = new Soql(sosl, schema, clock, "MALFORMED_SEARCH");
        // the search text has a grammar of its own: blanked here, so the clauses keep their positions for the caret
        p.tokenize(" ".repeat(close + 1) + sosl.substring(close + 1));
        p.tokens.add(0, new Token(Kind.SEARCH, sosl.substring(open + 1, close), open + 1, null));
        return p.search();
    }

    // ---- tokenizer ----------------------------------------------------------------------------

    /** Tokenizes {@code text}, which is {@link #soql} or a copy of it with parts blanked (positions are {@link #soql}'s). */
    private void tokenize(String text) {
        int n = text.length();
        int p = 0;
        while (p < n) {
            char c = text.charAt(p);
            if (Character.isWhitespace(c)) {
                p++;
            } else if (c == '\'') {
                p = string(p, text);
            } else if (Character.isLetter(c) || c == '_') {
                int s = p;
                while (p < n && (Character.isLetterOrDigit(text.charAt(p)) || text.charAt(p) == '_' || text.charAt(p) == '.')) p++;
                if (p + 1 < n && text.charAt(p) == ':' && Character.isDigit(text.charAt(p + 1))) {
                    p++;
                    while (p < n && Character.isDigit(text.charAt(p))) p++;
                }
                tokens.add(new Token(Kind.IDENT, text.substring(s, p), s, null));
            } else if (Character.isDigit(c) || ((c == '-' || c == '+') && p + 1 < n && Character.isDigit(text.charAt(p + 1)))) {
                int s = p++;
                while (p < n && (Character.isLetterOrDigit(text.charAt(p)) || ":.+-".indexOf(text.charAt(p)) >= 0)) p++;
                String t = text.substring(s, p);
                Kind k;
                if (t.matches("[+-]?\\d+(\\.\\d+)?")) {
                    k = Kind.NUMBER;
                } else if (t.matches("\\d{4}-\\d{2}-\\d{2}")) {
                    k = Kind.DATE;
                } else if (t.matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,3})?(Z|[+-]\\d{2}:?\\d{2})")) {
                    k = Kind.DATETIME;
                } else {
                    throw malformed(s, "unexpected token: '" + t + "'");
                }
                tokens.add(new Token(k, t, s, null));
            } else if (c == '(') {
                tokens.add(new Token(Kind.LPAREN, "(", p++, null));
            } else if (c == ')') {
                tokens.add(new Token(Kind.RPAREN, ")", p++, null));
            } else if (c == ',') {
                tokens.add(new Token(Kind.COMMA, ",", p++, null));
            } else if (c == '=' ) {
                tokens.add(new Token(Kind.OP, "=", p++, null));
            } else if (c == '!' && p + 1 < n && text.charAt(p + 1) == '=') {
                tokens.add(new Token(Kind.OP, "!=", p, null));
                p += 2;
            } else if (c == '<' || c == '>') {
                if (p + 1 < n && (text.charAt(p + 1) == '=' || (c == '<' && text.charAt(p + 1) == '>'))) {
                    String op = text.substring(p, p + 2);
                    tokens.add(new Token(Kind.OP, op.equals("<>") ? "!=" : op, p, null));
                    p += 2;
                } else {
                    tokens.add(new Token(Kind.OP, String.valueOf(c), p++, null));
                }
            } else {
                throw malformed(p, "unexpected token: '" + c + "'");
            }
        }
        tokens.add(new Token(Kind.EOF, "<EOF>", n, null));
    }

    /** Reads a quoted literal with Salesforce's escapes; also builds its LIKE pattern. */
    private int string(int start, String text) {
        StringBuilder value = new StringBuilder();
        StringBuilder like = new StringBuilder();
        int p = start + 1;
        int n = text.length();
        while (true) {
            if (p >= n) throw malformed(start, "unexpected token: '" + text.substring(start) + "'. Unterminated string literal");
            char c = text.charAt(p);
            if (c == '\'') {
                p++;
                break;
            }
            if (c == '\\') {
                if (p + 1 >= n) throw malformed(start, "Invalid string literal: it ends with an escape character");
                char e = text.charAt(p + 1);
                String lit;
                switch (e) {
                    case '\'' -> lit = "'";
                    case '"' -> lit = "\"";
                    case '\\' -> lit = "\\";
                    case 'n' -> lit = "\n";
                    case 'r' -> lit = "\r";
                    case 't' -> lit = "\t";
                    case 'b' -> lit = "\b";
                    case 'f' -> lit = "\f";
                    case '_', '%' -> lit = null;
                    case 'u' -> {
                        if (p + 6 > n) throw malformed(p, "Invalid unicode escape sequence in string literal");
                        String hex = text.substring(p + 2, p + 6);
                        if (!hex.matches("[0-9a-fA-F]{4}")) throw malformed(p, "Invalid unicode escape sequence in string literal");
                        lit = String.valueOf((char) Integer.parseInt(hex, 16));
                        p += 4;
                    }
                    default -> throw malformed(p, "Invalid string literal '" + text.substring(start, Math.min(n, p + 2))
                            + "...'. Illegal escape sequence: '\\" + e + "'");
                }
                if (lit == null) {
                    value.append('\\').append(e);
                    like.append(Pattern.quote(String.valueOf(e)));
                } else {
                    value.append(lit);
                    like.append(Pattern.quote(lit));
                }
                p += 2;
                continue;
            }
            value.append(c);
            like.append(c == '%' ? ".*" : c == '_' ? "." : Pattern.quote(String.valueOf(c)));
            p++;
        }
        tokens.add(new Token(Kind.STRING, value.toString(), start,
                Pattern.compile(like.toString(), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.DOTALL)));
        return p;
    }

    // ---- parser -------------------------------------------------------------------------------

    private Token peek() {
        return tokens.get(i);
    }

    private Token next() {
        return tokens.get(i++);
    }

    private Token expectKeyword(String kw) {
        Token t = next();
        if (!t.is(kw)) throw unexpected(t);
        return t;
    }

    private Query query() {
        Query q = select(null);
        if (peek().kind() != Kind.EOF) throw unexpected(peek());
        return q;
    }

    /** A SELECT, of the top-level query ({@code parent} null) or of a subquery of {@code parent}'s children. */
    private Query select(SObject parent) {
        expectKeyword("SELECT");
        boolean count = false;
        // field tokens, and the index of the opening parenthesis of each subquery: resolved once FROM names the type
        List<Object> fields = new ArrayList<>();
        if (peek().is("COUNT") && tokens.get(i + 1).kind() == Kind.LPAREN) {
            next();
            next();
            if (next().kind() != Kind.RPAREN) throw unexpected(tokens.get(i - 1));
            count = true;
        } else {
            while (true) {
                if (peek().kind() == Kind.LPAREN && parent == null) {
                    fields.add(i);
                    skipParentheses();
                } else {
                    Token f = next();
                    if (f.kind() != Kind.IDENT || RESERVED.contains(f.text().toUpperCase(Locale.ROOT))) throw unexpected(f);
                    if (peek().kind() == Kind.LPAREN) throw SalesforceException.unsimulated("the SOQL function " + f.text() + "()");
                    fields.add(f);
                }
                if (peek().kind() == Kind.COMMA) {
                    next();
                    continue;
                }
                break;
            }
        }
        expectKeyword("FROM");
        Token from = next();
        if (from.kind() != Kind.IDENT) throw unexpected(from);
        SObject type;
        ChildRelationship relationship = null;
        if (parent == null) {
            type = schema.object(from.text());
            if (type == null) {
                throw error(from.pos(), "INVALID_TYPE", "sObject type '" + from.text() + "' is not supported. If you are attempting to use a custom object,"
                        + " be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.");
            }
        } else {
            relationship = schema.childRelationship(parent, from.text());
            if (relationship == null) {
                throw error(from.pos(), "INVALID_TYPE", "Didn't understand relationship '" + from.text() + "' in FROM part of query call. If you are attempting"
                        + " to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the"
                        + " describe call for the appropriate names.");
            }
            type = relationship.child();
        }
        List<Item> items = new ArrayList<>();
        Set<String> seen = new java.util.HashSet<>();
        for (Object f : fields) {
            if (f instanceof Token t) {
                Path p = resolve(type, t.text(), t.pos());
                if (!seen.add(p.text().toLowerCase(Locale.ROOT))) throw malformed(t.pos(), "duplicate field selected: " + t.text());
                items.add(p);
            } else {
                int open = (Integer) f;
                int resume = i;
                i = open + 1;
                Query sub = select(type);
                if (peek().kind() != Kind.RPAREN) throw unexpected(peek());
                i = resume;
                if (!seen.add(sub.relationship().name().toLowerCase(Locale.ROOT))) {
                    throw malformed(tokens.get(open).pos(), "duplicate field selected: " + sub.relationship().name());
                }
                items.add(new Sub(sub, tokens.get(open).pos()));
            }
        }
        Cond where = null;
        if (peek().is("WHERE")) {
            next();
            where = condition(type);
        }
        List<Order> order = orderBy(type);
        Paging paging = paging("SOQL");
        return new Query(type, count, items, where, order, paging.limit(), paging.offset(), relationship);
    }

    /** From an opening parenthesis to just past its closing one. */
    private void skipParentheses() {
        int depth = 0;
        do {
            Token t = next();
            if (t.kind() == Kind.EOF) throw unexpected(t);
            if (t.kind() == Kind.LPAREN) depth++;
            if (t.kind() == Kind.RPAREN) depth--;
        } while (depth > 0);
    }

    private List<Order> orderBy(SObject type) {
        List<Order> order = new ArrayList<>();
        if (!peek().is("ORDER")) return order;
        next();
        expectKeyword("BY");
        while (true) {
            Token f = next();
            if (f.kind() != Kind.IDENT) throw unexpected(f);
            Path p = resolve(type, f.text(), f.pos());
            boolean desc = false;
            if (peek().is("ASC")) next();
            else if (peek().is("DESC")) {
                next();
                desc = true;
            }
            boolean nullsFirst = true; // "By default, null values are sorted first" (SOQL reference)
            if (peek().is("NULLS")) {
                next();
                Token w = next();
                if (w.is("FIRST")) nullsFirst = true;
                else if (w.is("LAST")) nullsFirst = false;
                else throw unexpected(w);
            }
            order.add(new Order(p, desc, nullsFirst));
            if (peek().kind() == Kind.COMMA) {
                next();
                continue;
            }
            return order;
        }
    }

    // ---- SOSL ---------------------------------------------------------------------------------

    private Search search() {
        Token text = next();
        String scope = "ALL";
        if (peek().is("IN")) {
            next();
            Token group = next();
            if (group.kind() != Kind.IDENT) throw unexpected(group);
            String g = group.text().toUpperCase(Locale.ROOT);
            if (g.equals("SIDEBAR")) throw SalesforceException.unsimulated("SOSL IN SIDEBAR FIELDS");
            if (!SCOPES.contains(g)) throw unexpected(group);
            expectKeyword("FIELDS");
            scope = g;
        }
        List<Query> returning = new ArrayList<>();
        if (peek().is("RETURNING")) {
            next();
            Set<String> seen = new java.util.HashSet<>();
            while (true) {
                Token name = next();
                if (name.kind() != Kind.IDENT) throw unexpected(name);
                Query q = returningObject(name);
                if (!seen.add(q.from().name())) throw malformed(name.pos(), "duplicate entity: " + name.text());
                returning.add(q);
                if (peek().kind() == Kind.COMMA) {
                    next();
                    continue;
                }
                break;
            }
        }
        if (peek().is("WITH") || peek().is("UPDATE")) {
            throw SalesforceException.unsimulated("the SOSL clause " + peek().text().toUpperCase(Locale.ROOT) + " "
                    + tokens.get(i + 1).text().toUpperCase(Locale.ROOT));
        }
        Integer limit = null;
        if (peek().is("LIMIT")) {
            next();
            limit = integer();
        }
        if (peek().is("WITH") || peek().is("UPDATE")) {
            throw SalesforceException.unsimulated("the SOSL clause " + peek().text().toUpperCase(Locale.ROOT));
        }
        if (peek().kind() != Kind.EOF) throw unexpected(peek());
        return new Search(text.text(), text.pos(), scope, returning, limit);
    }

    /** {@code Contact} or {@code Contact(Id, Name WHERE … ORDER BY … LIMIT n OFFSET n)} after RETURNING. */
    private Query returningObject(Token name) {
        SObject type = schema.object(name.text());
        if (type == null) {
            throw error(name.pos(), "INVALID_TYPE", "sObject type '" + name.text() + "' is not supported. If you are attempting to use a custom object,"
                    + " be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.");
        }
        List<Item> items = new ArrayList<>();
        if (peek().kind() != Kind.LPAREN) {
            items.add(resolve(type, "Id", name.pos()));
            return new Query(type, false, items, null, List.of(), null, null, null);
        }
        next();
        Set<String> seen = new java.util.HashSet<>();
        while (true) {
            Token f = next();
            if (f.kind() != Kind.IDENT || RESERVED.contains(f.text().toUpperCase(Locale.ROOT))) throw unexpected(f);
            if (peek().kind() == Kind.LPAREN) throw SalesforceException.unsimulated("the SOSL function " + f.text() + "()");
            Path p = resolve(type, f.text(), f.pos());
            if (!seen.add(p.text().toLowerCase(Locale.ROOT))) throw malformed(f.pos(), "duplicate field selected: " + f.text());
            items.add(p);
            if (peek().kind() == Kind.COMMA) {
                next();
                continue;
            }
            break;
        }
        Cond where = null;
        if (peek().is("WHERE")) {
            next();
            where = condition(type);
        }
        if (peek().is("USING")) throw SalesforceException.unsimulated("the SOSL clause USING LISTVIEW");
        List<Order> order = orderBy(type);
        Paging paging = paging("SOSL");
        Token close = next();
        if (close.kind() != Kind.RPAREN) throw unexpected(close);
        return new Query(type, false, items, where, order, paging.limit(), paging.offset(), null);
    }

    private record Paging(Integer limit, Integer offset) {
    }

    /** {@code [LIMIT n] [OFFSET n]}, the offset at most 2000 in either language. */
    private Paging paging(String language) {
        Integer limit = null, offset = null;
        if (peek().is("LIMIT")) {
            next();
            limit = integer();
        }
        if (peek().is("OFFSET")) {
            next();
            offset = integer();
            if (offset > 2000) throw error(tokens.get(i - 1).pos(), "NUMBER_OUTSIDE_VALID_RANGE", "Maximum " + language + " offset allowed is 2000");
        }
        return new Paging(limit, offset);
    }

    private int integer() {
        Token t = next();
        if (t.kind() != Kind.NUMBER || !t.text().matches("\\d+")) throw unexpected(t);
        return Integer.parseInt(t.text());
    }

    private Cond condition(SObject type) {
        List<Cond> parts = new ArrayList<>();
        parts.add(unary(type));
        String joiner = null;
        while (peek().is("AND") || peek().is("OR")) {
            Token t = next();
            String j = t.text().toUpperCase(Locale.ROOT);
            if (joiner != null && !joiner.equals(j)) throw unexpected(t);
            joiner = j;
            parts.add(unary(type));
        }
        if (joiner == null) return parts.get(0);
        return joiner.equals("AND") ? new And(parts) : new Or(parts);
    }

    private Cond unary(SObject type) {
        if (peek().is("NOT")) {
            next();
            return new Not(unary(type));
        }
        if (peek().kind() == Kind.LPAREN) {
            next();
            Cond c = condition(type);
            Token close = next();
            if (close.kind() != Kind.RPAREN) throw unexpected(close);
            return c;
        }
        Token f = next();
        if (f.kind() != Kind.IDENT || RESERVED.contains(f.text().toUpperCase(Locale.ROOT))) throw unexpected(f);
        Path path = resolve(type, f.text(), f.pos());
        if (path.type() == Type.TEXTAREA && path.field().length() > 255) {
            throw error(f.pos(), "INVALID_FIELD", "field '" + path.field().name() + "' can not be filtered in a query call");
        }
        Token op = next();
        if (op.kind() == Kind.OP) {
            Literal v = literal(path);
            return new Cmp(path, op.text(), List.of(v));
        }
        boolean negated = false;
        if (op.is("NOT")) {
            negated = true;
            op = next();
            if (!op.is("IN")) throw unexpected(op);
        }
        if (op.is("IN")) {
            Token open = next();
            if (open.kind() != Kind.LPAREN) throw unexpected(open);
            List<Literal> values = new ArrayList<>();
            while (true) {
                values.add(literal(path));
                Token sep = next();
                if (sep.kind() == Kind.COMMA) continue;
                if (sep.kind() == Kind.RPAREN) break;
                throw unexpected(sep);
            }
            return new Cmp(path, negated ? "NOT IN" : "IN", values);
        }
        if (op.is("LIKE")) {
            Literal v = literal(path);
            if (v.kind() != Kind.STRING) throw error(v.pos(), "INVALID_QUERY_FILTER_OPERATOR", "LIKE needs a string value");
            return new Cmp(path, "LIKE", List.of(v));
        }
        throw unexpected(op);
    }

    private Literal literal(Path path) {
        Token t = next();
        Literal lit;
        if (t.is("SELECT")) throw SalesforceException.unsimulated("SOQL semi-join subqueries (IN (SELECT …))");
        if (t.kind() == Kind.STRING || t.kind() == Kind.NUMBER || t.kind() == Kind.DATE || t.kind() == Kind.DATETIME) {
            lit = new Literal(t.kind(), t.text(), t.like(), t.pos());
        } else if (t.is("NULL")) {
            return new Literal(Kind.IDENT, null, null, t.pos());
        } else if (t.is("TRUE") || t.is("FALSE")) {
            lit = new Literal(Kind.IDENT, t.text().toLowerCase(Locale.ROOT), null, t.pos());
        } else if (t.kind() == Kind.IDENT && dateLiteral(t) != null) {
            LocalDate[] r = dateLiteral(t);
            lit = new Literal(Kind.DATE, r[0].toString(), null, t.pos(), r[0], r[1]);
        } else {
            throw unexpected(t);
        }
        checkType(path, lit);
        return lit;
    }

    /**
     * SOQL date literals as day ranges [from, to) in UTC (Salesforce uses the user's time zone):
     * TODAY, YESTERDAY, TOMORROW, LAST_N_DAYS:n (today and the n days before), NEXT_N_DAYS:n (the n
     * days after today), THIS_MONTH, LAST_MONTH, NEXT_MONTH, THIS_YEAR.
     */
    private LocalDate[] dateLiteral(Token t) {
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        String u = t.text().toUpperCase(Locale.ROOT);
        int colon = u.indexOf(':');
        if (colon > 0) {
            int n;
            try {
                n = Integer.parseInt(u.substring(colon + 1));
            } catch (NumberFormatException e) {
                return null;
            }
            return switch (u.substring(0, colon)) {
                case "LAST_N_DAYS" -> new LocalDate[]{today.minusDays(n), today.plusDays(1)};
                case "NEXT_N_DAYS" -> new LocalDate[]{today.plusDays(1), today.plusDays(1 + n)};
                default -> throw malformed(t.pos(), "unexpected token: '" + t.text() + "'");
            };
        }
        LocalDate month = today.withDayOfMonth(1);
        return switch (u) {
            case "TODAY" -> new LocalDate[]{today, today.plusDays(1)};
            case "YESTERDAY" -> new LocalDate[]{today.minusDays(1), today};
            case "TOMORROW" -> new LocalDate[]{today.plusDays(1), today.plusDays(2)};
            case "THIS_MONTH" -> new LocalDate[]{month, month.plusMonths(1)};
            case "LAST_MONTH" -> new LocalDate[]{month.minusMonths(1), month};
            case "NEXT_MONTH" -> new LocalDate[]{month.plusMonths(1), month.plusMonths(2)};
            case "THIS_YEAR" -> new LocalDate[]{today.withDayOfYear(1), today.withDayOfYear(1).plusYears(1)};
            default -> null;
        };
    }

    private void checkType(Path path, Literal lit) {
        Type type = path.type();
        String name = path.field().name();
        boolean ok;
        String expected;
        switch (type) {
            case BOOLEAN -> {
                ok = lit.kind() == Kind.IDENT;
                expected = "must be of type boolean and should not be enclosed in quotes";
            }
            case INT, DOUBLE, CURRENCY, PERCENT -> {
                ok = lit.kind() == Kind.NUMBER;
                expected = "must be of type " + (type == Type.INT ? "integer" : "double") + " and should not be enclosed in quotes";
            }
            case DATE -> {
                ok = lit.kind() == Kind.DATE;
                expected = "must be of type date and should not be enclosed in quotes";
            }
            case DATETIME -> {
                ok = lit.kind() == Kind.DATETIME || lit.range();
                expected = "must be of type dateTime and should not be enclosed in quotes";
            }
            default -> {
                ok = lit.kind() == Kind.STRING;
                expected = "must be of type string and should be enclosed in quotes";
            }
        }
        if (!ok) throw error(lit.pos(), "INVALID_FIELD", "value of filter criterion for field '" + name + "' " + expected);
        if ((type == Type.ID || type == Type.REFERENCE) && SalesforceIds.normalize(lit.value()) == null) {
            throw error(lit.pos(), "INVALID_QUERY_FILTER_OPERATOR", "invalid ID field: " + lit.value());
        }
    }

    private Path resolve(SObject type, String text, int pos) {
        String[] parts = text.split("\\.", -1);
        List<SObject> owners = List.of(type);
        List<Field> relations = new ArrayList<>();
        for (int k = 0; k < parts.length - 1; k++) {
            Field rel = null;
            for (SObject o : owners) {
                rel = o.relationship(parts[k]);
                if (rel != null) break;
            }
            if (rel == null) {
                throw error(pos, "INVALID_FIELD", "Didn't understand relationship '" + parts[k] + "' in field path. If you are attempting to use a custom"
                        + " relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.");
            }
            relations.add(rel);
            List<SObject> next = new ArrayList<>();
            for (String target : rel.referenceTo()) next.add(schema.object(target));
            owners = next;
        }
        String last = parts[parts.length - 1];
        Field field = null;
        for (SObject o : owners) {
            field = o.field(last);
            if (field != null) break;
        }
        if (field == null) {
            String entity = relations.isEmpty() ? type.name() : relations.get(relations.size() - 1).relationshipName();
            throw error(pos, "INVALID_FIELD", "No such column '" + last + "' on entity '" + entity + "'. If you are attempting to use a custom field,"
                    + " be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.");
        }
        return new Path(text, pos, List.copyOf(relations), field, owners);
    }

    // ---- errors -------------------------------------------------------------------------------

    private SalesforceException unexpected(Token t) {
        return malformed(t.pos(), "unexpected token: '" + (t.kind() == Kind.STRING ? "'" + t.text() + "'" : t.text()) + "'");
    }

    private SalesforceException malformed(int pos, String detail) {
        return error(pos, malformedCode, detail);
    }

    private SalesforceException error(int pos, String code, String detail) {
        int row = 1, lineStart = 0;
        for (int k = 0; k < Math.min(pos, soql.length()); k++) {
            if (soql.charAt(k) == '\n') {
                row++;
                lineStart = k + 1;
            }
        }
        int lineEnd = soql.indexOf('\n', lineStart);
        String line = soql.substring(lineStart, lineEnd < 0 ? soql.length() : lineEnd);
        int col = pos - lineStart + 1;
        String message = "\n" + line + "\n" + " ".repeat(Math.max(0, col - 1)) + "^\nERROR at Row:" + row + ":Column:" + col + "\n" + detail;
        return SalesforceException.badRequest(code, message);
    }
}
