package io.callbridge.sandbox.hubspot;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
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
import io.callbridge.sandbox.hubspot.HubSpotSchema.ObjectType;
import io.callbridge.sandbox.hubspot.HubSpotSchema.Property;
import io.callbridge.sandbox.hubspot.HubSpotStore.Owner;

/**
 * A HubSpot portal simulator, mounted at {@code /hubspot}: CRM v3 objects (contacts, companies, deals,
 * tickets, calls, tasks, notes, meetings) with search and batch, v4 associations, owners, properties,
 * the OAuth refresh grant and the GDPR delete of a contact. The routes it serves are {@link #ROUTES}; any other request
 * answers 501 "not simulated". What it serves and what it chose where HubSpot is silent (free-text search on phone
 * numbers, {@code associations.*} filters, index delay, ordering, owners...): docs/sandbox.md, section HubSpot.
 *
 * <p>Every answer carries {@code X-HubSpot-RateLimit-Daily}, {@code -Daily-Remaining},
 * {@code -Interval-Milliseconds}, {@code -Max} and {@code -Remaining}. The shared rate-limit window
 * is HubSpot's burst limit (default 100 requests per 10 s, policy {@code TEN_SECONDLY_ROLLING}); search
 * requests count against their own limit instead (default 5 per second, policy {@code SECONDLY}); both
 * count against the daily limit ({@code DAILY}).
 *
 * <p>Configuration ({@code callbridge.sandbox.hubspot.<key>}): {@code token} / {@code tokens} (private-app
 * or OAuth access tokens accepted as bearer, comma list; default {@value #DEFAULT_TOKEN}),
 * {@code client-id}, {@code client-secret}, {@code refresh-token} (refresh grant; refused with 400
 * {@code BAD_REFRESH_TOKEN} once revoked through {@code /_sandbox/hubspot/tokens/revoke}),
 * {@code token-lifetime-seconds} (1800, the access tokens' {@code expires_in}), {@code owners} (comma list of {@code id:email:First Last}),
 * {@code custom-properties} (comma list of {@code objectType.name[:type][:unique]}, enumeration options as
 * {@code :enumeration=A|B}), {@code default-region} (ISO country for numbers typed without country code,
 * default CH), {@code search-rate-limit.quota} (5), {@code daily-limit} (250000), {@code search-index-delay-ms}
 * (0; HubSpot's search finds new objects only after a few seconds, set it to simulate that), {@code webhook-url} (where
 * the app's contact subscriptions are sent, signed with {@code client-secret}: {@link HubSpotWebhooks}), plus the shared
 * {@code rate-limit.*} (the 10-second window) and {@code fault.*} keys.
 */
public final class HubSpotSandbox implements SandboxCrm {

    public static final String NAME = "hubspot";
    public static final String DEFAULT_TOKEN = "pat-na1-sandbox-hubspot-token";
    /** The configuration keys this simulator reads (besides the shared ones). */
    public static final Set<String> CONFIG_KEYS = Set.of("token", "tokens", "client-id", "client-secret", "refresh-token",
            "token-lifetime-seconds", "owners", "custom-properties", "default-region", "search-rate-limit.quota", "daily-limit", "search-index-delay-ms", "webhook-url");
    static final long BURST_WINDOW_MS = 10_000;
    static final long BURST_QUOTA = 100;
    static final int MAX_BATCH = 100;

    /** The request shapes this simulator serves (HubSpotRoutesTest sends each); docs/sandbox.md lists their parameters. */
    public static final List<String> ROUTES = List.of(
            "POST /oauth/v1/token",
            "GET /crm/v3/owners", "GET /crm/v3/owners/{ownerId}",
            "GET /crm/v3/properties/{objectType}", "POST /crm/v3/properties/{objectType}", "GET /crm/v3/properties/{objectType}/{name}",
            "GET /crm/v3/objects/{objectType}", "POST /crm/v3/objects/{objectType}",
            "GET /crm/v3/objects/{objectType}/{id}", "PATCH /crm/v3/objects/{objectType}/{id}", "DELETE /crm/v3/objects/{objectType}/{id}",
            "POST /crm/v3/objects/{objectType}/search", "POST /crm/v3/objects/contacts/gdpr-delete",
            "POST /crm/v3/objects/{objectType}/batch/{create|update|upsert|read|archive}",
            "PUT /crm/v4/objects/{from}/{id}/associations/default/{to}/{toId}",
            "PUT /crm/v4/objects/{from}/{id}/associations/{to}/{toId}", "DELETE /crm/v4/objects/{from}/{id}/associations/{to}/{toId}",
            "GET /crm/v4/objects/{from}/{id}/associations/{to}",
            "POST /crm/v4/associations/{from}/{to}/batch/associate/default", "POST /crm/v4/associations/{from}/{to}/batch/create",
            "GET /crm/v4/associations/{from}/{to}/labels");

    private final SandboxContext context;
    private final HubSpotSchema schema = new HubSpotSchema();
    private final HubSpotStore store;
    private final HubSpotApi api;
    private final RateLimiter search;
    private final RateLimiter daily;
    private final Set<String> staticTokens = new LinkedHashSet<>();
    private final Map<String, Instant> issuedTokens = new HashMap<>();
    private final Map<String, List<Property>> configuredProperties = new LinkedHashMap<>();
    private final long tokenLifetimeSeconds;
    private boolean staticTokensExpired;
    private Instant staticTokensExpiredAt;
    private boolean revoked;

    public HubSpotSandbox(SandboxContext context) {
        this.context = context;
        context.rateLimiter().configureDefault(BURST_WINDOW_MS, BURST_QUOTA);
        this.search = new RateLimiter(context.clock());
        this.search.configureDefault(1000, context.configLong("search-rate-limit.quota", 5));
        this.daily = new RateLimiter(context.clock());
        this.daily.configureDefault(86_400_000L, context.configLong("daily-limit", 250_000));
        this.tokenLifetimeSeconds = context.configLong("token-lifetime-seconds", 1800);
        for (String key : List.of("token", "tokens")) {
            for (String t : context.config(key, "").split(",")) if (!t.isBlank()) staticTokens.add(t.trim());
        }
        if (staticTokens.isEmpty()) staticTokens.add(DEFAULT_TOKEN);
        this.store = new HubSpotStore(schema, context.clock(), context.config("default-region", "CH"), owners(context.config("owners", "")));
        for (String spec : context.config("custom-properties", "").split(",")) {
            if (spec.isBlank()) continue;
            String[] parts = spec.trim().split(":");
            int dot = parts[0].indexOf('.');
            ObjectType t = dot < 0 ? null : HubSpotSchema.type(parts[0].substring(0, dot));
            if (t == null) throw new IllegalArgumentException("custom-properties entries are objectType.name[:type][:unique], got " + spec);
            String type = "string";
            boolean unique = false;
            List<String> options = List.of();
            for (int k = 1; k < parts.length; k++) {
                String p = parts[k].trim();
                if (p.equalsIgnoreCase("unique")) unique = true;
                else if (p.startsWith("enumeration=")) {
                    type = "enumeration";
                    options = List.of(p.substring("enumeration=".length()).split("\\|"));
                } else type = p;
            }
            Property prop = schema.declare(t, parts[0].substring(dot + 1), null, type, null, options, unique);
            configuredProperties.computeIfAbsent(t.name(), k -> new ArrayList<>()).add(prop);
        }
        this.api = new HubSpotApi(schema, store, new HubSpotSearch(schema, store), context.configLong("search-index-delay-ms", 0));
        String webhookUrl = context.config("webhook-url", null);
        if (webhookUrl != null && !webhookUrl.isBlank()) {
            String secret = context.config("client-secret", null);
            if (secret == null) throw new IllegalArgumentException("webhook-url needs the app's client-secret: HubSpot signs webhooks with it");
            store.onContactChange(new HubSpotWebhooks(webhookUrl, secret, context.clock())::contactChanged);
        }
    }

    private static List<Owner> owners(String spec) {
        List<Owner> out = new ArrayList<>();
        if (spec.isBlank()) {
            out.add(new Owner("75000001", "claire.martin@example.test", "Claire", "Martin", 9000001));
            out.add(new Owner("75000002", "marc.rochat@example.test", "Marc", "Rochat", 9000002));
            return out;
        }
        long user = 9000001;
        for (String o : spec.split(",")) {
            if (o.isBlank()) continue;
            String[] p = o.trim().split(":");
            String[] name = p.length > 2 ? p[2].trim().split(" ", 2) : new String[]{"", ""};
            out.add(new Owner(p[0].trim(), p.length > 1 ? p[1].trim() : null, name[0], name.length > 1 ? name[1] : "", user++));
        }
        return out;
    }

    /** A private-app token the portal accepts. */
    @Override
    public Map<String, String> clientSettings() {
        return Map.of("token", staticTokens.iterator().next());
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public synchronized SandboxResponse handle(SandboxRequest req) {
        List<String> s = req.segments();
        if (s.size() == 3 && s.get(0).equals("oauth") && s.get(1).equals("v1") && s.get(2).equals("token")) {
            return headers(token(req), context.rateLimiter().peek());
        }
        boolean isSearch = req.method().equals("POST") && s.size() == 5 && s.get(0).equals("crm") && s.get(2).equals("objects")
                && s.get(4).equals("search");
        HubSpotException authProblem = authenticate(req);
        if (authProblem != null) {
            return headers(SandboxResponse.json(authProblem.status(), authProblem.body()), context.rateLimiter().peek());
        }
        RateLimiter.Usage dailyUsage = daily.peek();
        if (!dailyUsage.allowed()) {
            return headers(rateLimited("DAILY", "You have reached your daily limit."), context.rateLimiter().peek());
        }
        RateLimiter.Usage usage;
        if (isSearch) {
            RateLimiter.Usage su = search.tryAcquire();
            usage = context.rateLimiter().peek();
            if (!su.allowed()) return headers(rateLimited("SECONDLY", "You have reached your secondly limit."), usage);
        } else {
            usage = context.rateLimiter().tryAcquire();
            if (!usage.allowed()) {
                return headers(rateLimited("TEN_SECONDLY_ROLLING", "You have reached your ten_secondly_rolling limit."), usage);
            }
        }
        daily.tryAcquire();
        SandboxResponse r;
        try {
            r = api.handle(req, s);
        } catch (HubSpotException e) {
            r = SandboxResponse.json(e.status(), e.body());
        }
        return headers(r, usage);
    }

    private SandboxResponse rateLimited(String policy, String message) {
        ObjectNode o = Json.object();
        o.put("status", "error");
        o.put("message", message);
        o.put("errorType", "RATE_LIMIT");
        o.put("correlationId", java.util.UUID.randomUUID().toString());
        o.put("policyName", policy);
        o.put("groupName", "publicapi:private-app-" + policy.toLowerCase() + ":sandbox");
        return SandboxResponse.json(429, o);
    }

    private SandboxResponse headers(SandboxResponse r, RateLimiter.Usage usage) {
        RateLimiter.Usage d = daily.peek();
        return r.withHeader("X-HubSpot-RateLimit-Daily", Long.toString(d.quota()))
                .withHeader("X-HubSpot-RateLimit-Daily-Remaining", Long.toString(d.remaining()))
                .withHeader("X-HubSpot-RateLimit-Interval-Milliseconds", Long.toString(usage.windowMillis()))
                .withHeader("X-HubSpot-RateLimit-Max", Long.toString(usage.quota()))
                .withHeader("X-HubSpot-RateLimit-Remaining", Long.toString(usage.remaining()));
    }

    // ---- auth ---------------------------------------------------------------------------------

    private HubSpotException authenticate(SandboxRequest req) {
        String auth = req.header("authorization");
        String token = auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7) ? auth.substring(7).trim() : null;
        if (token == null || token.isEmpty()) {
            return new HubSpotException(401, "INVALID_AUTHENTICATION", "Authentication credentials not found. This API supports "
                    + "OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview");
        }
        Instant now = context.clock().instant();
        if (staticTokens.contains(token)) {
            if (!staticTokensExpired) return null;
            return expired(now, staticTokensExpiredAt);
        }
        Instant expiry = issuedTokens.get(token);
        if (expiry == null) {
            return new HubSpotException(401, "INVALID_AUTHENTICATION", "Authentication credentials not found. This API supports "
                    + "OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview");
        }
        if (!now.isBefore(expiry)) return expired(now, expiry);
        return null;
    }

    private static HubSpotException expired(Instant now, Instant at) {
        long ago = Math.max(0, java.time.Duration.between(at, now).toSeconds());
        return new HubSpotException(401, "EXPIRED_AUTHENTICATION", "The OAuth token used to make this call expired " + ago + " second(s) ago.");
    }

    /** {@code POST /oauth/v1/token} with {@code grant_type=refresh_token}. */
    private SandboxResponse token(SandboxRequest req) {
        if (!req.method().equals("POST")) {
            HubSpotException e = HubSpotApi.notSimulated(req);
            return SandboxResponse.json(e.status(), e.body());
        }
        Map<String, String> f = req.form();
        String clientId = context.config("client-id", null), secret = context.config("client-secret", null), refresh = context.config("refresh-token", null);
        ObjectNode err = Json.object();
        err.put("status", "BAD_REFRESH_TOKEN");
        if (!"refresh_token".equals(f.get("grant_type"))) {
            err.put("status", "BAD_GRANT_TYPE").put("message", "grant_type must be refresh_token");
        } else if (clientId == null || !clientId.equals(f.get("client_id")) || secret == null || !secret.equals(f.get("client_secret"))) {
            err.put("status", "BAD_CLIENT_ID").put("message", "missing or unknown client_id / client_secret");
        } else if (refresh == null || !refresh.equals(f.get("refresh_token")) || revoked) {
            // an uninstalled app's refresh token is answered like one HubSpot never issued
            err.put("message", "missing or invalid refresh token");
        } else {
            String token;
            synchronized (context.random()) {
                token = "CJ" + Long.toHexString(context.random().nextLong()) + Long.toHexString(context.random().nextLong());
            }
            issuedTokens.put(token, context.clock().instant().plusSeconds(tokenLifetimeSeconds));
            ObjectNode o = Json.object();
            o.put("token_type", "bearer");
            o.put("refresh_token", refresh);
            o.put("access_token", token);
            o.put("expires_in", tokenLifetimeSeconds);
            return SandboxResponse.json(200, o);
        }
        err.put("correlationId", java.util.UUID.randomUUID().toString());
        return SandboxResponse.json(400, err);
    }

    // ---- SandboxCrm ---------------------------------------------------------------------------

    @Override
    public synchronized void reset() {
        store.reset();
        schema.resetCustom(configuredProperties);
        api.forgetDeclared();
        issuedTokens.clear();
        staticTokensExpired = false;
        revoked = false;
        search.restoreDefaults();
        daily.restoreDefaults();
    }

    @Override
    public synchronized JsonNode snapshot() {
        ObjectNode o = store.toJson();
        o.set("declaredProperties", api.declaredJson());
        return o;
    }

    @Override
    public synchronized void restore(JsonNode snapshot) {
        // the properties first: the records kept hold values of them
        for (JsonNode d : snapshot.path("declaredProperties")) {
            api.declareProperty(HubSpotSchema.type(d.path("objectType").asText()), d.path("body"));
        }
        store.fromJson(snapshot);
    }

    @Override
    public synchronized JsonNode seed(JsonNode records) throws SandboxAdminException {
        if (records == null || !records.isObject()) {
            throw new SandboxAdminException(400, "seed with {\"owners\": [...], \"contacts\": [{\"properties\": {...}}], \"calls\": [...]} (types in dependency order)");
        }
        HubSpotStore.Snapshot snapshot = store.snapshot();
        ObjectNode out = Json.object();
        try {
            for (Iterator<Map.Entry<String, JsonNode>> it = records.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getValue().isArray()) throw new SandboxAdminException(400, e.getKey() + " must be an array");
                ArrayNode ids = out.putArray(e.getKey());
                if (e.getKey().equals("owners")) {
                    for (JsonNode o : e.getValue()) ids.add(addOwner(o).id());
                    continue;
                }
                ObjectType t = HubSpotSchema.type(e.getKey());
                if (t == null) throw new SandboxAdminException(400, "unknown object type '" + e.getKey() + "'");
                for (JsonNode r : e.getValue()) {
                    JsonNode input = r.has("properties") ? r : Json.object().set("properties", r);
                    ids.add(api.createOne(t, input).get("id").asText());
                }
            }
        } catch (HubSpotException ex) {
            store.restore(snapshot);
            throw new SandboxAdminException(400, ex.category() + ": " + ex.getMessage());
        } catch (SandboxAdminException ex) {
            store.restore(snapshot);
            throw ex;
        }
        return out;
    }

    private Owner addOwner(JsonNode o) throws SandboxAdminException {
        String id = o.path("id").asText(null);
        if (id == null || !id.matches("\\d+")) throw new SandboxAdminException(400, "an owner needs a numeric id");
        return store.addOwner(HubSpotStore.ownerFromJson(o, Long.parseLong(id) + 1));
    }

    @Override
    public synchronized JsonNode list(String type) throws SandboxAdminException {
        if (type != null) {
            if (type.equals("owners")) return api.ownersJson();
            ObjectType t = HubSpotSchema.type(type);
            if (t == null) throw new SandboxAdminException(404, "unknown object type '" + type + "'");
            return api.dump(t);
        }
        ObjectNode o = Json.object();
        for (ObjectType t : HubSpotSchema.TYPES) {
            ArrayNode a = api.dump(t);
            if (!a.isEmpty()) o.set(t.name(), a);
        }
        return o;
    }

    @Override
    public synchronized void expireTokens() {
        Instant now = context.clock().instant();
        issuedTokens.replaceAll((k, v) -> now);
        staticTokensExpired = true;
        staticTokensExpiredAt = now;
    }

    /** The app is uninstalled from the portal: its refresh token is refused, its access tokens stop working (private-app tokens do not). */
    @Override
    public synchronized void revokeAccess() {
        revoked = true;
        issuedTokens.clear();
    }

    @Override
    public synchronized void restoreAccess() {
        revoked = false;
    }

    @Override
    public SandboxResponse faultResponse(String kind, int status) {
        SandboxResponse r = switch (status) {
            case 429 -> rateLimited("TEN_SECONDLY_ROLLING", "You have reached your ten_secondly_rolling limit.");
            case 401 -> SandboxResponse.json(401, HubSpotException.body("Authentication credentials not found. This API supports OAuth 2.0 "
                    + "authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview",
                    "INVALID_AUTHENTICATION", null, null, null));
            case 403 -> SandboxResponse.json(403, HubSpotException.body("This app hasn't been granted all required scopes to make this call.",
                    "MISSING_SCOPES", null, null, null));
            case 404 -> SandboxResponse.json(404, HubSpotException.body("resource not found", "OBJECT_NOT_FOUND", null, null, null));
            case 409 -> SandboxResponse.json(409, HubSpotException.body("Conflict (injected by the sandbox: " + kind + ")", "CONFLICT", null, null, null));
            default -> status >= 500
                    ? SandboxResponse.json(status, HubSpotException.body(status == 500 ? "internal error" : "Service Unavailable", null, null, null, null))
                    : SandboxResponse.json(status, HubSpotException.body("The request was refused by the sandbox's fault injection (" + kind + ").",
                    "VALIDATION_ERROR", null, null, null));
        };
        synchronized (this) {
            return headers(r, context.rateLimiter().peek());
        }
    }

    /**
     * {@code GET|POST /_sandbox/hubspot/properties/{objectType}} (declare a custom property as a portal admin
     * would: {name, label, type, fieldType, options: [{label, value}] or [value], hasUniqueValue}),
     * {@code GET|POST /_sandbox/hubspot/owners} ({id, email, firstName, lastName, userId, archived, teams: [{id, name,
     * primary}]}, as in the seed's {@code owners}), {@code GET|PUT /_sandbox/hubspot/search-rate-limit}.
     */
    @Override
    public synchronized SandboxResponse admin(SandboxRequest req) throws SandboxAdminException {
        List<String> s = req.segments();
        if (!s.isEmpty() && s.get(0).equals("properties") && s.size() == 2) {
            ObjectType t = HubSpotSchema.type(s.get(1));
            if (t == null) throw new SandboxAdminException(404, "unknown object type '" + s.get(1) + "'");
            if (req.method().equals("GET")) return SandboxResponse.json(200, api.propertiesJson(t));
            if (!req.method().equals("POST")) throw new SandboxAdminException(405, "use GET or POST on properties");
            try {
                return SandboxResponse.json(201, api.declareProperty(t, body(req)));
            } catch (HubSpotException e) {
                throw new SandboxAdminException(e.status(), e.getMessage());
            }
        }
        if (s.size() == 1 && s.get(0).equals("owners")) {
            if (req.method().equals("GET")) return SandboxResponse.json(200, api.ownersJson());
            if (!req.method().equals("POST")) throw new SandboxAdminException(405, "use GET or POST on owners");
            JsonNode b = body(req);
            ArrayNode out = Json.array();
            for (JsonNode o : b.isArray() ? b : Json.array().add(b)) out.add(addOwner(o).id());
            return SandboxResponse.json(201, out);
        }
        if (s.size() == 1 && s.get(0).equals("search-rate-limit")) {
            if (req.method().equals("PUT")) {
                JsonNode b = body(req);
                if (!b.has("quota")) throw new SandboxAdminException(400, "search-rate-limit needs quota (per second; 0 = unlimited)");
                search.configure(1000, b.get("quota").asLong());
            } else if (!req.method().equals("GET")) {
                throw new SandboxAdminException(405, "use GET or PUT on search-rate-limit");
            }
            RateLimiter.Usage u = search.peek();
            return SandboxResponse.json(200, Json.object().put("windowSeconds", 1).put("quota", u.quota()).put("used", u.used()));
        }
        return SandboxCrm.super.admin(req);
    }

    private static JsonNode body(SandboxRequest req) throws SandboxAdminException {
        try {
            if (!req.hasBody()) throw new SandboxAdminException(400, "a JSON body is required");
            return Json.parse(req.body());
        } catch (IOException e) {
            throw new SandboxAdminException(400, "the body is not valid JSON: " + e.getMessage());
        }
    }
}
