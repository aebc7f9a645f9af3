package io.callbridge.sandbox.salesforce;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

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
import io.callbridge.sandbox.salesforce.SalesforceSchema.Field;
import io.callbridge.sandbox.salesforce.SalesforceSchema.SObject;

/**
 * A Salesforce org simulator, mounted at {@code /salesforce}: OAuth token/revoke/userinfo, the identity URL
 * ({@code /id/{orgId}/{userId}}), {@code /services/data/} and the REST resources of {@link SalesforceApi}
 * ({@link #ROUTES}). Any other request answers 501 with {@code not simulated by the sandbox: <METHOD> <path>}
 * in Salesforce's error list, code {@value SalesforceException#NOT_SIMULATED_CODE}. Every data API answer
 * carries {@code Sforce-Limit-Info: api-usage=n/m}; the API allocation is the sandbox rate-limit
 * window (default 100000 requests per 24 h); past it requests answer 403 REQUEST_LIMIT_EXCEEDED.
 *
 * <p>Configuration ({@code callbridge.sandbox.salesforce.<key>}): {@code client-id},
 * {@code client-secret}, {@code username}, {@code password}, {@code security-token},
 * {@code refresh-token}, {@code jwt-certificate} (PEM certificate or public key, inline or a file),
 * {@code session-timeout-seconds}, {@code streaming-timeout-ms} (how long the Streaming API holds a
 * {@code /meta/connect} open without events; Salesforce's 110000), {@code custom-fields} (comma list of
 * {@code Object.Name__c[:type][:externalId][:unique]}), {@code default-custom-fields} (true: declare
 * the external id {@code Callbridge_Command_Id__c} on Task, Event, Opportunity, Case, Contact, Lead),
 * plus the shared {@code rate-limit.*} and {@code fault.*} keys.
 *
 * <p>Change Data Capture: every committed change of a Contact or Lead (through the REST API, composite requests or the
 * admin seed) is published on the Streaming API ({@link SalesforceStreaming}, {@code /cometd/<version>}), as in an org
 * whose Change Data Capture settings select Contact and Lead.
 */
public final class SalesforceSandbox implements SandboxCrm {

    public static final String NAME = "salesforce";
    /** Credentials the sandbox accepts when none are configured (dev only; they protect nothing). */
    public static final String DEFAULT_CLIENT_ID = "callbridge-sandbox-client";
    public static final String DEFAULT_CLIENT_SECRET = "callbridge-sandbox-secret";
    public static final String DEFAULT_REFRESH_TOKEN = "callbridge-sandbox-refresh-token";
    public static final String DEFAULT_USERNAME = "integration@callbridge.sandbox";
    public static final String DEFAULT_PASSWORD = "sandbox-password";
    public static final String COMMAND_ID_FIELD = "Callbridge_Command_Id__c";
    static final long DEFAULT_DAILY_LIMIT = 100_000;

    /** The request shapes this simulator serves (method, path template), for contract checks. */
    public static final List<String> ROUTES = List.of(
            "POST /services/oauth2/token",
            "POST /services/oauth2/revoke",
            "GET /services/oauth2/userinfo",
            "GET /services/data",
            "GET /services/data/v{version}",
            "GET /services/data/v{version}/limits",
            "GET /services/data/v{version}/query?q",
            "GET /services/data/v{version}/queryAll?q",
            "GET /services/data/v{version}/search?q",
            "GET /services/data/v{version}/parameterizedSearch?q",
            "GET /services/data/v{version}/sobjects/{sobject}",
            "POST /services/data/v{version}/sobjects/{sobject}",
            "GET /services/data/v{version}/sobjects/{sobject}/describe",
            "GET /services/data/v{version}/sobjects/{sobject}/{id}",
            "PATCH /services/data/v{version}/sobjects/{sobject}/{id}",
            "DELETE /services/data/v{version}/sobjects/{sobject}/{id}",
            "GET /services/data/v{version}/sobjects/{sobject}/{field}/{value}",
            "PATCH /services/data/v{version}/sobjects/{sobject}/{field}/{value}",
            "DELETE /services/data/v{version}/sobjects/{sobject}/{field}/{value}",
            "POST /services/data/v{version}/composite",
            "POST /services/data/v{version}/composite/sobjects",
            "PATCH /services/data/v{version}/composite/sobjects/{sobject}",
            "DELETE /services/data/v{version}/composite/sobjects/{sobject}?ids&allOrNone",
            "GET /services/data/v{version}/composite/sobjects/{sobject}?ids&fields");

    /** Served shapes that Salesforce documents but its request collection lacks, with where they come from. */
    public static final Map<String, String> ROUTES_BEYOND_COLLECTION = Map.of(
            "GET /services/oauth2/revoke?token", "REST API guide 'Revoke OAuth Tokens' (GET form); camel-salesforce logs out this way",
            "GET /services/data/v{version}/sobjects", "REST API guide 'Describe Global'",
            "GET /services/data/v{version}/query/{locator}", "REST API guide 'Execute a SOQL Query': the nextRecordsUrl of a query answered with done=false",
            "PATCH /services/data/v{version}/composite/sobjects", "REST API guide 'Update Multiple Records': no type in the path; the collection puts one there",
            "DELETE /services/data/v{version}/composite/sobjects?ids&allOrNone", "REST API guide 'Delete Multiple Records': no type in the path; the collection puts one there",
            "PATCH /services/data/v{version}/composite/sobjects/{sobject}/{field}", "REST API guide 'Upsert Records Using sObject Collections'",
            "POST /services/data/v{version}/parameterizedSearch", "REST API guide 'Search with Parameters in the Request Body'",
            "GET /id/{orgId}/{userId}", "OAuth guide 'Identity URLs': the id of the token answer; jsforce's identity() reads it");

    /** Configuration keys this simulator reads (besides the shared {@code rate-limit.*} and {@code fault.*} ones). */
    public static final java.util.Set<String> CONFIG_KEYS = java.util.Set.of("client-id", "client-secret", "username", "password",
            "security-token", "refresh-token", "jwt-certificate", "session-timeout-seconds", "streaming-timeout-ms", "custom-fields",
            "default-custom-fields");

    private final SandboxContext context;
    private final SalesforceSchema schema = new SalesforceSchema();
    private final SalesforceStore store;
    /** The bodies of the fields an admin declared at run time, in order: a snapshot declares them again. */
    private final List<JsonNode> declaredFields = new ArrayList<>();
    private final SalesforceAuth auth;
    private final SalesforceApi api;
    private final SalesforceStreaming streaming;

    public SalesforceSandbox(SandboxContext context) {
        this.context = context;
        this.store = new SalesforceStore(schema, context.clock());
        this.auth = new SalesforceAuth(context, store);
        this.api = new SalesforceApi(schema, store, context.clock(), () -> limits(context.rateLimiter().peek()), auth::idUrl);
        this.streaming = new SalesforceStreaming(auth, store.userId, context.configLong("streaming-timeout-ms", 110_000));
        context.rateLimiter().configureDefault(86_400_000L, DEFAULT_DAILY_LIMIT);
        if (Boolean.parseBoolean(context.config("default-custom-fields", "true"))) {
            for (String o : List.of("Task", "Event", "Opportunity", "Case", "Contact", "Lead")) {
                schema.declareCustomField(o, COMMAND_ID_FIELD, "string", true, false, 255, null);
            }
        }
        String custom = context.config("custom-fields", "");
        for (String spec : custom.split(",")) {
            if (spec.isBlank()) continue;
            String[] parts = spec.trim().split(":");
            int dot = parts[0].indexOf('.');
            if (dot < 0) throw new IllegalArgumentException("custom-fields entries are Object.Name__c[:type][:externalId][:unique], got " + spec);
            String type = "string";
            boolean ext = false, unique = false;
            for (int k = 1; k < parts.length; k++) {
                String p = parts[k].trim();
                if (p.equalsIgnoreCase("externalId")) ext = true;
                else if (p.equalsIgnoreCase("unique")) unique = true;
                else type = p;
            }
            schema.declareCustomField(parts[0].substring(0, dot), parts[0].substring(dot + 1), type, ext, unique, 0, null);
        }
    }

    /** The connected app's id and secret this org trusts. */
    @Override
    public java.util.Map<String, String> clientSettings() {
        return java.util.Map.of("client-id", context.config("client-id", DEFAULT_CLIENT_ID),
                "client-secret", context.config("client-secret", DEFAULT_CLIENT_SECRET));
    }

    @Override
    public String name() {
        return NAME;
    }

    /** The Streaming API's long polls are answered later; everything else at once. */
    @Override
    public java.util.concurrent.CompletionStage<SandboxResponse> handleLater(SandboxRequest req) {
        List<String> s = req.segments();
        // CometD clients append the meta channel's last segment to the URL (/cometd/60.0/handshake): the message decides
        if ((s.size() == 2 || s.size() == 3) && s.get(0).equals("cometd")) {
            // Streaming API requests are not counted against the org's API requests, as in Salesforce
            return streaming.handle(req, s.get(1));
        }
        return SandboxCrm.super.handleLater(req);
    }

    @Override
    public synchronized SandboxResponse handle(SandboxRequest req) {
        List<String> s = req.segments();
        if (s.size() == 3 && s.get(0).equals("services") && s.get(1).equals("oauth2")) {
            switch (s.get(2)) {
                case "token" -> {
                    return auth.token(req);
                }
                case "revoke" -> {
                    return auth.revoke(req);
                }
                case "userinfo" -> {
                    return auth.userinfo(req);
                }
                default -> {
                    return notSimulated(req);
                }
            }
        }
        if (s.size() == 3 && s.get(0).equals("id") && (req.method().equals("GET") || req.method().equals("HEAD"))) {
            return auth.identity(req, s.get(1), s.get(2));
        }
        if (s.size() < 2 || !s.get(0).equals("services") || !s.get(1).equals("data")) {
            return notSimulated(req);
        }
        if (s.size() == 2) {
            if (!req.method().equals("GET") && !req.method().equals("HEAD")) {
                return limited(SandboxResponse.json(405, Json.array().add(SalesforceError.of("METHOD_NOT_ALLOWED",
                        "HTTP Method '" + req.method() + "' not allowed. Allowed are GET,HEAD").toJson())), context.rateLimiter().peek());
            }
            return limited(SandboxResponse.json(200, SalesforceApi.versions()), context.rateLimiter().peek());
        }
        String v = s.get(2);
        if (!v.matches("v\\d+\\.\\d")) return limited(notFound(), context.rateLimiter().peek());
        double version = Double.parseDouble(v.substring(1));
        if (version < SalesforceApi.MIN_VERSION || version > SalesforceApi.MAX_VERSION) {
            return limited(notFound(), context.rateLimiter().peek());
        }
        if (!auth.valid(SalesforceAuth.bearer(req))) {
            return limited(SandboxResponse.json(401, Json.array().add(
                    SalesforceError.of("INVALID_SESSION_ID", "Session expired or invalid").toJson())), context.rateLimiter().peek());
        }
        RateLimiter.Usage usage = context.rateLimiter().tryAcquire();
        if (!usage.allowed()) {
            return limited(SandboxResponse.json(403, Json.array().add(
                    SalesforceError.of("REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded.").toJson())), usage);
        }
        List<String> rest = s.subList(3, s.size());
        String versionText = v.substring(1);
        SandboxResponse r;
        try {
            r = api.handle(req, versionText, rest);
        } catch (SalesforceException e) {
            r = SandboxResponse.json(e.status(), e.body());
        }
        // the request is Salesforce's transaction: what it committed (a rollback took back the rest) is published now
        streaming.publish(store.takeChanges(), "com/salesforce/api/rest/" + versionText);
        return limited(r, usage);
    }

    private ObjectNode limits(RateLimiter.Usage usage) {
        ObjectNode o = Json.object();
        ObjectNode daily = o.putObject("DailyApiRequests");
        daily.put("Max", usage.quota());
        daily.put("Remaining", usage.remaining());
        o.putObject("DataStorageMB").put("Max", 5).put("Remaining", 5);
        return o;
    }

    private static SandboxResponse limited(SandboxResponse r, RateLimiter.Usage usage) {
        return r.withHeader("Sforce-Limit-Info", "api-usage=" + usage.used() + "/" + usage.quota());
    }

    private static SandboxResponse notSimulated(SandboxRequest req) {
        SalesforceException e = SalesforceException.notSimulated(req.notSimulated());
        return SandboxResponse.json(e.status(), e.body());
    }

    private static SandboxResponse notFound() {
        return SandboxResponse.json(404, Json.array().add(SalesforceError.of("NOT_FOUND", "The requested resource does not exist").toJson()));
    }

    /** A SOQL filter of a phone field by a list ({@code MobilePhone IN (…)}): a caller search rather than a listing or a read by ids. */
    private static final java.util.regex.Pattern PHONE_IN = java.util.regex.Pattern.compile("(?i)phone\\s+IN\\s*\\(");

    /**
     * {@code phone IN} for a query, alone or among a composite request's, that filters a phone field by a list: a caller
     * search, which a listing or a read by ids (the same objects, queried alike) is told from; the journal keeps no bodies.
     */
    @Override
    public String journalNote(SandboxRequest req) {
        List<String> queries = new ArrayList<>();
        if (req.param("q") != null) {
            queries.add(req.param("q"));
        }
        if (req.method().equals("POST") && req.path().endsWith("/composite") && req.hasBody()) {
            try {
                for (JsonNode sub : Json.parse(req.body()).path("compositeRequest")) {
                    String url = sub.path("url").asText("");
                    int at = url.indexOf('?');
                    List<String> q = at < 0 ? null : SandboxRequest.parseQuery(url.substring(at + 1)).get("q");
                    if (q != null) queries.addAll(q);
                }
            } catch (java.io.IOException | RuntimeException e) {
                return null;
            }
        }
        return queries.stream().anyMatch(q -> PHONE_IN.matcher(q).find()) ? "phone IN" : null;
    }

    @Override
    public synchronized void reset() {
        streaming.reset();
        store.reset();
        auth.reset();
        api.reset();
    }

    @Override
    public synchronized JsonNode snapshot() {
        ObjectNode o = store.toJson();
        declaredFields.forEach(o.putArray("declaredFields")::add);
        return o;
    }

    @Override
    public synchronized void restore(JsonNode snapshot) {
        // the fields first: the records kept hold values of them
        for (JsonNode b : snapshot.path("declaredFields")) {
            declareField(b);
            declaredFields.add(b.deepCopy());
        }
        store.fromJson(snapshot);
    }

    /** A custom field as an admin declares it in Setup ({@code POST /_sandbox/salesforce/fields}); kept with the records. */
    private Field declareField(JsonNode b) {
        List<String> picklist = new ArrayList<>();
        b.path("picklistValues").forEach(n -> picklist.add(n.asText()));
        Field f = schema.declareCustomField(b.path("sobject").asText(null), b.path("name").asText(null),
                b.path("type").asText("string"), b.path("externalId").asBoolean(false), b.path("unique").asBoolean(false),
                b.path("length").asInt(0), picklist);
        store.fieldAdded(schema.object(b.path("sobject").asText()), f);
        return f;
    }

    @Override
    public synchronized JsonNode seed(JsonNode records) throws SandboxAdminException {
        if (records == null || !records.isObject()) {
            throw new SandboxAdminException(400, "seed with {\"Contact\": [{...}], \"Account\": [...]} (types in dependency order)");
        }
        SalesforceStore.Snapshot snapshot = store.snapshot();
        ObjectNode out = Json.object();
        try {
            for (Iterator<Map.Entry<String, JsonNode>> it = records.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                SObject type = schema.object(e.getKey());
                if (type == null) throw new SandboxAdminException(400, "unknown sObject type '" + e.getKey() + "'");
                if (!e.getValue().isArray()) throw new SandboxAdminException(400, e.getKey() + " must be an array of records");
                ArrayNode ids = out.putArray(type.name());
                for (JsonNode r : e.getValue()) {
                    ids.add(store.create(type, r, null, true).get("Id").asText());
                }
            }
            // records loaded by an admin: changes without an API origin, as the UI's are
            streaming.publish(store.takeChanges(), "");
        } catch (SalesforceException e) {
            store.restore(snapshot);
            throw new SandboxAdminException(400, e.errors().get(0).errorCode() + ": " + e.errors().get(0).message());
        } catch (SandboxAdminException e) {
            store.restore(snapshot);
            throw e;
        }
        return out;
    }

    @Override
    public synchronized JsonNode list(String type) throws SandboxAdminException {
        String version = String.format("%.1f", SalesforceApi.MAX_VERSION);
        if (type != null) {
            SObject t = schema.object(type);
            if (t == null) throw new SandboxAdminException(404, "unknown sObject type '" + type + "'");
            ArrayNode a = Json.array();
            store.all(t).forEach(r -> a.add(SalesforceApi.output(t, r, version, null)));
            return a;
        }
        ObjectNode o = Json.object();
        for (SObject t : schema.objects()) {
            ArrayNode a = Json.array();
            store.all(t).forEach(r -> a.add(SalesforceApi.output(t, r, version, null)));
            if (!a.isEmpty()) o.set(t.name(), a);
        }
        return o;
    }

    @Override
    public void expireTokens() {
        auth.expireAll();
    }

    @Override
    public SandboxResponse faultResponse(String kind, int status) {
        SalesforceError e = switch (status) {
            case 401 -> SalesforceError.of("INVALID_SESSION_ID", "Session expired or invalid");
            case 403 -> SalesforceError.of("REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded.");
            case 404 -> SalesforceError.of("NOT_FOUND", "The requested resource does not exist");
            case 429 -> SalesforceError.of("REQUEST_LIMIT_EXCEEDED", "ConcurrentPerOrgLongTxn Limit exceeded.");
            case 502, 503, 504 -> SalesforceError.of("SERVER_UNAVAILABLE", "Server temporarily unavailable, please retry later.");
            default -> status >= 500
                    ? SalesforceError.of("UNKNOWN_EXCEPTION", "An unexpected error occurred. Please include this ErrorId if you contact support: 1234567890-12345 (-1234567890)")
                    : SalesforceError.of("INVALID_INPUT", "The request was refused by the sandbox's fault injection (" + kind + ").");
        };
        return limited(SandboxResponse.json(status, Json.array().add(e.toJson())), context.rateLimiter().peek());
    }

    /** {@code GET /_sandbox/salesforce/fields}, {@code POST /_sandbox/salesforce/fields}. */
    @Override
    public synchronized SandboxResponse admin(SandboxRequest req) throws SandboxAdminException {
        List<String> s = req.segments();
        if (s.size() == 1 && s.get(0).equals("fields")) {
            if (req.method().equals("GET")) {
                ObjectNode o = Json.object();
                for (SObject t : schema.objects()) {
                    ArrayNode a = Json.array();
                    for (Field f : t.fields()) {
                        if (f.custom()) a.addObject().put("name", f.name()).put("type", f.type().name().toLowerCase())
                                .put("externalId", f.externalId()).put("unique", f.unique()).put("length", f.length());
                    }
                    if (!a.isEmpty()) o.set(t.name(), a);
                }
                return SandboxResponse.json(200, o);
            }
            if (req.method().equals("POST")) {
                JsonNode b = Json.parseOrNull(req.body());
                if (b == null || !b.isObject()) throw new SandboxAdminException(400, "declare a field with {sobject, name, type, externalId, unique, length, picklistValues}");
                try {
                    Field f = declareField(b);
                    declaredFields.add(b.deepCopy());
                    return SandboxResponse.json(201, Json.object().put("sobject", schema.object(b.path("sobject").asText()).name())
                            .put("name", f.name()).put("type", f.type().name().toLowerCase()).put("externalId", f.externalId()));
                } catch (IllegalArgumentException e) {
                    throw new SandboxAdminException(400, e.getMessage());
                }
            }
            throw new SandboxAdminException(405, "use GET or POST on fields");
        }
        return SandboxCrm.super.admin(req);
    }
}
