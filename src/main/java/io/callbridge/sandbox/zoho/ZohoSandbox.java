package io.callbridge.sandbox.zoho;

import java.time.ZoneId;
import java.util.ArrayDeque;
import java.util.Deque;
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

/**
 * A Zoho CRM org simulator (API v8), mounted at {@code /zoho}: the accounts server's token endpoint at
 * {@code /oauth/v2/token} and the record API at {@code /crm/v8/…}. The token answer's {@code api_domain} is this
 * mount's base URL, so a client calls {@code {api_domain}/crm/v8/…} as it would against Zoho. Instant notifications
 * ({@code /crm/v8/actions/watch}) call the channels' URLs when Contacts, Leads or any module watched change ({@link ZohoWatch}).
 *
 * <p>Limits: API credits per rolling 24 hours ({@code X-API-CREDITS-REMAINING} once half are used) and requests in
 * flight at once, both answered 429 TOO_MANY_REQUESTS without Retry-After. The shared {@code rate-limit.*} window of
 * the sandbox is not used: Zoho has no such window.
 *
 * <p>Configuration ({@code callbridge.sandbox.zoho.<key>}): {@code client-id}, {@code client-secret},
 * {@code refresh-token}, {@code grant-code} (defaults below), {@code token-lifetime-seconds} (3600),
 * {@code refresh-limit} (10 access tokens per refresh token per 10 minutes), {@code max-live-tokens} (15),
 * {@code users} (comma list of {@code id:email:Name}; the first owns the tokens and new records),
 * {@code custom-fields} (see {@link ZohoSchema}), {@code email-duplicate-check} (true), {@code credits} (50000 per
 * 24 h), {@code concurrency} (10), {@code time-zone} (Europe/Zurich, the offset date-times are written with),
 * {@code watch-max-expiry-seconds} (604800, the longest {@code channel_expiry} a notification channel gets) and
 * {@code watch-default-expiry-seconds} (3600, what it gets instead; {@link ZohoWatch}), plus the shared {@code fault.*} keys.
 *
 * <p>Admin, besides the shared API: {@code GET|POST /_sandbox/zoho/credits} ({@code {"remaining", "limit",
 * "concurrency"}}, each optional) and {@code GET /_sandbox/zoho/writes} (the last writes with their {@code trigger}).
 */
public final class ZohoSandbox implements SandboxCrm {

    public static final String NAME = "zoho";
    /** Credentials the sandbox accepts when none are configured (dev only; they protect nothing). */
    public static final String DEFAULT_CLIENT_ID = "1000.CALLBRIDGESANDBOXCLIENT";
    public static final String DEFAULT_CLIENT_SECRET = "callbridge-sandbox-zoho-secret";
    public static final String DEFAULT_REFRESH_TOKEN = "1000.callbridge-sandbox.refresh-token";
    public static final String DEFAULT_GRANT_CODE = "1000.callbridge-sandbox.grant-code";
    static final long DEFAULT_CREDITS = 50_000;
    static final int DEFAULT_CONCURRENCY = 10;
    private static final int WRITES_KEPT = 200;

    public static final Set<String> CONFIG_KEYS = Set.of("client-id", "client-secret", "refresh-token", "grant-code",
            "token-lifetime-seconds", "refresh-limit", "max-live-tokens", "users", "custom-fields", "email-duplicate-check",
            "credits", "concurrency", "time-zone", "watch-max-expiry-seconds", "watch-default-expiry-seconds");

    /** The request shapes this simulator serves (method, path as in Zoho's v8 OpenAPI documents). */
    public static final List<String> ROUTES = List.of(
            "POST /oauth/v2/token",
            "GET /crm/v8/{module}", "POST /crm/v8/{module}", "PUT /crm/v8/{module}", "DELETE /crm/v8/{module}",
            "GET /crm/v8/{module}/{id}", "PUT /crm/v8/{module}/{id}", "DELETE /crm/v8/{module}/{id}",
            "GET /crm/v8/{module}/search", "POST /crm/v8/{module}/upsert",
            "POST /crm/v8/coql",
            "GET /crm/v8/users", "GET /crm/v8/users/{user}");

    /** Served too, documented on Zoho's notification pages rather than in the v8 OpenAPI files ({@link ZohoWatch}). */
    public static final List<String> ROUTES_BEYOND_DOCUMENTS = List.of("GET /crm/v8/actions/watch", "POST /crm/v8/actions/watch",
            "PATCH /crm/v8/actions/watch", "DELETE /crm/v8/actions/watch");

    private final SandboxContext context;
    private final ZohoSchema schema;
    private final ZohoStore store = new ZohoStore();
    private final ZohoWrites writes;
    private final ZohoRecordsApi api;
    private final ZohoAccounts accounts;
    private final ZohoCredits credits;
    private final ZohoWatch watch;
    private final Deque<ObjectNode> writeLog = new ArrayDeque<>();

    public ZohoSandbox(SandboxContext context) {
        this.context = context;
        this.schema = new ZohoSchema(context.config("custom-fields", ""),
                Boolean.parseBoolean(context.config("email-duplicate-check", "true")),
                context.config("users", ZohoSchema.DEFAULT_USERS), ZoneId.of(context.config("time-zone", "Europe/Zurich")));
        this.writes = new ZohoWrites(schema, store, context.clock());
        this.api = new ZohoRecordsApi(schema, store, writes, this::logWrite, context.clock());
        this.accounts = new ZohoAccounts(context.clock(), context::random, context.config("client-id", DEFAULT_CLIENT_ID),
                context.config("client-secret", DEFAULT_CLIENT_SECRET), context.config("refresh-token", DEFAULT_REFRESH_TOKEN),
                context.config("grant-code", DEFAULT_GRANT_CODE), context.configLong("token-lifetime-seconds", 3600),
                (int) context.configLong("refresh-limit", 10), (int) context.configLong("max-live-tokens", 15));
        this.credits = new ZohoCredits(context.clock(), context.configLong("credits", DEFAULT_CREDITS),
                (int) context.configLong("concurrency", DEFAULT_CONCURRENCY));
        this.watch = new ZohoWatch(schema, context.clock(), context::baseUrl,
                java.time.Duration.ofSeconds(context.configLong("watch-max-expiry-seconds", 604_800)),
                java.time.Duration.ofSeconds(context.configLong("watch-default-expiry-seconds", 3600)));
        writes.onRecordChange(watch::changed);
    }

    @Override
    public String name() {
        return NAME;
    }

    /** What the connector's {@code callbridge.crm.zoho.*} needs besides the accounts URL (this mount's base URL). */
    @Override
    public Map<String, String> clientSettings() {
        return Map.of("client-id", context.config("client-id", DEFAULT_CLIENT_ID),
                "client-secret", context.config("client-secret", DEFAULT_CLIENT_SECRET),
                "refresh-token", context.config("refresh-token", DEFAULT_REFRESH_TOKEN));
    }

    /** API calls count against the concurrency limit from their arrival; token requests go to the accounts server. */
    @Override
    public SandboxResponse admit(SandboxRequest request) {
        if (!isApi(request.segments())) return null;
        return credits.enter(request) ? null : SandboxResponse.json(429, ZohoError.tooManyRequests().body());
    }

    @Override
    public void release(SandboxRequest request) {
        credits.leave(request);
    }

    private static boolean isApi(List<String> s) {
        return s.size() >= 2 && s.get(0).equals("crm") && s.get(1).equals("v8");
    }

    @Override
    public boolean usesSharedRateLimit() {
        return false;
    }

    @Override
    public synchronized SandboxResponse handle(SandboxRequest req) {
        List<String> s = req.segments();
        if (s.equals(List.of("oauth", "v2", "token"))) return accounts.token(req, context.baseUrl());
        if (!isApi(s)) return SandboxResponse.json(SandboxRequest.NOT_SIMULATED, ZohoError.notSimulated(req).body());
        ZohoError auth = accounts.check(req);
        if (auth != null) return SandboxResponse.json(auth.status(), auth.body());
        List<String> rest = s.subList(2, s.size());
        ZohoCredits.Usage usage = credits.trySpend(ZohoRecordsApi.cost(req, rest));
        SandboxResponse r = !usage.allowed() ? SandboxResponse.json(429, ZohoError.tooManyRequests().body())
                : rest.equals(List.of("actions", "watch")) ? watchOrError(req) : api.handle(req, rest);
        return usage.reportRemaining() ? r.withHeader("X-API-CREDITS-REMAINING", Long.toString(usage.remaining())) : r;
    }

    private SandboxResponse watchOrError(SandboxRequest req) {
        try {
            return watch.handle(req);
        } catch (ZohoError e) {
            return SandboxResponse.json(e.status(), e.body());
        }
    }

    private void logWrite(ObjectNode entry) {
        entry.put("at", context.clock().instant().toString());
        if (writeLog.size() == WRITES_KEPT) writeLog.pollFirst();
        writeLog.addLast(entry);
    }

    // ---- SandboxCrm ---------------------------------------------------------------------------

    @Override
    public synchronized void reset() {
        store.clear();
        accounts.reset();
        credits.reset();
        writeLog.clear();
    }

    /** {@code {"Contacts":[{…}], "Leads":[…]}} in dependency order; a record may also give id, $converted, Created_Time. */
    @Override
    public synchronized JsonNode snapshot() {
        return store.toJson();
    }

    @Override
    public synchronized void restore(JsonNode snapshot) {
        store.fromJson(snapshot);
    }

    @Override
    public synchronized JsonNode seed(JsonNode records) throws SandboxAdminException {
        if (records == null || !records.isObject()) {
            throw new SandboxAdminException(400, "seed with {\"Accounts\": [...], \"Contacts\": [...], \"Leads\": [...], ...} in dependency order, "
                    + "each record as in an insert (plus id, $converted, Created_Time, Modified_Time)");
        }
        ZohoStore.Snapshot before = store.snapshot();
        ObjectNode out = Json.object();
        try {
            for (Iterator<Map.Entry<String, JsonNode>> it = records.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                ZohoModule m = schema.moduleFromPath(e.getKey());
                if (m == null) throw new SandboxAdminException(400, "unknown module '" + e.getKey() + "'");
                if (!e.getValue().isArray()) throw new SandboxAdminException(400, e.getKey() + " must be an array");
                ArrayNode ids = out.putArray(m.apiName());
                int i = 0;
                for (JsonNode r : e.getValue()) ids.add(writes.insertOne(m, r, i++, true).get("id").asText());
            }
        } catch (ZohoError ex) {
            store.restore(before);
            throw new SandboxAdminException(400, ex.code() + ": " + ex.getMessage() + " " + ex.body().get("details"));
        } catch (SandboxAdminException ex) {
            store.restore(before);
            throw ex;
        }
        return out;
    }

    /** Records of one module (by its API name), or of every module that has some. */
    @Override
    public synchronized JsonNode list(String type) throws SandboxAdminException {
        if (type != null) {
            ZohoModule m = schema.moduleFromPath(type);
            if (m == null) throw new SandboxAdminException(404, "unknown module '" + type + "'");
            ArrayNode a = Json.array();
            for (ObjectNode r : store.all(m.apiName())) a.add(ZohoRecordsApi.render(m, r, null));
            return a;
        }
        ObjectNode o = Json.object();
        for (ZohoModule m : schema.modules()) {
            if (!store.all(m.apiName()).isEmpty()) o.set(m.apiName(), list(m.apiName()));
        }
        return o;
    }

    @Override
    public synchronized void expireTokens() {
        accounts.expireAll();
    }

    /** The self client is deleted in the API console: every refresh token is refused ({@code invalid_code}), access tokens stop working. */
    @Override
    public synchronized void revokeAccess() {
        accounts.revoke(true);
    }

    @Override
    public synchronized void restoreAccess() {
        accounts.revoke(false);
    }

    @Override
    public SandboxResponse faultResponse(String kind, int status) {
        ZohoError e = switch (status) {
            case 401 -> ZohoError.invalidToken();
            case 429 -> ZohoError.tooManyRequests();
            case 400 -> new ZohoError(400, "INVALID_DATA", "invalid data", null);
            case 403 -> new ZohoError(403, "NO_PERMISSION", "permission denied", Json.object().set("permissions", Json.array()));
            case 404 -> ZohoError.urlPattern();
            default -> ZohoError.internal(status);
        };
        return SandboxResponse.json(status, e.body());
    }

    @Override
    public synchronized SandboxResponse admin(SandboxRequest req) throws SandboxAdminException {
        List<String> s = req.segments();
        if (s.equals(List.of("credits"))) {
            if (req.method().equals("POST")) {
                JsonNode b = Json.parseOrNull(req.body());
                if (b == null || !b.isObject()) throw new SandboxAdminException(400, "credits takes {\"remaining\", \"limit\", \"concurrency\"}");
                try {
                    if (b.has("limit")) credits.setLimit(b.get("limit").asLong());
                    if (b.has("concurrency")) credits.setConcurrency(b.get("concurrency").asInt());
                    if (b.has("remaining")) credits.setRemaining(b.get("remaining").asLong());
                } catch (IllegalArgumentException e) {
                    throw new SandboxAdminException(400, e.getMessage());
                }
            } else if (!req.method().equals("GET")) {
                throw new SandboxAdminException(405, "use GET or POST on credits");
            }
            return SandboxResponse.json(200, credits.state());
        }
        if (s.equals(List.of("writes"))) {
            if (!req.method().equals("GET")) throw new SandboxAdminException(405, "use GET on writes");
            ArrayNode a = Json.array();
            writeLog.forEach(w -> a.add(w.deepCopy()));
            return SandboxResponse.json(200, a);
        }
        return SandboxCrm.super.admin(req);
    }
}
