package io.callbridge.sandbox.salesforce;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callbridge.sandbox.Json;
import io.callbridge.sandbox.SandboxRequest;
import io.callbridge.sandbox.salesforce.SalesforceSchema.Field;
import io.callbridge.sandbox.salesforce.SalesforceSchema.SObject;
import io.callbridge.sandbox.salesforce.SalesforceSchema.Type;

/**
 * Salesforce's search resources: SOSL ({@code GET /search?q=FIND {…} IN PHONE FIELDS RETURNING Contact(Id, Name)})
 * and parameterized search ({@code GET /parameterizedSearch?q=…&sobject=Contact&Contact.fields=Id,Name&in=PHONE}, and
 * its POST form with a JSON body), answered {@code {"searchRecords": [...]}}, a bare array before API version 37.0.
 *
 * <p>Salesforce's search index is not documented; the sandbox's stand-in, which docs/sandbox.md describes: a field is
 * split into words at every character that is neither a letter nor a digit, lower-cased; a search word matches a field
 * holding its words one after the other ({@code *} and {@code ?} are wildcards within a word); a phone field also
 * matches a number-like search word with the same digits, formatting ignored ({@code +41 79 123 45 67} and
 * {@code +41791234567}). Results come object by object in the order the search names them (the schema's order
 * without RETURNING), records in creation order unless an ORDER BY says otherwise: the sandbox ranks nothing.
 */
final class SalesforceSearch {

    /** Salesforce's cap on the records of one search, and the overall limit when none is given. */
    static final int MAX_LIMIT = 2000;
    /** Characters SOSL reserves in the search text: each must be escaped with a backslash to be searched for. */
    private static final String RESERVED = "&|!{}[]^~:'+-";
    private static final char ANY = '\uE000';
    private static final char ONE = '\uE001';
    private static final Pattern PHONE_LIKE = Pattern.compile("[+]?[0-9 ().\\-/]*[0-9][0-9 ().\\-/]*" + ANY + "?");
    private static final Set<String> SCOPES = Set.of("ALL", "NAME", "EMAIL", "PHONE");
    /** Name fields searched IN NAME FIELDS besides Name, as the SOSL reference lists them for these objects. */
    private static final Map<String, List<String>> NAME_FIELDS = Map.of(
            "Account", List.of("Website"),
            "Case", List.of("SuppliedName", "Subject"),
            "Event", List.of("Subject"),
            "Lead", List.of("Company"),
            "Task", List.of("Subject"));
    /** Parameters of parameterized search that change the answer and that the sandbox does not simulate. */
    private static final List<String> UNSIMULATED = List.of("dataCategory", "dataCategories", "division", "metadata",
            "netWorkIds", "pricebookId", "snippet");

    private final SalesforceSchema schema;
    private final SalesforceStore store;
    private final SoqlRunner soql;
    private final Clock clock;

    SalesforceSearch(SalesforceSchema schema, SalesforceStore store, SoqlRunner soql, Clock clock) {
        this.schema = schema;
        this.store = store;
        this.soql = soql;
        this.clock = clock;
    }

    /** {@code GET /search?q=<SOSL>}. */
    JsonNode sosl(String q, String version) {
        Soql.Search s = Soql.parseSearch(q, schema, clock);
        Expr e = new Text(s.text(), true).parse();
        List<Soql.Query> objects = s.returning().isEmpty() ? everyObject() : s.returning();
        int limit = s.limit() == null ? MAX_LIMIT : Math.min(MAX_LIMIT, s.limit());
        return answer(run(e, s.scope(), objects, limit, version), version);
    }

    /** {@code GET /parameterizedSearch?q=…&sobject=…&<sobject>.fields=…&<sobject>.where=…&<sobject>.limit=…&in=…}. */
    JsonNode parameterized(SandboxRequest req, String version) {
        for (String p : UNSIMULATED) {
            if (req.param(p) != null) throw SalesforceException.unsimulated("the parameterized search parameter " + p);
        }
        List<String> names = new ArrayList<>();
        for (String v : req.query().getOrDefault("sobject", List.of())) {
            for (String n : v.split(",")) if (!n.isBlank()) names.add(n.trim());
        }
        List<String> fields = list(req.param("fields"));
        Integer defaultLimit = number(req.param("defaultLimit"), "defaultLimit");
        if (names.isEmpty() && (!fields.isEmpty() || defaultLimit != null)) {
            throw SalesforceException.badRequest("INVALID_SEARCH", "fields and defaultLimit need at least one sobject");
        }
        List<Soql.Query> objects = new ArrayList<>();
        for (String name : names) {
            List<String> own = list(param(req, name + ".fields"));
            Integer limit = number(param(req, name + ".limit"), name + ".limit");
            objects.add(object(name, own.isEmpty() ? fields : own, param(req, name + ".where"), limit != null ? limit : defaultLimit));
        }
        return parameterized(req.param("q"), req.param("in"), objects, number(req.param("overallLimit"), "overallLimit"), version);
    }

    /** {@code POST /parameterizedSearch} with {@code {"q", "in", "fields", "sobjects": [{name, fields, where, limit}], "overallLimit", "defaultLimit"}}. */
    JsonNode parameterized(JsonNode body, String version) {
        if (!body.isObject()) throw SalesforceException.badRequest("JSON_PARSER_ERROR", "The request body must be a JSON object");
        for (String p : UNSIMULATED) {
            if (body.has(p)) throw SalesforceException.unsimulated("the parameterized search parameter " + p);
        }
        List<String> fields = strings(body.get("fields"), "fields");
        Integer defaultLimit = number(text(body.get("defaultLimit")), "defaultLimit");
        JsonNode sobjects = body.path("sobjects");
        if (!sobjects.isMissingNode() && !sobjects.isArray()) throw SalesforceException.badRequest("JSON_PARSER_ERROR", "sobjects must be an array");
        if (sobjects.isEmpty() && (!fields.isEmpty() || defaultLimit != null)) {
            throw SalesforceException.badRequest("INVALID_SEARCH", "fields and defaultLimit need at least one sobject");
        }
        List<Soql.Query> objects = new ArrayList<>();
        for (JsonNode o : sobjects) {
            if (o.has("orderBy")) throw SalesforceException.unsimulated("the parameterized search parameter sobjects.orderBy");
            String name = o.path("name").asText(null);
            if (name == null) throw SalesforceException.badRequest("JSON_PARSER_ERROR", "Each of sobjects needs a name");
            List<String> own = strings(o.get("fields"), "fields");
            Integer limit = number(text(o.get("limit")), "limit");
            objects.add(object(name, own.isEmpty() ? fields : own, text(o.get("where")), limit != null ? limit : defaultLimit));
        }
        return parameterized(text(body.get("q")), text(body.get("in")), objects, number(text(body.get("overallLimit")), "overallLimit"), version);
    }

    private JsonNode parameterized(String q, String in, List<Soql.Query> objects, Integer overall, String version) {
        if (q == null || q.isBlank()) throw SalesforceException.badRequest("MALFORMED_SEARCH", "No search term found: q is required");
        String scope = in == null || in.isBlank() ? "ALL" : in.trim().toUpperCase(Locale.ROOT);
        if (scope.equals("SIDEBAR")) throw SalesforceException.unsimulated("parameterized search in=SIDEBAR");
        if (!SCOPES.contains(scope)) throw SalesforceException.badRequest("INVALID_SEARCH", "in must be ALL, NAME, EMAIL, PHONE or SIDEBAR, not " + in);
        // q is a search string, not SOSL: its reserved characters are searched for as they are
        Expr e = new Text(q, false).parse();
        int limit = overall == null ? MAX_LIMIT : Math.min(MAX_LIMIT, overall);
        return answer(run(e, scope, objects.isEmpty() ? everyObject() : objects, limit, version), version);
    }

    private List<ObjectNode> run(Expr e, String scope, List<Soql.Query> objects, int limit, String version) {
        List<ObjectNode> out = new ArrayList<>();
        for (Soql.Query q : objects) {
            for (ObjectNode r : soql.search(q, rec -> e.matches(values(q.from(), rec, scope)), version)) {
                if (out.size() >= limit) return out;
                out.add(r);
            }
        }
        return out;
    }

    private static JsonNode answer(List<ObjectNode> records, String version) {
        ArrayNode a = Json.array();
        records.forEach(a::add);
        if (Double.parseDouble(version) < 37.0) return a;
        ObjectNode o = Json.object();
        o.set("searchRecords", a);
        return o;
    }

    /** Without RETURNING (or sobject), every object is searched and answers ids only. */
    private List<Soql.Query> everyObject() {
        List<Soql.Query> out = new ArrayList<>();
        for (SObject t : schema.objects()) out.add(Soql.parse("SELECT Id FROM " + t.name(), schema, clock));
        return out;
    }

    /** One object of a parameterized search as the query it stands for. */
    private Soql.Query object(String name, List<String> fields, String where, Integer limit) {
        SObject type = name.matches("[A-Za-z][A-Za-z0-9_]*") ? schema.object(name) : null;
        if (type == null) {
            throw SalesforceException.badRequest("INVALID_TYPE", "sObject type '" + name + "' is not supported. If you are attempting to use a custom object,"
                    + " be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.");
        }
        for (String f : fields) {
            if (!f.matches("[A-Za-z][A-Za-z0-9_.]*")) throw SalesforceException.badRequest("INVALID_FIELD", "Invalid field name: " + f);
        }
        String text = "SELECT " + (fields.isEmpty() ? "Id" : String.join(", ", fields)) + " FROM " + type.name()
                + (where == null || where.isBlank() ? "" : " WHERE " + where) + (limit == null ? "" : " LIMIT " + Math.min(MAX_LIMIT, limit));
        try {
            return Soql.parse(text, schema, clock);
        } catch (SalesforceException e) {
            SalesforceError first = e.errors().get(0);
            if (!first.errorCode().equals("MALFORMED_QUERY")) throw e;
            throw SalesforceException.badRequest("MALFORMED_SEARCH", first.message());
        }
    }

    // ---- what a record offers to the search -----------------------------------------------------

    /** One searchable value of a record; {@code phone}: a phone field, also matched by digits. */
    private record Value(String text, boolean phone) { }

    private List<Value> values(SObject type, ObjectNode rec, String scope) {
        List<Value> out = new ArrayList<>();
        switch (scope) {
            case "NAME" -> {
                add(out, rec, type.field("Name"));
                for (String f : NAME_FIELDS.getOrDefault(type.name(), List.of())) add(out, rec, type.field(f));
                accountName(type, rec, out);
            }
            case "EMAIL", "PHONE" -> {
                Type wanted = scope.equals("EMAIL") ? Type.EMAIL : Type.PHONE;
                for (Field f : type.fields()) if (f.type() == wanted) add(out, rec, f);
            }
            default -> {
                for (Field f : type.fields()) {
                    if (f.type() == Type.STRING || f.type() == Type.TEXTAREA || f.type() == Type.PHONE || f.type() == Type.EMAIL
                            || f.type() == Type.URL) {
                        add(out, rec, f);
                    }
                }
                accountName(type, rec, out);
            }
        }
        return out;
    }

    private static void add(List<Value> out, ObjectNode rec, Field f) {
        if (f == null) return;
        JsonNode v = rec.get(f.name());
        if (v != null && !v.isNull()) out.add(new Value(v.asText(), f.type() == Type.PHONE));
    }

    /** A contact is found by its account's name, as Salesforce lists AccountName among Contact's name fields. */
    private void accountName(SObject type, ObjectNode rec, List<Value> out) {
        if (!type.name().equals("Contact")) return;
        JsonNode account = rec.get("AccountId");
        ObjectNode a = account == null || account.isNull() ? null : store.get(account.asText());
        if (a != null && a.hasNonNull("Name")) out.add(new Value(a.get("Name").asText(), false));
    }

    // ---- the search text ----------------------------------------------------------------------

    private sealed interface Expr permits Term, AllOf, AnyOf, Not {
        boolean matches(List<Value> values);
    }

    private record AllOf(List<Expr> parts) implements Expr {
        public boolean matches(List<Value> values) {
            for (Expr e : parts) if (!e.matches(values)) return false;
            return true;
        }
    }

    private record AnyOf(List<Expr> parts) implements Expr {
        public boolean matches(List<Value> values) {
            for (Expr e : parts) if (e.matches(values)) return true;
            return false;
        }
    }

    private record Not(Expr inner) implements Expr {
        public boolean matches(List<Value> values) {
            return !inner.matches(values);
        }
    }

    /** A word or a quoted phrase: its words (as patterns) to find one after the other, and its digits when it looks like a number. */
    private record Term(List<Pattern> words, String digits, boolean digitsPrefix) implements Expr {
        public boolean matches(List<Value> values) {
            for (Value v : values) {
                if (consecutive(wordsOf(v.text()))) return true;
                if (v.phone() && digits != null) {
                    String d = v.text().replaceAll("[^0-9]", "");
                    if (digitsPrefix ? d.startsWith(digits) : d.equals(digits)) return true;
                }
            }
            return false;
        }

        private boolean consecutive(List<String> tokens) {
            for (int start = 0; start + words.size() <= tokens.size(); start++) {
                boolean all = true;
                for (int k = 0; k < words.size() && all; k++) all = words.get(k).matcher(tokens.get(start + k)).matches();
                if (all) return true;
            }
            return false;
        }
    }

    /** The words of a field: runs of letters and digits, lower-cased. */
    private static List<String> wordsOf(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        for (int k = 0; k < text.length(); k++) {
            char c = text.charAt(k);
            if (Character.isLetterOrDigit(c)) {
                w.append(c);
            } else if (w.length() > 0) {
                out.add(w.toString().toLowerCase(Locale.ROOT));
                w.setLength(0);
            }
        }
        if (w.length() > 0) out.add(w.toString().toLowerCase(Locale.ROOT));
        return out;
    }

    /**
     * A search text: words, "phrases", AND, OR, AND NOT, parentheses, {@code *} and {@code ?} wildcards, backslash
     * escapes; words next to each other are ANDed, AND binds before OR. In SOSL ({@code strict}), a reserved character
     * that is not escaped is refused, as the SOSL reference says; a parameterized search's q takes them as they are.
     */
    private static final class Text {
        private final String text;
        private final boolean strict;
        private final List<String> lexemes = new ArrayList<>();
        /** Each lexeme's text with wildcards as {@link #ANY} and {@link #ONE}, or null for an operator or parenthesis. */
        private final List<String> encoded = new ArrayList<>();
        private int at;

        Text(String text, boolean strict) {
            this.text = text;
            this.strict = strict;
        }

        Expr parse() {
            lex();
            if (lexemes.isEmpty()) {
                throw SalesforceException.badRequest("MALFORMED_SEARCH", "No search term found. The search term must be enclosed in braces.");
            }
            Expr e = or();
            if (at < lexemes.size()) throw malformed("unexpected " + lexemes.get(at));
            return e;
        }

        private Expr or() {
            List<Expr> parts = new ArrayList<>();
            parts.add(and());
            while (is("OR")) {
                at++;
                parts.add(and());
            }
            return parts.size() == 1 ? parts.get(0) : new AnyOf(parts);
        }

        private Expr and() {
            List<Expr> parts = new ArrayList<>();
            parts.add(unary());
            while (at < lexemes.size() && !is("OR") && !is(")")) {
                if (is("AND")) {
                    at++;
                    if (is("NOT")) {
                        at++;
                        parts.add(new Not(unary()));
                        continue;
                    }
                }
                parts.add(unary());
            }
            return parts.size() == 1 ? parts.get(0) : new AllOf(parts);
        }

        private Expr unary() {
            if (at >= lexemes.size()) throw malformed("the search text ends where a search term is expected");
            if (is("(")) {
                at++;
                Expr e = or();
                if (!is(")")) throw malformed("missing ) in the search text");
                at++;
                return e;
            }
            if (encoded.get(at) == null) throw malformed("unexpected " + lexemes.get(at));
            return term(lexemes.get(at), encoded.get(at++));
        }

        /** True when the next lexeme is the operator or parenthesis {@code op}. */
        private boolean is(String op) {
            return at < lexemes.size() && encoded.get(at) == null && lexemes.get(at).equalsIgnoreCase(op);
        }

        private static Term term(String shown, String enc) {
            int letters = 0;
            for (char c : enc.toCharArray()) if (Character.isLetterOrDigit(c)) letters++;
            if (letters < 2) {
                throw SalesforceException.badRequest("INVALID_SEARCH", "search term must be longer than one character: " + shown);
            }
            if (enc.charAt(0) == ANY || enc.charAt(0) == ONE) {
                throw SalesforceException.badRequest("INVALID_SEARCH", "a search term cannot start with a wildcard: " + shown);
            }
            List<Pattern> words = new ArrayList<>();
            StringBuilder w = new StringBuilder();
            for (int k = 0; k <= enc.length(); k++) {
                char c = k < enc.length() ? enc.charAt(k) : ' ';
                if (Character.isLetterOrDigit(c)) {
                    w.append(Pattern.quote(String.valueOf(Character.toLowerCase(c))));
                } else if (c == ANY) {
                    w.append(".*");
                } else if (c == ONE) {
                    w.append('.');
                } else if (w.length() > 0) {
                    words.add(Pattern.compile(w.toString()));
                    w.setLength(0);
                }
            }
            boolean phone = PHONE_LIKE.matcher(enc).matches();
            return new Term(words, phone ? enc.replaceAll("[^0-9]", "") : null, phone && enc.charAt(enc.length() - 1) == ANY);
        }

        private void lex() {
            int n = text.length();
            int p = 0;
            while (p < n) {
                char c = text.charAt(p);
                if (Character.isWhitespace(c)) {
                    p++;
                } else if (c == '(' || c == ')') {
                    lexemes.add(String.valueOf(c));
                    encoded.add(null);
                    p++;
                } else if (c == '"') {
                    int close = p + 1;
                    StringBuilder enc = new StringBuilder();
                    while (true) {
                        if (close >= n) throw malformed("unterminated phrase: " + text.substring(p));
                        char d = text.charAt(close);
                        if (d == '"') break;
                        close = read(close, enc, true);
                    }
                    lexemes.add(text.substring(p, close + 1));
                    encoded.add(enc.toString());
                    p = close + 1;
                } else {
                    int start = p;
                    StringBuilder enc = new StringBuilder();
                    boolean escaped = false;
                    while (p < n && !Character.isWhitespace(text.charAt(p)) && "()\"".indexOf(text.charAt(p)) < 0) {
                        escaped |= text.charAt(p) == '\\';
                        p = read(p, enc, false);
                    }
                    String word = text.substring(start, p);
                    boolean operator = !escaped && (word.equalsIgnoreCase("AND") || word.equalsIgnoreCase("OR") || word.equalsIgnoreCase("NOT"));
                    lexemes.add(word);
                    encoded.add(operator ? null : enc.toString());
                }
            }
        }

        /** Reads the character at {@code p} (and what it escapes) into {@code enc}; answers where the next one starts. */
        private int read(int p, StringBuilder enc, boolean inPhrase) {
            char c = text.charAt(p);
            if (c == '\\') {
                if (p + 1 >= text.length()) throw malformed("the search text ends with an escape character");
                enc.append(text.charAt(p + 1));
                return p + 2;
            }
            if (c == '*') {
                enc.append(ANY);
            } else if (c == '?') {
                enc.append(ONE);
            } else if (strict && (RESERVED.indexOf(c) >= 0 || (inPhrase && (c == '(' || c == ')')))) {
                throw malformed("the reserved character '" + c + "' must be escaped with a backslash (\\" + c + ") in the search text");
            } else {
                enc.append(c);
            }
            return p + 1;
        }

        private SalesforceException malformed(String detail) {
            return SalesforceException.badRequest("MALFORMED_SEARCH", detail + ": " + text);
        }
    }

    // ---- parameters ---------------------------------------------------------------------------

    /** A query parameter by name in any letter case ({@code contact.fields} for {@code sobject=Contact}). */
    private static String param(SandboxRequest req, String name) {
        for (Iterator<Map.Entry<String, List<String>>> it = req.query().entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, List<String>> e = it.next();
            if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) return e.getValue().get(0);
        }
        return null;
    }

    private static List<String> list(String commaList) {
        List<String> out = new ArrayList<>();
        if (commaList == null) return out;
        for (String f : commaList.split(",")) if (!f.isBlank()) out.add(f.trim());
        return out;
    }

    private static List<String> strings(JsonNode array, String name) {
        List<String> out = new ArrayList<>();
        if (array == null || array.isNull()) return out;
        if (!array.isArray()) throw SalesforceException.badRequest("JSON_PARSER_ERROR", name + " must be an array of field names");
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static String text(JsonNode n) {
        return n == null || n.isNull() ? null : n.asText();
    }

    private static Integer number(String text, String name) {
        if (text == null || text.isBlank()) return null;
        try {
            int v = Integer.parseInt(text.trim());
            if (v < 0) throw new NumberFormatException();
            return v;
        } catch (NumberFormatException e) {
            throw SalesforceException.badRequest("INVALID_SEARCH", name + " must be a whole number, not " + text);
        }
    }
}
