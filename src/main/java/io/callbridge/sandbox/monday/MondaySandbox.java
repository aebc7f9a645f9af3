package io.callbridge.sandbox.monday;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callbridge.sandbox.Json;
import io.callbridge.sandbox.SandboxAdminException;
import io.callbridge.sandbox.SandboxContext;
import io.callbridge.sandbox.SandboxCrm;
import io.callbridge.sandbox.SandboxRequest;
import io.callbridge.sandbox.SandboxResponse;
import io.callbridge.sandbox.monday.MondayStore.Cell;
import io.callbridge.sandbox.monday.MondayStore.Item;
import io.callbridge.sandbox.monday.MondayWorkspace.Board;

/**
 * A monday.com account simulator, mounted at {@code /monday}: the GraphQL API at {@code POST /monday/v2}
 * ({@code {"query", "variables", "operationName"}}), a personal API token in {@code Authorization} (raw, or after
 * {@code Bearer }), the {@code API-Version} header, the complexity budget and the daily call limit. See
 * {@link MondayGraphql} (parsing, validation, errors), {@link MondayColumns} (column values), {@link MondayFilter}
 * (items_page rules), {@link MondayComplexity} (costs), {@link MondayWorkspace} (boards and users).
 *
 * <p>Configuration ({@code callbridge.sandbox.monday.<key>}): {@code token} ({@link #DEFAULT_TOKEN}),
 * {@code complexity-per-minute} (10,000,000, a personal token's budget), {@code daily-limit} (10,000 calls, Pro
 * plan), {@code versions} (2026-07,2026-10,2027-01: the last is the release candidate, the one before it the
 * current version served when the header is absent, older ones maintenance), {@code workspace} (a JSON document or a
 * file path; see {@link MondayWorkspace}), {@code signing-secret} (the app's: webhooks are signed with it, see
 * {@link MondayWebhooks}), plus the shared {@code fault.*} keys. The shared {@code rate-limit.*}
 * window is not used: monday's limits are the two above.
 *
 * <p>Answers (bodies in monday's 2025-01+ format, {@code errors[].extensions.code}):
 * <pre>
 * token missing/wrong/expired  401 {"errors":[{"message":"Not Authenticated","extensions":{"code":"UNAUTHENTICATED","status_code":401}}]}
 * unsupported API-Version      400 code InvalidVersionException (a well-formed version older than the oldest
 *                                  supported is served as the oldest, as monday routes deprecated versions)
 * body not JSON / no query     400 JsonParseException / "No query string was present"
 * parse or validation error    200 errors[] with message, locations, path, extensions.code (graphql-ruby codes)
 * field error                  200 data with that field null + errors[] with path (ColumnValueException, …)
 * budget exhausted             429 COMPLEXITY_BUDGET_EXHAUSTED, extensions.retry_in_seconds, Retry-After
 * daily limit                  429 DAILY_LIMIT_EXCEEDED, extensions.retry_in_seconds (to midnight UTC), Retry-After
 * </pre>
 * Every authenticated answer carries {@code RateLimit-Policy} and {@code RateLimit} (format unconfirmed) and a
 * top-level {@code extensions.request_id}; answers with errors carry {@code account_id}.
 *
 * <p>Admin, besides the shared API: {@code GET|POST /_sandbox/monday/limits}: {@code {"complexity": {"limit",
 * "used"}, "daily": {"limit", "used"}}}, each optional; answers the state with what remains and when it resets.
 */
public final class MondaySandbox implements SandboxCrm {

    public static final String NAME = "monday";
    /** The personal API token the sandbox accepts when none is configured (dev only; it protects nothing). */
    public static final String DEFAULT_TOKEN = "callbridge-sandbox-monday-token";
    public static final long DEFAULT_COMPLEXITY_PER_MINUTE = 10_000_000L;
    public static final long DEFAULT_DAILY_LIMIT = 10_000L;
    public static final String DEFAULT_VERSIONS = "2026-07,2026-10,2027-01";
    public static final long ACCOUNT_ID = 30_000_001L;

    public static final String OWNER_USER_ID = "60000001";
    public static final String SECOND_USER_ID = "60000002";
    public static final String CONTACTS_BOARD_ID = "1000000001";
    public static final String CALLS_BOARD_ID = "1000000002";
    public static final String DEALS_BOARD_ID = "1000000003";
    public static final String TASKS_BOARD_ID = "1000000004";
    public static final String CASES_BOARD_ID = "1000000005";
    public static final String MEETINGS_BOARD_ID = "1000000006";

    public static final Set<String> CONFIG_KEYS = Set.of("token", "complexity-per-minute", "daily-limit", "versions", "workspace",
            "signing-secret");

    private final SandboxContext context;
    private final String token;
    private final List<String> versions;
    private final String currentVersion;
    private final MondayWorkspace workspace;
    private final MondayStore store = new MondayStore();
    private final MondayColumns columns;
    private final MondayWebhooks webhooks;
    private final MondayGraphql graphql;
    private final MondayLimits limits;
    private boolean tokensExpired;

    public MondaySandbox(SandboxContext context) {
        this.context = context;
        this.token = context.config("token", DEFAULT_TOKEN);
        this.versions = new ArrayList<>();
        for (String v : context.config("versions", DEFAULT_VERSIONS).split(",")) {
            if (!v.trim().matches("\\d{4}-\\d{2}")) throw new IllegalArgumentException("versions: '" + v.trim() + "' is not YYYY-MM");
            versions.add(v.trim());
        }
        versions.sort(String::compareTo);
        this.currentVersion = versions.size() == 1 ? versions.get(0) : versions.get(versions.size() - 2);
        this.workspace = MondayWorkspace.load(context.config("workspace", ""));
        this.columns = new MondayColumns(workspace, store, context.clock());
        this.webhooks = new MondayWebhooks(workspace, context.clock(), context::random, context.config("signing-secret", null));
        store.onItemEvents(webhooks);
        this.graphql = new MondayGraphql(workspace, store, webhooks, context.clock());
        this.limits = new MondayLimits(context.clock(), context.configLong("complexity-per-minute", DEFAULT_COMPLEXITY_PER_MINUTE),
                context.configLong("daily-limit", DEFAULT_DAILY_LIMIT));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, String> clientSettings() {
        return Map.of("token", token);
    }

    // ---- the API ------------------------------------------------------------------------------

    /**
     * The root fields a {@code POST /v2} asks for ({@code complexity} aside), and {@code query_params} when an items page
     * is filtered: a caller search, a listing of the same board and a read by id all go to {@code /v2} and differ only in
     * their body, which the journal never keeps. Names only, never a value (variables are not read).
     */
    @Override
    public String journalNote(SandboxRequest req) {
        if (!req.method().equals("POST") || !req.hasBody()) return null;
        try {
            JsonNode b = Json.parse(req.body());
            return b != null && b.path("query").isTextual() ? MondayGraphql.note(b.get("query").asText()) : null;
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public boolean usesSharedRateLimit() {
        return false;
    }

    @Override
    public synchronized SandboxResponse handle(SandboxRequest req) {
        List<String> s = req.segments();
        if (!s.equals(List.of("v2"))) return error(MondayError.notSimulated(req), false);
        if (!authenticated(req.header("authorization"))) return error(MondayError.notAuthenticated(), false);
        String version = version(req.header("api-version"));
        if (version == null) return error(MondayError.invalidVersion(req.header("api-version"), String.join(", ", versions)), true);
        if (!limits.countCall()) {
            long retry = limits.secondsToMidnight();
            return error(MondayError.dailyLimit(limits.dailyLimit(), retry), true).withHeader("Retry-After", Long.toString(retry));
        }
        if (!req.method().equals("POST")) return error(MondayError.methodNotAllowed(req.method()), true);
        JsonNode body;
        try {
            body = Json.parse(req.body());
        } catch (IOException e) {
            return error(MondayError.badJson(e.getMessage().lines().findFirst().orElse("")), true);
        }
        if (body == null || !body.isObject() || !body.path("query").isTextual() || body.get("query").asText().isBlank()) {
            return error(MondayError.noQuery(), true);
        }
        Map<String, Object> variables;
        try {
            variables = variables(body.get("variables"));
        } catch (IOException | IllegalArgumentException e) {
            return error(MondayError.badJson("variables: " + e.getMessage()), true);
        }
        String operationName = body.path("operationName").isTextual() ? body.get("operationName").asText() : null;
        MondayGraphql.Answer a = graphql.run(body.get("query").asText(), operationName, variables, limits::trySpend, version, versionList());
        ObjectNode out = a.body();
        if (out.has("errors")) out.put("account_id", ACCOUNT_ID);
        out.putObject("extensions").put("request_id", requestId());
        SandboxResponse r = withLimits(SandboxResponse.json(a.status(), out));
        if (a.status() == 429 && a.budget() != null) r = r.withHeader("Retry-After", Long.toString(a.budget().resetInSeconds()));
        return r;
    }

    private boolean authenticated(String header) {
        if (header == null || tokensExpired) return false;
        String h = header.trim();
        if (h.regionMatches(true, 0, "Bearer ", 0, 7)) h = h.substring(7).trim();
        return h.equals(token);
    }

    /** The version served: the header's when supported, the oldest supported for an older one, the current one without. */
    private String version(String header) {
        if (header == null || header.isBlank()) return currentVersion;
        String v = header.trim();
        if (versions.contains(v)) return v;
        if (v.matches("\\d{4}-(0[1-9]|1[0-2])") && v.compareTo(versions.get(0)) < 0) return versions.get(0);
        return null;
    }

    private List<ObjectNode> versionList() {
        List<ObjectNode> out = new ArrayList<>();
        for (String v : versions) {
            String kind = v.equals(currentVersion) ? "current" : v.compareTo(currentVersion) > 0 ? "release_candidate" : "maintenance";
            out.add(Json.object().put("kind", kind).put("value", v));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> variables(JsonNode v) throws IOException {
        if (v == null || v.isNull()) return Map.of();
        if (v.isTextual()) v = v.asText().isBlank() ? Json.object() : Json.MAPPER.readTree(v.asText());
        if (!v.isObject()) throw new IllegalArgumentException("variables must be a JSON object");
        return Json.MAPPER.convertValue(v, Map.class);
    }

    private String requestId() {
        java.util.Random r = context.random();
        synchronized (r) {
            return new UUID(r.nextLong(), r.nextLong()).toString();
        }
    }

    private SandboxResponse error(MondayError e, boolean counted) {
        ObjectNode body = e.body(ACCOUNT_ID);
        if (!counted) body.remove("account_id"); // not authenticated: no account known
        body.putObject("extensions").put("request_id", requestId());
        SandboxResponse r = SandboxResponse.json(e.httpStatus(), body);
        return counted ? withLimits(r) : r;
    }

    private SandboxResponse withLimits(SandboxResponse r) {
        return r.withHeader("RateLimit-Policy", limits.policyHeader()).withHeader("RateLimit", limits.rateLimitHeader());
    }

    // ---- SandboxCrm ---------------------------------------------------------------------------

    @Override
    public synchronized void reset() {
        store.clear();
        workspace.reset();
        graphql.reset();
        webhooks.reset();
        limits.reset();
        tokensExpired = false;
    }

    /**
     * {@code {"<board id>": [{"name": "…", "column_values": {"<column id>": <value as in column_values>, …},
     * "updates": ["body", …]}, …], …}}, boards in dependency order (a connect-boards value names items seeded
     * before it); labels are created when missing. Answers {@code {"<board id>": ["<item id>", …]}}; nothing is kept
     * when one record is refused.
     */
    @Override
    public synchronized JsonNode snapshot() {
        ObjectNode o = store.toJson();
        o.set("labels", workspace.labelsJson());
        return o;
    }

    @Override
    public synchronized void restore(JsonNode snapshot) {
        store.fromJson(snapshot);
        workspace.restoreLabels(snapshot.path("labels"));
    }

    @Override
    public synchronized JsonNode seed(JsonNode records) throws SandboxAdminException {
        if (records == null || !records.isObject()) {
            throw new SandboxAdminException(400, "seed with {\"<board id>\": [{\"name\": \"…\", \"column_values\": {…}, \"updates\": [\"…\"]}]}");
        }
        MondayStore.Snapshot before = store.snapshot();
        ObjectNode out = Json.object();
        try {
            for (Iterator<Map.Entry<String, JsonNode>> it = records.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                Board b = workspace.board(e.getKey());
                if (b == null) throw new SandboxAdminException(400, "unknown board '" + e.getKey() + "'; boards: " + workspace.boards().keySet());
                if (!e.getValue().isArray()) throw new SandboxAdminException(400, e.getKey() + " must be an array of items");
                ArrayNode ids = out.putArray(b.id());
                for (JsonNode r : e.getValue()) {
                    String name = r.path("name").asText("");
                    if (name.isBlank()) throw new SandboxAdminException(400, "an item of board " + b.id() + " has no name");
                    JsonNode cv = r.path("column_values");
                    ObjectNode values = cv.isMissingNode() || cv.isNull() ? Json.object() : MondayColumns.columnValuesArgument(
                            cv.isTextual() ? cv.asText() : Json.MAPPER.convertValue(cv, Map.class));
                    List<MondayColumns.Change> changes = columns.prepare(b, values, true);
                    Item item = columns.create(b, name, changes);
                    for (JsonNode u : r.path("updates")) store.addUpdate(item, u.asText(), workspace.owner().id(), context.clock().instant());
                    ids.add(item.id);
                }
            }
        } catch (MondayError ex) {
            store.restore(before);
            throw new SandboxAdminException(400, ex.code() + ": " + ex.getMessage() + " " + ex.extensions().path("error_data"));
        } catch (SandboxAdminException ex) {
            store.restore(before);
            throw ex;
        }
        return out;
    }

    /**
     * The items of one board (by id) in creation order, or of every board that has some ({@code {"<board id>": […]}}):
     * {@code {"id", "name", "board_id", "group_id", "created_at", "columns": {"<column id>": {…stored value…, "text"}},
     * "updates": [{"id", "body", "creator_id", "created_at"}]}}; a value that is not an object (text, numbers) appears as
     * {@code {"value": "…", "text": "…"}}; empty columns are absent.
     */
    @Override
    public synchronized JsonNode list(String type) throws SandboxAdminException {
        if (type != null) {
            Board b = workspace.board(type);
            if (b == null) throw new SandboxAdminException(404, "unknown board '" + type + "'; boards: " + workspace.boards().keySet());
            ArrayNode a = Json.array();
            for (Item i : store.board(b.id())) a.add(render(i));
            return a;
        }
        ObjectNode o = Json.object();
        for (Board b : workspace.boards().values()) {
            if (!store.board(b.id()).isEmpty()) o.set(b.id(), list(b.id()));
        }
        return o;
    }

    private static ObjectNode render(Item i) {
        ObjectNode o = Json.object();
        o.put("id", i.id).put("name", i.name).put("board_id", i.boardId).put("group_id", i.groupId).put("created_at", i.createdAt.toString());
        ObjectNode cols = o.putObject("columns");
        for (Map.Entry<String, Cell> e : i.cells.entrySet()) {
            ObjectNode c = Json.object();
            if (e.getValue().value().isObject()) c.setAll((ObjectNode) e.getValue().value().deepCopy());
            else c.set("value", e.getValue().value());
            c.put("text", e.getValue().text());
            cols.set(e.getKey(), c);
        }
        ArrayNode ups = o.putArray("updates");
        for (MondayStore.Update u : i.updates) {
            ups.addObject().put("id", u.id()).put("body", u.body()).put("creator_id", u.creatorId()).put("created_at", u.createdAt().toString());
        }
        return o;
    }

    @Override
    public synchronized void expireTokens() {
        tokensExpired = true;
    }

    @Override
    public SandboxResponse faultResponse(String kind, int status) {
        MondayError e = switch (status) {
            case 401 -> MondayError.notAuthenticated();
            case 429 -> MondayError.rateLimit(60);
            case 400 -> MondayError.noQuery();
            default -> MondayError.internal(status);
        };
        ObjectNode body = e.body(ACCOUNT_ID);
        SandboxResponse r = SandboxResponse.json(status, body);
        return status == 429 ? r.withHeader("Retry-After", "60") : r;
    }

    @Override
    public synchronized SandboxResponse admin(SandboxRequest req) throws SandboxAdminException {
        if (req.segments().equals(List.of("limits"))) {
            if (req.method().equals("POST")) {
                JsonNode b = Json.parseOrNull(req.body());
                if (b == null || !b.isObject()) {
                    throw new SandboxAdminException(400, "limits takes {\"complexity\": {\"limit\", \"used\"}, \"daily\": {\"limit\", \"used\"}}");
                }
                try {
                    limits.set(longOrNull(b.path("complexity").get("limit")), longOrNull(b.path("complexity").get("used")),
                            longOrNull(b.path("daily").get("limit")), longOrNull(b.path("daily").get("used")));
                } catch (IllegalArgumentException e) {
                    throw new SandboxAdminException(400, e.getMessage());
                }
            } else if (!req.method().equals("GET")) {
                throw new SandboxAdminException(405, "use GET or POST on limits");
            }
            return SandboxResponse.json(200, limits.state());
        }
        return SandboxCrm.super.admin(req);
    }

    private static Long longOrNull(JsonNode n) {
        return n == null || n.isNull() ? null : n.asLong();
    }

    /** The GraphQL schema the sandbox validates against (for tests). */
    graphql.schema.GraphQLSchema schema() {
        return graphql.schema();
    }
}
