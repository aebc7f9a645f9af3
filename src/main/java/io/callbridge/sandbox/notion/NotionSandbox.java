package io.callbridge.sandbox.notion;

import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callbridge.sandbox.Json;
import io.callbridge.sandbox.SandboxAdminException;
import io.callbridge.sandbox.SandboxContext;
import io.callbridge.sandbox.SandboxCrm;
import io.callbridge.sandbox.SandboxRequest;
import io.callbridge.sandbox.SandboxResponse;
import io.callbridge.sandbox.notion.NotionStore.Block;
import io.callbridge.sandbox.notion.NotionStore.Page;
import io.callbridge.sandbox.notion.NotionWorkspace.DataSource;
import io.callbridge.sandbox.notion.NotionWorkspace.Option;
import io.callbridge.sandbox.notion.NotionWorkspace.Property;

/**
 * A Notion workspace simulator mounted at {@code /notion}: the public API under {@code /notion/v1/...} with an
 * internal integration's secret ({@code Authorization: Bearer <token>}) and a required {@code Notion-Version}.
 *
 * <p>Versions: {@code 2022-06-28} queries {@code POST /v1/databases/{id}/query}, writes {@code database_id} parents and
 * reads the schema inline in {@code GET /v1/databases/{id}}; {@code 2025-09-03} and {@code 2026-03-11} query
 * {@code POST /v1/data_sources/{id}/query}, read {@code GET /v1/data_sources/{id}}, write {@code data_source_id}
 * parents (a {@code database_id} parent still works for a single-source database, as the OAS keeps it), and
 * {@code GET /v1/databases/{id}} lists the data sources. An endpoint of the other generation answers 400
 * {@code invalid_request_url} (unconfirmed: the endpoint does not exist in that version); pages answer
 * {@code archived} before 2026-03-11 (which only has {@code in_trash}).
 *
 * <p>Routes: {@code GET /v1/users}, {@code GET /v1/users/{id}}, {@code GET /v1/databases/{id}}, {@code POST /v1/databases/{id}/query},
 * {@code GET /v1/data_sources/{id}}, {@code POST /v1/data_sources/{id}/query}, {@code POST /v1/search} (page titles
 * only), {@code POST /v1/pages} (200), {@code GET|PATCH /v1/pages/{id}}, {@code GET|PATCH /v1/blocks/{id}/children}.
 * See {@link NotionValues} (values, limits, select/status choices) and {@link NotionQuery} (filters, sorts).
 *
 * <p>Configuration ({@code callbridge.sandbox.notion.<key>}): {@code token} ({@link #DEFAULT_TOKEN}),
 * {@code rate-per-second} (3), {@code burst} (10), {@code workspace} (JSON document or file; see
 * {@link NotionWorkspace}), {@code webhook-url} (the integration's webhook subscription: see {@link NotionWebhooks}) and
 * {@code verification-token} (the token it sends and signs with; a random one when unset). The shared
 * {@code rate-limit.*} window is not used.
 *
 * <p>Errors: {@code {"object":"error","status","code","message","request_id"}}: 401 {@code unauthorized}, 400
 * {@code missing_version}, {@code validation_error}, {@code invalid_json}, {@code invalid_request_url}, 404
 * {@code object_not_found}, 429 {@code rate_limited} with {@code Retry-After}; injected faults use Notion's codes
 * for their status (503 {@code service_unavailable}, 529 {@code service_overload}, 409 {@code conflict_error}, …).
 */
public final class NotionSandbox implements SandboxCrm {

    public static final String NAME = "notion";
    /** The internal integration secret the sandbox accepts when none is configured (dev only; it protects nothing). */
    public static final String DEFAULT_TOKEN = "ntn_callbridge_sandbox_notion_secret";
    public static final Set<String> CONFIG_KEYS = Set.of("token", "rate-per-second", "burst", "workspace", "webhook-url",
            "verification-token");
    public static final List<String> VERSIONS = List.of("2022-06-28", "2025-09-03", "2026-03-11");
    public static final double DEFAULT_RATE_PER_SECOND = 3;
    public static final double DEFAULT_BURST = 10;

    public static final String OWNER_USER_ID = "0b1c4f6e-1d2a-4c1e-9a51-000000000001";
    public static final String SECOND_USER_ID = "0b1c4f6e-1d2a-4c1e-9a51-000000000002";
    public static final String CONTACTS_DATABASE_ID = "7f3e2a10-5b4c-4d8e-9f01-000000000101";
    public static final String CALLS_DATABASE_ID = "7f3e2a10-5b4c-4d8e-9f01-000000000102";
    public static final String DEALS_DATABASE_ID = "7f3e2a10-5b4c-4d8e-9f01-000000000103";
    public static final String TASKS_DATABASE_ID = "7f3e2a10-5b4c-4d8e-9f01-000000000104";
    public static final String CASES_DATABASE_ID = "7f3e2a10-5b4c-4d8e-9f01-000000000105";
    public static final String MEETINGS_DATABASE_ID = "7f3e2a10-5b4c-4d8e-9f01-000000000106";
    public static final String CONTACTS_DATA_SOURCE_ID = "7f3e2a10-5b4c-4d8e-9f01-000000000201";
    public static final String CALLS_DATA_SOURCE_ID = "7f3e2a10-5b4c-4d8e-9f01-000000000202";
    public static final String DEALS_DATA_SOURCE_ID = "7f3e2a10-5b4c-4d8e-9f01-000000000203";
    public static final String TASKS_DATA_SOURCE_ID = "7f3e2a10-5b4c-4d8e-9f01-000000000204";
    public static final String CASES_DATA_SOURCE_ID = "7f3e2a10-5b4c-4d8e-9f01-000000000205";
    public static final String MEETINGS_DATA_SOURCE_ID = "7f3e2a10-5b4c-4d8e-9f01-000000000206";

    /** The bot user the integration acts as: {@code created_by} of what it writes. */
    static final String BOT_USER_ID = "0b1c4f6e-1d2a-4c1e-9a51-0000000000b0";
    static final Instant SCHEMA_TIME = Instant.parse("2026-01-05T08:00:00Z");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final SandboxContext context;
    private final String token;
    private final NotionWorkspace workspace;
    private final NotionStore store = new NotionStore();
    private final NotionValues values;
    private final NotionRateLimit rate;
    private final NotionWebhooks webhooks;
    private boolean tokensExpired;

    public NotionSandbox(SandboxContext context) {
        this.context = context;
        this.token = context.config("token", DEFAULT_TOKEN);
        this.workspace = NotionWorkspace.load(context.config("workspace", ""));
        this.values = new NotionValues(workspace, store);
        this.rate = new NotionRateLimit(context.clock(), Double.parseDouble(context.config("rate-per-second", "3")),
                Double.parseDouble(context.config("burst", "10")));
        String webhookUrl = context.config("webhook-url", null);
        this.webhooks = webhookUrl == null ? null : new NotionWebhooks(webhookUrl, context.config("verification-token",
                "secret_" + NotionValues.newId(context.random()).replace("-", "")), context.clock(), context::random);
        if (webhooks != null) webhooks.verify();
    }

    /** Tells the integration's webhook subscription, when there is one. */
    private void event(String type, Page p, List<String> updatedProperties) {
        if (webhooks != null) webhooks.pageEvent(type, p, workspace.dataSource(p.dataSourceId), updatedProperties);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, String> clientSettings() {
        return Map.of("token", token);
    }

    static String time(Instant i) {
        return TIME.format(i);
    }

    // ---- the API ------------------------------------------------------------------------------

    @Override
    public boolean usesSharedRateLimit() {
        return false;
    }

    @Override
    public synchronized SandboxResponse handle(SandboxRequest req) {
        String requestId = NotionValues.newId(context.random());
        try {
            List<String> s = req.segments();
            if (s.isEmpty() || !s.get(0).equals("v1")) throw NotionError.notSimulated(req);
            String auth = req.header("authorization");
            if (tokensExpired || auth == null || !auth.regionMatches(true, 0, "Bearer ", 0, 7) || !auth.substring(7).trim().equals(token)) {
                throw NotionError.unauthorized();
            }
            String version = req.header("notion-version");
            if (version == null || version.isBlank()) throw NotionError.missingVersion();
            version = version.trim();
            if (!VERSIONS.contains(version)) throw NotionError.invalidVersion(version, String.join(", ", VERSIONS));
            long retry = rate.acquire();
            if (retry > 0) {
                NotionError e = NotionError.rateLimited();
                return SandboxResponse.json(429, e.body(requestId)).withHeader("Retry-After", Long.toString(retry));
            }
            return SandboxResponse.json(200, route(req, s.subList(1, s.size()), version));
        } catch (NotionError e) {
            return SandboxResponse.json(e.status(), e.body(requestId));
        }
    }

    private JsonNode route(SandboxRequest req, List<String> s, String v) {
        String m = req.method();
        boolean legacy = v.equals("2022-06-28");
        String head = s.isEmpty() ? "" : s.get(0);
        int n = s.size();
        switch (head) {
            case "users" -> {
                if (n == 1 && m.equals("GET")) return users(req);
                if (n == 2 && m.equals("GET")) {
                    NotionWorkspace.User u = workspace.user(id(s.get(1), "user_id"));
                    if (u == null) throw NotionError.notFound("user", s.get(1));
                    return renderUser(u);
                }
            }
            case "databases" -> {
                if (n == 2 && m.equals("GET")) return renderDatabase(database(s.get(1)), v);
                if (n == 3 && s.get(2).equals("query") && m.equals("POST")) {
                    if (!legacy) throw NotionError.invalidUrl(m, req.path());
                    List<DataSource> ds = database(s.get(1));
                    return query(ds.get(0), body(req), v);
                }
            }
            case "data_sources" -> {
                if (n >= 2 && legacy) throw NotionError.invalidUrl(m, req.path());
                if (n == 2 && m.equals("GET")) return renderDataSource(dataSource(s.get(1)));
                if (n == 3 && s.get(2).equals("query") && m.equals("POST")) return query(dataSource(s.get(1)), body(req), v);
            }
            case "search" -> {
                if (n == 1 && m.equals("POST")) return search(body(req), v);
            }
            case "pages" -> {
                if (n == 1 && m.equals("POST")) return createPage(body(req), v);
                if (n == 2 && m.equals("GET")) return renderPage(page(s.get(1)), v);
                if (n == 2 && m.equals("PATCH")) return updatePage(page(s.get(1)), body(req), v);
            }
            case "blocks" -> {
                if (n == 3 && s.get(2).equals("children") && m.equals("GET")) return children(s.get(1), req, v);
                if (n == 3 && s.get(2).equals("children") && m.equals("PATCH")) return append(s.get(1), body(req), v);
            }
            default -> { }
        }
        throw NotionError.notSimulated(req);
    }

    private static JsonNode body(SandboxRequest req) {
        if (!req.hasBody()) return Json.object();
        try {
            JsonNode b = Json.parse(req.body());
            if (b == null || !b.isObject()) throw NotionError.body("", "an object", b == null ? "undefined" : NotionValues.kind(b));
            return b;
        } catch (IOException e) {
            throw NotionError.invalidJson();
        }
    }

    /** A path id must be a UUID (dashed or not): Notion refuses anything else before looking it up. */
    private static String id(String raw, String name) {
        if (!NotionWorkspace.isUuid(raw)) throw NotionError.validation("path failed validation: path." + name + " should be a valid uuid, instead was `\"" + raw + "\"`.");
        return NotionWorkspace.normalizeId(raw);
    }

    private List<DataSource> database(String raw) {
        List<DataSource> ds = workspace.ofDatabase(id(raw, "database_id"));
        if (ds.isEmpty()) throw NotionError.notFound("database", raw);
        return ds;
    }

    private DataSource dataSource(String raw) {
        DataSource ds = workspace.dataSource(id(raw, "data_source_id"));
        if (ds == null) throw NotionError.notFound("data_source", raw);
        return ds;
    }

    private Page page(String raw) {
        Page p = store.page(id(raw, "page_id"));
        if (p == null) throw NotionError.notFound("page", raw);
        return p;
    }

    // ---- queries ------------------------------------------------------------------------------

    private JsonNode query(DataSource ds, JsonNode body, String v) {
        int size = pageSize(body.get("page_size"));
        List<Page> hits = new ArrayList<>();
        java.util.function.Predicate<Page> f = NotionQuery.filter(ds, body.get("filter"));
        boolean trash = body.path("in_trash").asBoolean(false);
        for (Page p : store.pages(ds.id)) if (p.inTrash == trash && f.test(p)) hits.add(p);
        hits.sort(NotionQuery.sorts(ds, body.get("sorts")));
        return list(hits, body.get("start_cursor"), size, v, v.equals("2022-06-28") ? "page" : "page_or_data_source");
    }

    private static int pageSize(JsonNode n) {
        if (n == null || n.isNull()) return 100;
        if (!n.isInt()) throw NotionError.body("page_size", "a number", NotionValues.kind(n));
        if (n.asInt() > 100) throw NotionError.body("page_size", "≤ `100`", n.asInt());
        if (n.asInt() < 1) throw NotionError.body("page_size", "≥ `1`", n.asInt());
        return n.asInt();
    }

    /**
     * A cursor is the id of the first page of the next batch, as Notion's cursors are; one that is not a string is a
     * body validation error, one that names no page of these results is "invalid", as Notion words them.
     */
    private ObjectNode list(List<Page> hits, JsonNode cursor, int size, String v, String type) {
        int from = 0;
        if (cursor != null && !cursor.isNull()) {
            if (!cursor.isTextual()) throw NotionError.body("start_cursor", "a string or `undefined`", NotionValues.kind(cursor));
            String c = NotionWorkspace.normalizeId(cursor.asText());
            from = -1;
            for (int i = 0; i < hits.size(); i++) if (hits.get(i).id.equals(c)) from = i;
            if (from < 0) throw NotionError.validation("The start_cursor provided is invalid: " + cursor.asText());
        }
        ObjectNode o = Json.object();
        o.put("object", "list");
        ArrayNode results = o.putArray("results");
        int to = Math.min(hits.size(), from + size);
        for (int i = from; i < to; i++) results.add(renderPage(hits.get(i), v));
        if (to < hits.size()) o.put("next_cursor", hits.get(to).id);
        else o.putNull("next_cursor");
        o.put("has_more", to < hits.size());
        o.put("type", type);
        o.putObject(type);
        return o;
    }

    private JsonNode search(JsonNode body, String v) {
        String q = body.path("query").asText("").toLowerCase(java.util.Locale.ROOT);
        String only = body.path("filter").path("value").asText(null);
        int size = pageSize(body.get("page_size"));
        List<Page> hits = new ArrayList<>();
        if (only == null || only.equals("page")) {
            for (Page p : store.pages(null)) {
                if (!p.inTrash && NotionQuery.text(p.values.get(workspace.dataSource(p.dataSourceId).title().name)).toLowerCase(java.util.Locale.ROOT).contains(q)) {
                    hits.add(p);
                }
            }
        }
        hits.sort(java.util.Comparator.comparing((Page p) -> p.lastEditedTime).thenComparingLong(p -> p.seq).reversed());
        return list(hits, body.get("start_cursor"), size, v, "page_or_data_source");
    }

    // ---- pages --------------------------------------------------------------------------------

    private JsonNode createPage(JsonNode body, String v) {
        JsonNode parent = body.get("parent");
        if (parent == null || !parent.isObject()) throw NotionError.body("parent", "defined", "undefined");
        DataSource ds;
        if (parent.has("data_source_id")) {
            if (v.equals("2022-06-28")) throw NotionError.body("parent.database_id", "defined", "undefined");
            ds = dataSource(parent.get("data_source_id").asText());
        } else if (parent.has("database_id")) {
            List<DataSource> all = database(parent.get("database_id").asText());
            if (all.size() > 1) throw NotionError.validation("Databases with multiple data sources are not supported in this API version.");
            ds = all.get(0);
        } else {
            throw NotionError.body(v.equals("2022-06-28") ? "parent.database_id" : "parent.data_source_id", "defined", "undefined");
        }
        Map<String, JsonNode> vals = values.properties(ds, body.get("properties"), true);
        Instant now = context.clock().instant();
        String id = freshId();
        List<Block> blocks = NotionValues.blocks(body.get("children"), "children", id, now, BOT_USER_ID, this::freshId);
        Page p = store.create(id, ds.id, now, BOT_USER_ID);
        p.values.putAll(vals);
        for (Block b : blocks) store.addBlock(p, b, p.children.size());
        event("page.created", p, null);
        return renderPage(p, v);
    }

    /**
     * A page or block id no page or block has: the seeded random source starts again at every start, and the pages
     * kept from before (a data directory) hold the ids it gave then.
     */
    private String freshId() {
        String id;
        do {
            id = NotionValues.newId(context.random());
        } while (store.page(id) != null || store.block(id) != null);
        return id;
    }

    private JsonNode updatePage(Page p, JsonNode body, String v) {
        DataSource ds = workspace.dataSource(p.dataSourceId);
        JsonNode trash = body.has("in_trash") ? body.get("in_trash") : body.get("archived");
        if (trash != null && !trash.isBoolean()) throw NotionError.body(body.has("in_trash") ? "in_trash" : "archived", "a boolean", NotionValues.kind(trash));
        if (p.inTrash && (trash == null || trash.asBoolean()) && body.has("properties")) {
            throw NotionError.validation("Can't edit block that is archived. You must unarchive the block before editing.");
        }
        Map<String, JsonNode> vals = values.properties(ds, body.get("properties"), false);
        List<String> changed = new ArrayList<>();
        vals.forEach((name, value) -> {
            if (!value.equals(p.values.get(name))) changed.add(ds.property(name).id);
        });
        p.values.putAll(vals);
        boolean wasInTrash = p.inTrash;
        if (trash != null) p.inTrash = trash.asBoolean();
        p.lastEditedTime = context.clock().instant();
        p.lastEditedBy = BOT_USER_ID;
        if (!changed.isEmpty()) event("page.properties_updated", p, changed);
        if (p.inTrash != wasInTrash) event(p.inTrash ? "page.deleted" : "page.undeleted", p, null);
        return renderPage(p, v);
    }

    private JsonNode children(String raw, SandboxRequest req, String v) {
        String id = id(raw, "block_id");
        Page p = store.page(id);
        List<Block> all;
        if (p != null) all = p.children;
        else if (store.block(id) != null) all = List.of();
        else throw NotionError.notFound("block", raw);
        int size = 100;
        if (req.param("page_size") != null) {
            try {
                size = Integer.parseInt(req.param("page_size"));
            } catch (NumberFormatException e) {
                throw NotionError.validation("query failed validation: query.page_size should be a number, instead was `\"" + req.param("page_size") + "\"`.");
            }
            if (size > 100 || size < 1) throw NotionError.validation("query failed validation: query.page_size should be ≤ `100`, instead was `" + size + "`.");
        }
        int from = 0;
        String cursor = req.param("start_cursor");
        if (cursor != null) {
            from = -1;
            for (int i = 0; i < all.size(); i++) if (all.get(i).id().equals(NotionWorkspace.normalizeId(cursor))) from = i;
            if (from < 0) throw NotionError.validation("The start_cursor provided is invalid: " + cursor);
        }
        int to = Math.min(all.size(), from + size);
        ObjectNode o = Json.object();
        o.put("object", "list");
        ArrayNode results = o.putArray("results");
        for (int i = from; i < to; i++) results.add(NotionValues.renderBlock(all.get(i), v, BOT_USER_ID));
        if (to < all.size()) o.put("next_cursor", all.get(to).id());
        else o.putNull("next_cursor");
        o.put("has_more", to < all.size());
        o.put("type", "block");
        o.putObject("block");
        return o;
    }

    private JsonNode append(String raw, JsonNode body, String v) {
        String id = id(raw, "block_id");
        Page p = store.page(id);
        if (p == null) {
            if (store.block(id) != null) throw NotionError.validation("Block does not support children.");
            throw NotionError.notFound("block", raw);
        }
        if (!body.has("children")) throw NotionError.body("children", "defined", "undefined");
        if (p.inTrash) throw NotionError.validation("Can't edit block that is archived. You must unarchive the block before editing.");
        Instant now = context.clock().instant();
        List<Block> blocks = NotionValues.blocks(body.get("children"), "children", p.id, now, BOT_USER_ID, this::freshId);
        int at = p.children.size();
        JsonNode pos = body.get("position");
        String after = body.path("after").asText(null);
        if (pos != null && pos.isObject()) {
            switch (pos.path("type").asText("end")) {
                case "start" -> at = 0;
                case "after_block" -> after = pos.path("after_block").path("id").asText(null);
                default -> { }
            }
        }
        if (after != null) {
            String a = NotionWorkspace.normalizeId(after);
            at = -1;
            for (int i = 0; i < p.children.size(); i++) if (p.children.get(i).id().equals(a)) at = i + 1;
            if (at < 0) throw NotionError.notFound("block", after);
        }
        for (int i = 0; i < blocks.size(); i++) store.addBlock(p, blocks.get(i), at + i);
        p.lastEditedTime = now;
        event("page.content_updated", p, null);
        ObjectNode o = Json.object();
        o.put("object", "list");
        ArrayNode results = o.putArray("results");
        for (Block b : blocks) results.add(NotionValues.renderBlock(b, v, BOT_USER_ID));
        o.putNull("next_cursor");
        o.put("has_more", false);
        o.put("type", "block");
        o.putObject("block");
        return o;
    }

    // ---- rendering ----------------------------------------------------------------------------

    ObjectNode renderPage(Page p, String v) {
        DataSource ds = workspace.dataSource(p.dataSourceId);
        ObjectNode o = Json.object();
        o.put("object", "page").put("id", p.id);
        o.put("created_time", time(p.createdTime)).put("last_edited_time", time(p.lastEditedTime));
        o.putObject("created_by").put("object", "user").put("id", p.createdBy);
        o.putObject("last_edited_by").put("object", "user").put("id", p.lastEditedBy);
        o.putNull("cover");
        o.putNull("icon");
        ObjectNode parent = o.putObject("parent");
        if (v.equals("2022-06-28")) {
            parent.put("type", "database_id").put("database_id", ds.databaseId);
        } else {
            parent.put("type", "data_source_id").put("data_source_id", ds.id).put("database_id", ds.databaseId);
        }
        if (v.compareTo("2026-03-11") < 0) o.put("archived", p.inTrash);
        o.put("in_trash", p.inTrash);
        o.put("is_locked", false);
        o.set("properties", NotionValues.render(ds, p));
        o.put("url", "https://www.notion.so/" + p.id.replace("-", ""));
        o.putNull("public_url");
        return o;
    }

    /** The workspace's people and the integration's bot, paged as Notion pages them ({@code page_size} ≤ 100, cursor = next user's id). */
    private JsonNode users(SandboxRequest req) {
        List<ObjectNode> all = new ArrayList<>();
        workspace.users().forEach(u -> all.add(renderUser(u)));
        ObjectNode bot = Json.object().put("object", "user").put("id", BOT_USER_ID).put("name", "Callbridge").putNull("avatar_url")
                .put("type", "bot");
        bot.putObject("bot");
        all.add(bot);
        int size = 100;
        String raw = req.param("page_size");
        if (raw != null) {
            try {
                size = Integer.parseInt(raw);
            } catch (NumberFormatException e) {
                throw NotionError.validation("query failed validation: query.page_size should be a number, instead was `\"" + raw + "\"`.");
            }
            if (size > 100 || size < 1) throw NotionError.validation("query failed validation: query.page_size should be ≤ `100`, instead was `" + size + "`.");
        }
        int from = 0;
        String cursor = req.param("start_cursor");
        if (cursor != null) {
            from = -1;
            for (int i = 0; i < all.size(); i++) if (all.get(i).path("id").asText().equals(NotionWorkspace.normalizeId(cursor))) from = i;
            if (from < 0) throw NotionError.validation("The start_cursor provided is invalid: " + cursor);
        }
        int to = Math.min(all.size(), from + size);
        ObjectNode o = Json.object();
        o.put("object", "list");
        ArrayNode results = o.putArray("results");
        for (int i = from; i < to; i++) results.add(all.get(i));
        if (to < all.size()) o.put("next_cursor", all.get(to).path("id").asText());
        else o.putNull("next_cursor");
        o.put("has_more", to < all.size());
        o.put("type", "user");
        o.putObject("user");
        return o;
    }

    private static ObjectNode renderUser(NotionWorkspace.User u) {
        ObjectNode o = Json.object();
        o.put("object", "user").put("id", u.id()).put("name", u.name()).putNull("avatar_url").put("type", "person");
        o.putObject("person").put("email", u.email());
        return o;
    }

    private static ArrayNode title(String text) {
        return NotionValues.richText(Json.array().add(Json.object().set("text", Json.object().put("content", text))), "title");
    }

    private ObjectNode renderDataSource(DataSource ds) {
        ObjectNode o = Json.object();
        o.put("object", "data_source").put("id", ds.id);
        o.set("title", title(ds.name));
        o.putArray("description");
        o.putObject("parent").put("type", "database_id").put("database_id", ds.databaseId);
        o.putObject("database_parent").put("type", "workspace").put("workspace", true);
        o.put("is_inline", false).put("in_trash", false);
        o.put("created_time", time(SCHEMA_TIME)).put("last_edited_time", time(SCHEMA_TIME));
        o.putObject("created_by").put("object", "user").put("id", OWNER_USER_ID);
        o.putObject("last_edited_by").put("object", "user").put("id", OWNER_USER_ID);
        o.set("properties", schema(ds));
        o.putNull("icon");
        o.putNull("cover");
        o.put("url", "https://www.notion.so/" + ds.databaseId.replace("-", ""));
        o.putNull("public_url");
        return o;
    }

    private ObjectNode schema(DataSource ds) {
        ObjectNode props = Json.object();
        for (Property p : ds.properties.values()) {
            ObjectNode c = props.putObject(p.name);
            c.put("id", p.id).put("name", p.name).put("description", (String) null).put("type", p.type);
            ObjectNode t = c.putObject(p.type);
            switch (p.type) {
                case "number" -> t.put("format", "number");
                case "select", "status" -> {
                    ArrayNode opts = t.putArray("options");
                    for (Option op : p.options) opts.addObject().put("id", op.id()).put("name", op.name()).put("color", op.color()).putNull("description");
                    if (p.type.equals("status")) {
                        ArrayNode groups = t.putArray("groups");
                        ObjectNode g = groups.addObject().put("id", NotionWorkspace.shortId(p.id + "group")).put("name", "All").put("color", "gray");
                        ArrayNode ids = g.putArray("option_ids");
                        p.options.forEach(op -> ids.add(op.id()));
                    }
                }
                case "relation" -> {
                    DataSource target = workspace.dataSource(p.relationTo);
                    t.put("data_source_id", target.id).put("database_id", target.databaseId).put("type", "single_property").putObject("single_property");
                }
                default -> { }
            }
        }
        return props;
    }

    private ObjectNode renderDatabase(List<DataSource> sources, String v) {
        DataSource first = sources.get(0);
        ObjectNode o = Json.object();
        o.put("object", "database").put("id", first.databaseId);
        o.set("title", title(first.name));
        o.putArray("description");
        o.putObject("parent").put("type", "workspace").put("workspace", true);
        o.put("is_inline", false).put("in_trash", false);
        if (v.equals("2022-06-28")) {
            o.put("archived", false);
            o.putObject("created_by").put("object", "user").put("id", OWNER_USER_ID);
            o.putObject("last_edited_by").put("object", "user").put("id", OWNER_USER_ID);
        } else {
            o.put("is_locked", false);
        }
        o.put("created_time", time(SCHEMA_TIME)).put("last_edited_time", time(SCHEMA_TIME));
        if (v.equals("2022-06-28")) {
            o.set("properties", schema(first));
        } else {
            ArrayNode a = o.putArray("data_sources");
            for (DataSource ds : sources) a.addObject().put("id", ds.id).put("name", ds.name);
        }
        o.putNull("icon");
        o.putNull("cover");
        o.put("url", "https://www.notion.so/" + first.databaseId.replace("-", ""));
        o.putNull("public_url");
        return o;
    }

    // ---- SandboxCrm ---------------------------------------------------------------------------

    /**
     * {@code filter} for a query with a filter: a caller search and a listing of the same data source differ only in
     * their body, which the journal never keeps.
     */
    @Override
    public String journalNote(SandboxRequest req) {
        if (!req.method().equals("POST") || !req.path().endsWith("/query") || !req.hasBody()) return null;
        try {
            JsonNode b = Json.parse(req.body());
            return b != null && b.hasNonNull("filter") ? "filter" : null;
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public synchronized void reset() {
        store.clear();
        workspace.reset();
        rate.reset();
        tokensExpired = false;
    }

    /**
     * {@code {"<data source id>": [{"properties": {…as in POST /v1/pages…}, "children": [blocks]}]}}, data sources in
     * dependency order (a relation names pages seeded before it). Answers {@code {"<data source id>": ["<page id>", …]}};
     * nothing is kept when one page is refused.
     */
    @Override
    public synchronized JsonNode snapshot() {
        ObjectNode o = store.toJson();
        o.set("options", workspace.optionsJson());
        return o;
    }

    @Override
    public synchronized void restore(JsonNode snapshot) {
        store.fromJson(snapshot);
        workspace.restoreOptions(snapshot.path("options"));
    }

    @Override
    public synchronized JsonNode seed(JsonNode records) throws SandboxAdminException {
        if (records == null || !records.isObject()) {
            throw new SandboxAdminException(400, "seed with {\"<data source id>\": [{\"properties\": {…}, \"children\": […]}]}");
        }
        long mark = store.nextSeq();
        ObjectNode out = Json.object();
        try {
            for (Iterator<Map.Entry<String, JsonNode>> it = records.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                DataSource ds = workspace.dataSource(e.getKey());
                if (ds == null) throw new SandboxAdminException(400, "unknown data source '" + e.getKey() + "'; data sources: "
                        + workspace.dataSources().stream().map(d -> d.id + " (" + d.name + ")").toList());
                if (!e.getValue().isArray()) throw new SandboxAdminException(400, e.getKey() + " must be an array of pages");
                ArrayNode ids = out.putArray(ds.id);
                for (JsonNode r : e.getValue()) {
                    ObjectNode body = Json.object();
                    body.putObject("parent").put("data_source_id", ds.id);
                    body.set("properties", r.get("properties"));
                    if (r.has("children")) body.set("children", r.get("children"));
                    ids.add(createPage(body, "2026-03-11").get("id").asText());
                }
            }
        } catch (NotionError ex) {
            store.removeAfter(mark);
            throw new SandboxAdminException(400, ex.code() + ": " + ex.getMessage());
        } catch (SandboxAdminException ex) {
            store.removeAfter(mark);
            throw ex;
        }
        return out;
    }

    /**
     * The pages of one data source (by id) in creation order, or of each that has some ({@code {"<id>": […]}}):
     * {@code {"id","created_time","last_edited_time","in_trash","properties":{…as Notion answers them…},
     * "children":[{"id","type","text"}]}}, {@code text} the block's plain text.
     */
    @Override
    public synchronized JsonNode list(String type) throws SandboxAdminException {
        if (type != null) {
            DataSource ds = workspace.dataSource(type);
            if (ds == null) throw new SandboxAdminException(404, "unknown data source '" + type + "'");
            ArrayNode a = Json.array();
            for (Page p : store.pages(ds.id)) {
                ObjectNode o = a.addObject();
                o.put("id", p.id).put("created_time", time(p.createdTime)).put("last_edited_time", time(p.lastEditedTime)).put("in_trash", p.inTrash);
                o.set("properties", NotionValues.render(ds, p));
                ArrayNode ch = o.putArray("children");
                for (Block b : p.children) ch.addObject().put("id", b.id()).put("type", b.type()).put("text", b.plainText());
            }
            return a;
        }
        ObjectNode o = Json.object();
        for (DataSource ds : workspace.dataSources()) if (!store.pages(ds.id).isEmpty()) o.set(ds.id, list(ds.id));
        return o;
    }

    @Override
    public synchronized void expireTokens() {
        tokensExpired = true;
    }

    /** Notion has no refresh token: an admin revokes the integration's secret, which is then refused like an expired one. */
    @Override
    public synchronized void revokeAccess() {
        tokensExpired = true;
    }

    @Override
    public synchronized void restoreAccess() {
        tokensExpired = false;
    }

    @Override
    public SandboxResponse faultResponse(String kind, int status) {
        NotionError e = NotionError.forStatus(status);
        SandboxResponse r = SandboxResponse.json(status, e.body(NotionValues.newId(context.random())));
        return status == 429 || status == 529 || status == 503 ? r.withHeader("Retry-After", "1") : r;
    }
}
