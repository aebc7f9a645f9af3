package io.callbridge.sandbox.pipedrive;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callbridge.sandbox.Json;
import io.callbridge.sandbox.RateLimiter;
import io.callbridge.sandbox.SandboxAdminException;
import io.callbridge.sandbox.SandboxContext;
import io.callbridge.sandbox.SandboxCrm;
import io.callbridge.sandbox.SandboxRequest;
import io.callbridge.sandbox.SandboxResponse;
import io.callbridge.sandbox.pipedrive.PipedriveApi.User;

/**
 * A Pipedrive company simulator, mounted at {@code /pipedrive}: API v2 under {@code /api/v2} (organizations, persons
 * with search, deals, activities, itemSearch over persons, organizations and deals), API v1 under {@code /v1}
 * (callLogs, notes, users, activityTypes, and webhooks: {@link PipedriveWebhooks} POSTs each person added, changed or
 * deleted to the webhooks created through it), the OAuth refresh grant at
 * {@code POST /oauth/token}. Authentication: {@code x-api-token} header or {@code api_token} query parameter
 * (the company's API token), or {@code Authorization: Bearer} (OAuth access token). {@link #ROUTES} lists the
 * requests it serves; any other is answered 501 with {@link SandboxRequest#notSimulated()} in Pipedrive's error envelope,
 * so that a 404 is always Pipedrive's own answer for a record that does not exist.
 *
 * <p>Every answer carries {@code x-ratelimit-limit}, {@code x-ratelimit-remaining} and
 * {@code x-ratelimit-reset} (seconds until the window resets). The shared rate-limit window is Pipedrive's
 * burst limit (default 80 requests per 2 s); {@code /persons/search} and {@code /itemSearch} count against the search
 * limit instead (default 10 per 2 s). Past either, 429 with Pipedrive's error body.
 *
 * <p>Configuration ({@code callbridge.sandbox.pipedrive.<key>}): {@code api-token} (default
 * {@value #DEFAULT_API_TOKEN}), {@code oauth-tokens} (comma list of accepted bearer tokens),
 * {@code client-id}, {@code client-secret}, {@code refresh-token} (refused with 400 {@code invalid_grant} once revoked
 * through {@code /_sandbox/pipedrive/tokens/revoke}), {@code rotate-refresh-token} (false; true: every refresh answers a
 * new refresh token and the one it was asked with stops working), {@code token-lifetime-seconds} (3599, the access
 * tokens' {@code expires_in}),
 * {@code users} (comma list of {@code id:email:Name}; the first owns the tokens), {@code default-currency}
 * (CHF), {@code search-rate-limit.quota} (10), plus the shared {@code rate-limit.*} and {@code fault.*} keys.
 */
public final class PipedriveSandbox implements SandboxCrm {

    public static final String NAME = "pipedrive";
    public static final String DEFAULT_API_TOKEN = "sandbox-pipedrive-api-token";
    public static final Set<String> CONFIG_KEYS = Set.of("api-token", "oauth-tokens", "client-id", "client-secret", "refresh-token",
            "rotate-refresh-token", "token-lifetime-seconds", "users", "default-currency", "search-rate-limit.quota");
    static final long WINDOW_MS = 2000;
    static final long BURST_QUOTA = 80;

    /** The request shapes this simulator serves (method, path as in Pipedrive's OpenAPI documents). */
    public static final List<String> ROUTES = List.of(
            "POST /oauth/token",
            "GET /api/v2/organizations", "POST /api/v2/organizations", "GET /api/v2/organizations/{id}",
            "PATCH /api/v2/organizations/{id}", "DELETE /api/v2/organizations/{id}",
            "GET /api/v2/persons", "POST /api/v2/persons", "GET /api/v2/persons/{id}", "PATCH /api/v2/persons/{id}",
            "DELETE /api/v2/persons/{id}", "GET /api/v2/persons/search",
            "GET /api/v2/deals", "POST /api/v2/deals", "GET /api/v2/deals/{id}", "PATCH /api/v2/deals/{id}", "DELETE /api/v2/deals/{id}",
            "GET /api/v2/activities", "POST /api/v2/activities", "GET /api/v2/activities/{id}", "PATCH /api/v2/activities/{id}",
            "DELETE /api/v2/activities/{id}",
            "GET /api/v2/itemSearch", "GET /api/v2/itemSearch/field",
            "POST /v1/callLogs", "GET /v1/callLogs", "GET /v1/callLogs/{id}", "DELETE /v1/callLogs/{id}",
            "POST /v1/notes", "GET /v1/notes", "GET /v1/notes/{id}", "PUT /v1/notes/{id}", "DELETE /v1/notes/{id}",
            "GET /v1/users", "GET /v1/users/me", "GET /v1/activityTypes", "POST /v1/activityTypes",
            "GET /v1/webhooks", "POST /v1/webhooks", "DELETE /v1/webhooks/{id}");

    private final SandboxContext context;
    private final PipedriveApi api;
    private final PipedriveWebhooks webhooks;
    private final RateLimiter search;
    private final String apiToken;
    private final Set<String> oauthTokens = new HashSet<>();
    private final Map<String, Instant> issued = new HashMap<>();
    private final long tokenLifetimeSeconds;
    private final boolean rotateRefreshToken;
    private String refreshToken;
    private boolean oauthExpired;
    private boolean revoked;

    public PipedriveSandbox(SandboxContext context) {
        this.context = context;
        context.rateLimiter().configureDefault(WINDOW_MS, BURST_QUOTA);
        this.search = new RateLimiter(context.clock());
        this.search.configureDefault(WINDOW_MS, context.configLong("search-rate-limit.quota", 10));
        this.apiToken = context.config("api-token", DEFAULT_API_TOKEN);
        for (String t : context.config("oauth-tokens", "").split(",")) if (!t.isBlank()) oauthTokens.add(t.trim());
        this.tokenLifetimeSeconds = context.configLong("token-lifetime-seconds", 3599);
        this.rotateRefreshToken = Boolean.parseBoolean(context.config("rotate-refresh-token", "false"));
        this.refreshToken = context.config("refresh-token", null);
        this.api = new PipedriveApi(context.clock(), context.random(), context.config("default-currency", "CHF"), users(context.config("users", "")));
        this.webhooks = new PipedriveWebhooks(context.clock(), api);
        api.onPersonChange(webhooks::personChanged);
    }

    private static List<User> users(String spec) {
        List<User> out = new ArrayList<>();
        for (String u : spec.split(",")) {
            if (u.isBlank()) continue;
            String[] p = u.trim().split(":");
            out.add(new User(Long.parseLong(p[0].trim()), p.length > 2 ? p[2].trim() : "User " + p[0].trim(), p.length > 1 ? p[1].trim() : null));
        }
        if (out.isEmpty()) {
            out.add(new User(13053568, "Claire Martin", "claire.martin@example.test"));
            out.add(new User(13053569, "Marc Rochat", "marc.rochat@example.test"));
        }
        return out;
    }

    /** The company's API token. */
    @Override
    public Map<String, String> clientSettings() {
        return Map.of("token", apiToken);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public synchronized SandboxResponse handle(SandboxRequest req) {
        List<String> s = req.segments();
        if (s.size() == 2 && s.get(0).equals("oauth") && s.get(1).equals("token")) return token(req);
        boolean v2 = s.size() >= 2 && s.get(0).equals("api") && s.get(1).equals("v2");
        boolean v1 = !s.isEmpty() && s.get(0).equals("v1");
        if (!v1 && !v2) {
            PipedriveException e = PipedriveApi.notSimulated(req);
            return headers(SandboxResponse.json(e.status(), e.body()), context.rateLimiter().peek());
        }
        PipedriveException authProblem = authenticate(req);
        if (authProblem != null) return headers(SandboxResponse.json(authProblem.status(), authProblem.body()), context.rateLimiter().peek());
        boolean isSearch = req.method().equals("GET") && s.size() >= 2 && (s.get(s.size() - 1).equals("search") || s.contains("itemSearch"));
        RateLimiter.Usage usage = isSearch ? search.tryAcquire() : context.rateLimiter().tryAcquire();
        if (!usage.allowed()) return headers(rateLimited(), usage);
        SandboxResponse r;
        try {
            if (v1 && s.size() >= 2 && s.get(1).equals("webhooks")) r = webhooks.handle(req, s.subList(2, s.size()));
            else r = v2 ? api.v2(req, s.subList(2, s.size())) : api.v1(req, s.subList(1, s.size()));
        } catch (PipedriveException e) {
            r = SandboxResponse.json(e.status(), e.body());
        }
        return headers(r, usage);
    }

    private static SandboxResponse rateLimited() {
        return SandboxResponse.json(429, PipedriveException.body(429, "Rate limit exceeded", null));
    }

    private SandboxResponse headers(SandboxResponse r, RateLimiter.Usage u) {
        long resetSeconds = Math.max(1, (u.resetAtMillis() - context.clock().millis() + 999) / 1000);
        return r.withHeader("x-ratelimit-limit", Long.toString(u.quota()))
                .withHeader("x-ratelimit-remaining", Long.toString(u.remaining()))
                .withHeader("x-ratelimit-reset", Long.toString(resetSeconds));
    }

    private PipedriveException authenticate(SandboxRequest req) {
        String header = req.header("x-api-token");
        String query = req.param("api_token");
        String auth = req.header("authorization");
        if (header != null || query != null) {
            return apiToken.equals(header != null ? header : query) ? null : unauthorized();
        }
        if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String token = auth.substring(7).trim();
            Instant expiry = issued.get(token);
            if (oauthTokens.contains(token) && !oauthExpired) return null;
            if (expiry != null && context.clock().instant().isBefore(expiry)) return null;
            return new PipedriveException(401, "Invalid or expired access token");
        }
        return unauthorized();
    }

    private static PipedriveException unauthorized() {
        return new PipedriveException(401, "unauthorized access");
    }

    /** {@code POST /oauth/token}: refresh grant with {@code Authorization: Basic base64(client_id:client_secret)}. */
    private SandboxResponse token(SandboxRequest req) {
        if (!req.method().equals("POST")) {
            PipedriveException e = PipedriveApi.notSimulated(req);
            return SandboxResponse.json(e.status(), e.body());
        }
        String clientId = context.config("client-id", null), secret = context.config("client-secret", null), refresh = refreshToken;
        String basic = req.header("authorization");
        String creds = null;
        if (basic != null && basic.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                creds = new String(Base64.getDecoder().decode(basic.substring(6).trim()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                creds = null;
            }
        }
        Map<String, String> f = req.form();
        if (creds == null && f.containsKey("client_id")) creds = f.get("client_id") + ":" + f.get("client_secret");
        ObjectNode err = Json.object();
        if (clientId == null || !(clientId + ":" + secret).equals(creds)) {
            err.put("success", false).put("error", "unauthorized").put("error_description", "Invalid client credentials");
            return SandboxResponse.json(401, err);
        }
        if (!"refresh_token".equals(f.get("grant_type")) || refresh == null || !refresh.equals(f.get("refresh_token")) || revoked) {
            err.put("success", false).put("error", "invalid_grant").put("error_description", "Invalid refresh token");
            return SandboxResponse.json(400, err);
        }
        String token;
        synchronized (context.random()) {
            token = "v1u:" + Long.toHexString(context.random().nextLong()) + Long.toHexString(context.random().nextLong());
            if (rotateRefreshToken) {
                refreshToken = "1:" + Long.toUnsignedString(context.random().nextLong() >>> 1) + ":" + Long.toHexString(context.random().nextLong());
            }
        }
        issued.put(token, context.clock().instant().plusSeconds(tokenLifetimeSeconds));
        ObjectNode o = Json.object();
        o.put("access_token", token);
        o.put("token_type", "Bearer");
        o.put("refresh_token", refreshToken);
        o.put("scope", "base,deals:full,contacts:full,activities:full,phone-integration");
        o.put("expires_in", tokenLifetimeSeconds);
        o.put("api_domain", context.baseUrl());
        return SandboxResponse.json(200, o);
    }

    // ---- SandboxCrm ---------------------------------------------------------------------------

    @Override
    public synchronized void reset() {
        api.reset();
        issued.clear();
        oauthExpired = false;
        revoked = false;
        refreshToken = context.config("refresh-token", null);
        search.restoreDefaults();
    }

    @Override
    public synchronized JsonNode snapshot() {
        return api.toJson();
    }

    @Override
    public synchronized void restore(JsonNode snapshot) {
        api.fromJson(snapshot);
    }

    @Override
    public synchronized JsonNode seed(JsonNode records) throws SandboxAdminException {
        if (records == null || !records.isObject()) {
            throw new SandboxAdminException(400, "seed with {\"users\": [...], \"organizations\": [...], \"persons\": [...], \"deals\": [...], "
                    + "\"activities\": [...], \"notes\": [...]} in dependency order, each record as its create request body");
        }
        ObjectNode out = Json.object();
        PipedriveApi.Snapshot snapshot = api.snapshot();
        try {
            for (Iterator<Map.Entry<String, JsonNode>> it = records.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getValue().isArray()) throw new SandboxAdminException(400, e.getKey() + " must be an array");
                ArrayNode ids = out.putArray(e.getKey());
                for (JsonNode r : e.getValue()) {
                    switch (e.getKey()) {
                        case "users" -> {
                            long id = r.path("id").asLong(0);
                            if (id <= 0) throw new SandboxAdminException(400, "a user needs a positive id");
                            api.users.put(id, new User(id, r.path("name").asText("User " + id), r.path("email").asText(null)));
                            ids.add(id);
                        }
                        case "organizations" -> ids.add(api.seed("organizations", r.hasNonNull("id") ? r.get("id").asLong() : null, r).get("id"));
                        case "persons", "deals", "activities" -> ids.add(api.create(e.getKey(), r).get("id"));
                        case "notes", "callLogs" -> ids.add(Json.parse(api.v1(new SandboxRequest("POST", "/" + e.getKey(), null, null,
                                Json.MAPPER.writeValueAsBytes(r)), List.of(e.getKey())).body()).path("data").path("id"));
                        default -> throw new SandboxAdminException(400, "unknown record type '" + e.getKey() + "'");
                    }
                }
            }
        } catch (PipedriveException ex) {
            api.restore(snapshot);
            throw new SandboxAdminException(ex.status() == 404 ? 400 : ex.status(), ex.getMessage());
        } catch (IOException ex) {
            api.restore(snapshot);
            throw new SandboxAdminException(400, ex.getMessage());
        } catch (SandboxAdminException ex) {
            api.restore(snapshot);
            throw ex;
        }
        return out;
    }

    @Override
    public synchronized JsonNode list(String type) throws SandboxAdminException {
        if (type != null) {
            JsonNode a = api.dump(type);
            if (a == null) throw new SandboxAdminException(404, "unknown record type '" + type + "'");
            return a;
        }
        ObjectNode o = Json.object();
        for (String t : List.of("users", "activityTypes", "organizations", "persons", "deals", "activities", "notes", "callLogs")) {
            JsonNode a = api.dump(t);
            if (!a.isEmpty()) o.set(t, a);
        }
        return o;
    }

    @Override
    public synchronized void expireTokens() {
        oauthExpired = true;
        Instant now = context.clock().instant();
        issued.replaceAll((k, v) -> now);
    }

    /** The app is uninstalled from the company: its refresh token is refused, its access tokens stop working (the API token does not). */
    @Override
    public synchronized void revokeAccess() {
        revoked = true;
        issued.clear();
    }

    @Override
    public synchronized void restoreAccess() {
        revoked = false;
    }

    @Override
    public SandboxResponse faultResponse(String kind, int status) {
        String error = switch (status) {
            case 400 -> "Bad request";
            case 401 -> "unauthorized access";
            case 402 -> "Payment required";
            case 403 -> "You do not have permissions to perform this action";
            case 404 -> "Not found";
            case 410 -> "Gone";
            case 429 -> "Rate limit exceeded";
            case 500 -> "Internal server error";
            case 502 -> "Bad gateway";
            case 503 -> "Service unavailable";
            case 504 -> "Gateway timeout";
            default -> "Request refused by the sandbox's fault injection (" + kind + ")";
        };
        SandboxResponse r = SandboxResponse.json(status, PipedriveException.body(status, error, null));
        synchronized (this) {
            return headers(r, context.rateLimiter().peek());
        }
    }

    /** {@code GET|PUT /_sandbox/pipedrive/search-rate-limit} ({quota} per 2 s). */
    @Override
    public synchronized SandboxResponse admin(SandboxRequest req) throws SandboxAdminException {
        List<String> s = req.segments();
        if (s.size() == 1 && s.get(0).equals("search-rate-limit")) {
            if (req.method().equals("PUT")) {
                JsonNode b = Json.parseOrNull(req.body());
                if (b == null || !b.has("quota")) throw new SandboxAdminException(400, "search-rate-limit needs quota (per 2 s; 0 = unlimited)");
                search.configure(WINDOW_MS, b.get("quota").asLong());
            } else if (!req.method().equals("GET")) {
                throw new SandboxAdminException(405, "use GET or PUT on search-rate-limit");
            }
            RateLimiter.Usage u = search.peek();
            return SandboxResponse.json(200, Json.object().put("windowSeconds", 2).put("quota", u.quota()).put("used", u.used()));
        }
        return SandboxCrm.super.admin(req);
    }
}
