package io.callbridge.sandbox.zoho;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callbridge.sandbox.Json;
import io.callbridge.sandbox.SandboxRequest;
import io.callbridge.sandbox.SandboxResponse;
import io.callbridge.sandbox.zoho.ZohoField.Type;

/**
 * The record API under {@code /crm/v8}: get, list, search, COQL, insert, update, upsert, delete, and the users.
 *
 * <p>Writes answer one result per record in order. The HTTP status is 201 when every record of an insert was
 * created (200 for update and upsert), 207 when some records succeeded and some failed, and 400 when all failed;
 * the 400 answer still carries {@code data[]} with each record's error (Zoho's status for "all failed" is not
 * documented; 400 is what a client must handle either way). More than 100 records answer 400 LIMIT_EXCEEDED for the
 * whole request. Upsert is refused for Calls, Tasks, Events and Notes, the modules Zoho's upsert page leaves out,
 * with 400 INVALID_MODULE (the body Zoho gives an API a module does not offer; the exact body is not documented).
 *
 * <p>{@code trigger} is accepted ({@code workflow, approval, blueprint, pathfinder, orchestration}; {@code []} runs
 * no automation, no key runs all of it) and recorded with each write for {@code GET /_sandbox/zoho/writes}.
 */
final class ZohoRecordsApi {

    static final int MAX_RECORDS = 100;
    static final int MAX_PER_PAGE = 200;
    static final int ITERATION_LIMIT = 2000;
    private static final Set<String> TRIGGERS = Set.of("workflow", "approval", "blueprint", "pathfinder", "orchestration");

    private final ZohoSchema schema;
    private final ZohoStore store;
    private final ZohoWrites writes;
    private final Consumer<ObjectNode> writeJournal;
    private final ZohoPageTokens pageTokens;

    ZohoRecordsApi(ZohoSchema schema, ZohoStore store, ZohoWrites writes, Consumer<ObjectNode> writeJournal, java.time.Clock clock) {
        this.schema = schema;
        this.store = store;
        this.writes = writes;
        this.writeJournal = writeJournal;
        this.pageTokens = new ZohoPageTokens(clock);
    }

    /** API credits of a call: 1; writes 1 per 10 records; COQL 1 to 3 by its LIMIT. */
    static long cost(SandboxRequest req, List<String> rest) {
        if (rest.size() == 1 && rest.get(0).equals("coql") && req.method().equals("POST")) {
            JsonNode body = Json.parseOrNull(req.body());
            return ZohoCoql.credits(body == null ? null : body.path("select_query").asText(null));
        }
        boolean write = (rest.size() == 1 && (req.method().equals("POST") || req.method().equals("PUT")))
                || (rest.size() == 2 && rest.get(1).equals("upsert") && req.method().equals("POST"));
        if (write) {
            JsonNode body = Json.parseOrNull(req.body());
            int n = body != null && body.path("data").isArray() ? body.get("data").size() : 0;
            return Math.max(1, (n + 9) / 10);
        }
        return 1;
    }

    /** {@code rest}: the path segments after {@code /crm/v8}. */
    SandboxResponse handle(SandboxRequest req, List<String> rest) {
        try {
            return route(req, rest);
        } catch (ZohoError e) {
            return SandboxResponse.json(e.status(), e.body());
        }
    }

    private SandboxResponse route(SandboxRequest req, List<String> rest) {
        String method = req.method();
        if (rest.isEmpty()) throw ZohoError.urlPattern();
        if (rest.size() == 1 && rest.get(0).equals("coql")) {
            if (!method.equals("POST")) throw ZohoError.requestMethod();
            return coql(req);
        }
        if (rest.get(0).equals("users") && rest.size() <= 2) {
            if (!method.equals("GET")) throw method.equals("PATCH") ? ZohoError.requestMethod() : ZohoError.notSimulated(req);
            return users(req, rest.size() == 2 ? rest.get(1) : null);
        }
        ZohoModule m = schema.moduleFromPath(rest.get(0));
        // Zoho's modules are named with a capital (Contacts, Calls), though it takes them in any case; another name that
        // starts lower case or with __ is another API (settings, org, __composite_requests), not a mistyped module
        if (m == null && (Character.isLowerCase(rest.get(0).charAt(0)) || rest.get(0).startsWith("__"))) throw ZohoError.notSimulated(req);
        if (m == null) throw ZohoError.invalidModule();
        if (rest.size() == 1) {
            return switch (method) {
                case "GET" -> list(req, m);
                case "POST" -> write(req, m, "insert", null);
                case "PUT" -> write(req, m, "update", null);
                case "DELETE" -> delete(req, m, null);
                default -> throw ZohoError.requestMethod();
            };
        }
        if (rest.size() == 2 && rest.get(1).equals("search")) {
            if (!method.equals("GET")) throw ZohoError.requestMethod();
            return search(req, m);
        }
        if (rest.size() == 2 && rest.get(1).equals("upsert")) {
            if (!method.equals("POST")) throw ZohoError.requestMethod();
            if (!m.upsertSupported()) throw ZohoError.invalidModule();
            return write(req, m, "upsert", null);
        }
        // record ids are digits: a word there is one of the module's other routes (deleted, actions…)
        if (rest.size() == 2 && !rest.get(1).chars().allMatch(Character::isDigit)) throw ZohoError.notSimulated(req);
        if (rest.size() == 2) {
            return switch (method) {
                case "GET" -> get(req, m, rest.get(1));
                case "PUT" -> write(req, m, "update", rest.get(1));
                case "DELETE" -> delete(req, m, rest.get(1));
                default -> throw ZohoError.requestMethod();
            };
        }
        throw ZohoError.notSimulated(req);
    }

    // ---- reads --------------------------------------------------------------------------------

    private SandboxResponse get(SandboxRequest req, ZohoModule m, String id) {
        ObjectNode r = store.get(m.apiName(), id);
        if (r == null) return SandboxResponse.empty(204);
        ObjectNode out = Json.object();
        out.putArray("data").add(render(m, r, fields(req)));
        return SandboxResponse.json(200, out);
    }

    /**
     * {@code GET /{module}?fields=…[&ids=…]}: v8 requires {@code fields}. {@code page} reaches the first 2,000 records
     * (beyond: DISCRETE_PAGINATION_LIMIT_EXCEEDED), the {@code next_page_token} each answer with more records gives
     * reaches beyond ({@link ZohoPageTokens}).
     */
    private SandboxResponse list(SandboxRequest req, ZohoModule m) {
        List<String> fields = fields(req);
        if (fields == null) throw ZohoError.requiredParam("fields");
        Set<String> wanted = ids(req);
        Predicate<ObjectNode> converted = convertedFilter(req, m);
        Predicate<ObjectNode> match = r -> (wanted == null || wanted.contains(r.get("id").asText())) && converted.test(r);
        int perPage = Math.min(MAX_PER_PAGE, Math.max(1, intParam(req, "per_page", MAX_PER_PAGE)));
        ZohoPageTokens.Position from = pageTokens.resolve(req);
        if (from == null) {
            int page = Math.max(1, intParam(req, "page", 1));
            if ((long) (page - 1) * perPage >= ZohoPageTokens.DISCRETE_LIMIT) {
                throw new ZohoError(400, "DISCRETE_PAGINATION_LIMIT_EXCEEDED", "You can only get the first 2000 records without using page_token param.",
                        Json.object().put("limit", ZohoPageTokens.DISCRETE_LIMIT));
            }
            from = new ZohoPageTokens.Position(page, 0, (long) (page - 1) * perPage);
        }
        long after = from.afterSequence();
        List<ObjectNode> found = new ArrayList<>();
        for (ObjectNode r : store.all(m.apiName())) if (store.sequence(r.get("id").asText()) > after && match.test(r)) found.add(r);
        int skip = after == 0 ? (int) from.given() : 0;
        int start = Math.min(found.size(), skip);
        int end = Math.min(found.size(), start + perPage);
        if (start >= end) return SandboxResponse.empty(204);
        ObjectNode out = Json.object();
        ArrayNode data = out.putArray("data");
        for (ObjectNode r : found.subList(start, end)) data.add(render(m, r, fields));
        ObjectNode info = out.putObject("info").put("per_page", perPage).put("count", end - start).put("page", from.page())
                .put("more_records", end < found.size());
        if (end < found.size()) {
            String next = pageTokens.issue(req, new ZohoPageTokens.Position(from.page() + 1,
                    store.sequence(found.get(end - 1).get("id").asText()), from.given() + end - start));
            info.put("next_page_token", next).put("page_token_expiry", schema.format(pageTokens.expiryOf(next)));
        }
        return SandboxResponse.json(200, out);
    }

    /** The {@code ids} parameter, or null. */
    private static Set<String> ids(SandboxRequest req) {
        if (req.param("ids") == null) return null;
        Set<String> ids = new LinkedHashSet<>();
        for (String id : req.param("ids").split(",")) if (!id.isBlank()) ids.add(id.trim());
        return ids;
    }

    /**
     * {@code GET /{module}/search}: exactly one of criteria, email, phone, word applies, in that precedence.
     * {@code phone} matches every phone-type field (custom ones too) by its exact stored value: Zoho documents no
     * normalisation, so none is made.
     */
    private SandboxResponse search(SandboxRequest req, ZohoModule m) {
        Predicate<ObjectNode> match;
        if (req.param("criteria") != null) {
            match = ZohoCriteria.parse(req.param("criteria"), m);
        } else if (req.param("email") != null) {
            String email = req.param("email");
            match = r -> m.ofType(Type.EMAIL).stream().anyMatch(f -> r.path(f.apiName()).asText("").equalsIgnoreCase(email));
        } else if (req.param("phone") != null) {
            String phone = req.param("phone");
            match = r -> m.ofType(Type.PHONE).stream().anyMatch(f -> r.has(f.apiName()) && r.get(f.apiName()).asText().equals(phone));
        } else if (req.param("word") != null) {
            String word = req.param("word").toLowerCase(Locale.ROOT);
            match = r -> m.fields().stream().anyMatch(f -> (f.type().isText() || f.type() == Type.READ_ONLY) && r.has(f.apiName())
                    && r.get(f.apiName()).asText().toLowerCase(Locale.ROOT).contains(word));
        } else {
            ObjectNode d = Json.object();
            d.putArray("param_names").add("criteria").add("email").add("phone").add("word");
            throw new ZohoError(400, "EXPECTED_PARAM_MISSING", "One of the expected parameter is missing", d);
        }
        return page(req, m, convertedFilter(req, m).and(match), fields(req));
    }

    /** Leads: {@code converted=false} (default) unconverted only, {@code true} converted only, {@code both} all. */
    private static Predicate<ObjectNode> convertedFilter(SandboxRequest req, ZohoModule m) {
        if (!m.apiName().equals("Leads")) return r -> true;
        String c = req.param("converted") == null ? "false" : req.param("converted");
        return switch (c) {
            case "true" -> r -> r.path("$converted").asBoolean(false);
            case "both" -> r -> true;
            default -> r -> !r.path("$converted").asBoolean(false);
        };
    }

    private SandboxResponse page(SandboxRequest req, ZohoModule m, Predicate<ObjectNode> match, List<String> fields) {
        int perPage = Math.min(MAX_PER_PAGE, Math.max(1, intParam(req, "per_page", MAX_PER_PAGE)));
        int page = Math.max(1, intParam(req, "page", 1));
        if ((long) (page - 1) * perPage >= ITERATION_LIMIT) {
            throw new ZohoError(400, "LIMIT_REACHED", "maximum response iteration limit reached", Json.object().put("limit", "2000"));
        }
        List<ObjectNode> found = new ArrayList<>();
        for (ObjectNode r : store.all(m.apiName())) if (match.test(r)) found.add(r);
        int from = Math.min(found.size(), (page - 1) * perPage);
        int to = Math.min(found.size(), from + perPage);
        if (from >= to) return SandboxResponse.empty(204);
        ObjectNode out = Json.object();
        ArrayNode data = out.putArray("data");
        for (ObjectNode r : found.subList(from, to)) data.add(render(m, r, fields));
        out.putObject("info").put("per_page", perPage).put("count", to - from).put("page", page)
                .put("more_records", to < found.size() && to < ITERATION_LIMIT);
        return SandboxResponse.json(200, out);
    }

    private static int intParam(SandboxRequest req, String name, int fallback) {
        String v = req.param(name);
        if (v == null) return fallback;
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    /** The {@code fields} parameter, or null; names the module does not have are left out of the answer. */
    private static List<String> fields(SandboxRequest req) {
        String f = req.param("fields");
        if (f == null) return null;
        List<String> out = new ArrayList<>();
        for (String s : f.split(",")) if (!s.isBlank()) out.add(s.trim());
        return out;
    }

    /**
     * A record as Zoho answers it: with {@code fields}, {@code id} and those fields (null when empty); without, every
     * field of the module (null when empty), the system fields and {@code $se_module} / {@code $converted}.
     */
    static ObjectNode render(ZohoModule m, ObjectNode r, List<String> fields) {
        ObjectNode o = Json.object();
        if (fields != null) {
            for (String f : fields) {
                if (f.equals("id") || m.queryable(f) == null) continue;
                JsonNode v = r.get(f);
                if (v == null) o.putNull(f);
                else o.set(f, v.deepCopy());
            }
            o.put("id", r.get("id").asText());
            return o;
        }
        o.set("Owner", r.get("Owner").deepCopy());
        for (ZohoField f : m.fields()) {
            if (f.apiName().equals("Owner")) continue;
            JsonNode v = r.get(f.apiName());
            if (v == null) o.putNull(f.apiName());
            else o.set(f.apiName(), v.deepCopy());
            if (f.type() == Type.WHAT) {
                JsonNode se = r.get("$se_module");
                if (se == null) o.putNull("$se_module");
                else o.set("$se_module", se.deepCopy());
            }
        }
        for (String k : List.of("Created_Time", "Modified_Time", "Created_By", "Modified_By", "$converted")) {
            if (r.has(k)) o.set(k, r.get(k).deepCopy());
        }
        o.put("id", r.get("id").asText());
        return o;
    }

    /**
     * {@code GET /users[?type=CurrentUser]} and {@code GET /users/{id}}: the configured users, all active and
     * confirmed; the current user is the first, who owns the tokens. Connectors call it to check their credentials.
     */
    private SandboxResponse users(SandboxRequest req, String id) {
        List<ZohoSchema.User> users = new ArrayList<>();
        String type = req.param("type");
        if (id != null) {
            if (schema.user(id) != null) users.add(schema.user(id));
        } else if ("CurrentUser".equals(type)) {
            users.add(schema.defaultUser());
        } else if (!"DeactiveUsers".equals(type) && !"NotConfirmedUsers".equals(type)) {
            users.addAll(schema.users());
        }
        if (users.isEmpty()) return SandboxResponse.empty(204);
        ObjectNode out = Json.object();
        ArrayNode a = out.putArray("users");
        for (ZohoSchema.User u : users) {
            int space = u.name().indexOf(' ');
            a.addObject().put("id", u.id()).put("full_name", u.name()).put("first_name", space < 0 ? "" : u.name().substring(0, space))
                    .put("last_name", space < 0 ? u.name() : u.name().substring(space + 1)).put("email", u.email())
                    .put("status", "active").put("confirm", true);
        }
        out.putObject("info").put("per_page", MAX_PER_PAGE).put("count", users.size()).put("page", 1).put("more_records", false);
        return SandboxResponse.json(200, out);
    }

    // ---- COQL ---------------------------------------------------------------------------------

    private SandboxResponse coql(SandboxRequest req) {
        JsonNode body = Json.parseOrNull(req.body());
        JsonNode q = body == null ? null : body.get("select_query");
        if (q == null || !q.isTextual() || q.asText().isBlank()) {
            throw new ZohoError(400, "INVALID_QUERY", "invalid query formed", Json.object().put("reason", "select_query is missing"));
        }
        ObjectNode answer = ZohoCoql.run(ZohoCoql.parse(schema, q.asText()), store);
        return answer == null ? SandboxResponse.empty(204) : SandboxResponse.json(200, answer);
    }

    // ---- writes -------------------------------------------------------------------------------

    /** {@code DELETE /{module}/{id}} or {@code DELETE /{module}?ids=…} (at most 100): one result per id, statuses as a write's. */
    private SandboxResponse delete(SandboxRequest req, ZohoModule m, String pathId) {
        Set<String> ids = pathId != null ? Set.of(pathId) : ids(req);
        if (ids == null || ids.isEmpty()) throw ZohoError.requiredParam("ids");
        if (ids.size() > MAX_RECORDS) throw ZohoError.recordCountExceeded(MAX_RECORDS);
        int ok = 0;
        ObjectNode out = Json.object();
        ArrayNode a = out.putArray("data");
        for (ObjectNode r : writes.delete(m, List.copyOf(ids))) {
            a.add(r);
            if (r.path("status").asText().equals("success")) ok++;
        }
        writeJournal.accept(Json.object().put("operation", "delete").put("module", m.apiName()).put("records", ids.size())
                .put("succeeded", ok).putNull("trigger"));
        return SandboxResponse.json(ok == ids.size() ? 200 : ok == 0 ? 400 : 207, out);
    }

    private SandboxResponse write(SandboxRequest req, ZohoModule m, String operation, String pathId) {
        JsonNode body = Json.parseOrNull(req.body());
        if (body == null || !body.isObject()) throw ZohoError.invalidBody(null, null);
        JsonNode data = body.get("data");
        if (data == null || data.isNull() || (data.isArray() && data.isEmpty())) throw ZohoError.requiredParam("data");
        if (!data.isArray()) throw ZohoError.invalidBody("data", "jsonarray");
        if (data.size() > MAX_RECORDS) throw ZohoError.recordCountExceeded(MAX_RECORDS);
        if (pathId != null && data.size() != 1) throw ZohoError.invalidBody("data", "jsonarray");
        JsonNode trigger = body.get("trigger");
        if (trigger != null) {
            boolean ok = trigger.isArray();
            if (ok) for (JsonNode t : trigger) ok &= t.isTextual() && TRIGGERS.contains(t.asText());
            if (!ok) throw ZohoError.invalidBody("trigger", "jsonarray");
        }
        List<ObjectNode> results = switch (operation) {
            case "insert" -> writes.insert(m, data);
            case "update" -> writes.update(m, data, pathId);
            default -> writes.upsert(m, data, checkFields(m, body));
        };
        int ok = 0;
        ObjectNode out = Json.object();
        ArrayNode a = out.putArray("data");
        for (ObjectNode r : results) {
            a.add(r);
            if (r.path("status").asText().equals("success")) ok++;
        }
        ObjectNode logged = Json.object().put("operation", operation).put("module", m.apiName()).put("records", results.size())
                .put("succeeded", ok);
        if (trigger == null) logged.putNull("trigger");
        else logged.set("trigger", trigger.deepCopy());
        writeJournal.accept(logged);
        int status = ok == results.size() ? (operation.equals("insert") ? 201 : 200) : ok == 0 ? 400 : 207;
        return SandboxResponse.json(status, out);
    }

    /** {@code duplicate_check_fields}, each one of the module's system duplicate-check or unique fields. */
    private static List<String> checkFields(ZohoModule m, JsonNode body) {
        JsonNode given = body.get("duplicate_check_fields");
        if (given == null || given.isNull()) return m.upsertFields();
        if (!given.isArray() || given.isEmpty()) throw ZohoError.invalidBody("duplicate_check_fields", "jsonarray");
        List<String> out = new ArrayList<>();
        for (int i = 0; i < given.size(); i++) {
            String f = given.get(i).asText();
            if (!m.upsertFields().contains(f)) {
                throw new ZohoError(400, "INVALID_DATA", "invalid data", Json.object().put("api_name", f)
                        .put("json_path", "$.duplicate_check_fields[" + i + "]"));
            }
            out.add(f);
        }
        return out;
    }
}
