package io.callbridge.support;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import io.callbridge.sandbox.CrmSandbox;
import io.callbridge.sandbox.SandboxSettings;

/**
 * The CRMs of some fixtures in one sandbox, the settings that point a Callbridge at them, and what each
 * holds, read through the sandbox's admin API. {@link #unlimited} lifts the vendors' rate limits on both
 * sides (sandbox and connector), for tests about delivery rather than pacing.
 */
public final class CrmSandboxes implements AutoCloseable {

    private final CrmSandbox sandbox;
    private final List<CrmFixture> fixtures;
    private final boolean unlimited;

    private CrmSandboxes(CrmSandbox sandbox, List<CrmFixture> fixtures, boolean unlimited) {
        this.sandbox = sandbox;
        this.fixtures = List.copyOf(fixtures);
        this.unlimited = unlimited;
    }

    /** Every fixture's CRM, at the vendors' limits. */
    public static CrmSandboxes start(long seed) {
        return start(seed, false, CrmFixture.all());
    }

    /** Every fixture's CRM, no rate limits on either side. */
    public static CrmSandboxes unlimited(long seed) {
        return start(seed, true, CrmFixture.all());
    }

    public static CrmSandboxes start(long seed, boolean unlimited, List<CrmFixture> fixtures) {
        return start(seed, unlimited, fixtures, Map.of());
    }

    /** As above, with sandbox keys of one CRM ({@code crm → key → value}) set over the fixture's, e.g. a tight rate limit. */
    public static CrmSandboxes start(long seed, boolean unlimited, List<CrmFixture> fixtures, Map<String, Map<String, String>> config) {
        SandboxSettings.Builder b = SandboxSettings.builder().port(0).seed(seed);
        fixtures.forEach(f -> {
            Map<String, String> c = new LinkedHashMap<>(f.sandboxConfig(unlimited));
            c.putAll(config.getOrDefault(f.crm(), Map.of()));
            b.config(f.crm(), c);
        });
        return new CrmSandboxes(CrmSandbox.start(b.build()), fixtures, unlimited);
    }

    public CrmSandbox sandbox() {
        return sandbox;
    }

    public List<CrmFixture> fixtures() {
        return fixtures;
    }

    public List<String> names() {
        return fixtures.stream().map(CrmFixture::crm).toList();
    }

    /** The properties that enable every fixture's connector against this sandbox. */
    public Map<String, String> settings() {
        Map<String, String> s = new LinkedHashMap<>();
        fixtures.forEach(f -> s.putAll(f.settings(sandbox.baseUrl(f.crm()), unlimited)));
        return s;
    }

    /** The same settings as environment variables, the way Camel resolves them (CALLBRIDGE_CRM_HUBSPOT_BASE_URL). */
    public static Map<String, String> asEnvironment(Map<String, String> properties) {
        Map<String, String> env = new LinkedHashMap<>();
        properties.forEach((k, v) -> env.put(k.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'), v));
        return env;
    }

    /** Every record of a type, as the sandbox holds it. */
    public List<JsonNode> records(String crm, String type) {
        JsonNode all = admin("GET", "/" + crm + "/records/" + type, null);
        List<JsonNode> out = new ArrayList<>();
        all.forEach(out::add);
        return out;
    }

    /** The call activities Callbridge logged, keyed by the commandId each carries. */
    public Map<String, List<JsonNode>> callsByCommandId(CrmFixture f) {
        return group(records(f.crm(), f.callType()), f::commandIdOfCall);
    }

    /** The caller records, keyed by phone. */
    public Map<String, List<JsonNode>> callersByPhone(CrmFixture f) {
        List<JsonNode> all = new ArrayList<>();
        f.callerTypes().forEach(type -> all.addAll(records(f.crm(), type)));
        return group(all, f::phoneOf);
    }

    /** Seeds a known caller; answers its id. */
    public String seedCaller(CrmFixture f, String firstName, String lastName, String e164, String email) {
        Map.Entry<String, JsonNode> seed = f.knownCaller(firstName, lastName, e164, email);
        JsonNode created = admin("POST", "/" + f.crm() + "/seed", seed.getValue().toString());
        return created.get(seed.getKey()).get(0).asText();
    }

    /** Seeds known callers {@code first<i>} {@code last} with the numbers given, in one seed request. */
    public void seedCallers(CrmFixture f, String first, String last, List<String> e164s) {
        com.fasterxml.jackson.databind.node.ObjectNode all = Events.JSON.createObjectNode();
        for (int i = 0; i < e164s.size(); i++) {
            f.knownCaller(first + i, last, e164s.get(i), null).getValue().fields().forEachRemaining(e -> {
                JsonNode list = all.get(e.getKey());
                (list == null ? all.putArray(e.getKey()) : (com.fasterxml.jackson.databind.node.ArrayNode) list)
                        .addAll((com.fasterxml.jackson.databind.node.ArrayNode) e.getValue());
            });
        }
        seed(f.crm(), all);
    }

    /** Loads records in the CRM's seed format ({@code POST /_sandbox/<crm>/seed}); answers the ids per type. */
    public JsonNode seed(String crm, JsonNode records) {
        return admin("POST", "/" + crm + "/seed", records.toString());
    }

    /** How many answers the sandbox's fault injection made up for the CRM so far. */
    public long answeredWithFault(String crm) {
        return admin("GET", "/" + crm + "/faults", null).path("injected").asLong();
    }

    /** {@code PUT /_sandbox/<crm>/faults}. */
    public void faults(String crm, String json) {
        admin("PUT", "/" + crm + "/faults", json);
    }

    /** Expires every access token and session the CRM issued (the next request gets its 401). */
    public void expireTokens(String crm) {
        admin("POST", "/" + crm + "/tokens/expire", "{}");
    }

    /** An admin revokes Callbridge's app in the CRM: its refresh token is refused, its access tokens stop working. */
    public void revoke(String crm) {
        admin("POST", "/" + crm + "/tokens/revoke", "{}");
    }

    /** The revoked refresh token works again. */
    public void restore(String crm) {
        admin("POST", "/" + crm + "/tokens/restore", "{}");
    }

    /** The sequence number of the last request the sandbox journaled for the CRM (0: none yet). */
    public long lastSeq(String crm) {
        long seq = 0;
        for (JsonNode e : requests(crm)) {
            seq = Math.max(seq, e.path("seq").asLong());
        }
        return seq;
    }

    /** The requests to the CRM journaled after {@code seq}. */
    public List<JsonNode> requestsSince(String crm, long seq) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode e : requests(crm)) {
            if (e.path("seq").asLong() > seq) {
                out.add(e);
            }
        }
        return out;
    }

    /** The sandbox's journal of requests to one CRM. */
    public JsonNode requests(String crm) {
        return admin("GET", "/" + crm + "/requests", null);
    }

    private JsonNode admin(String method, String path, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(sandbox.adminUrl() + path)).header("Content-Type", "application/json");
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> r = Events.send(b.build());
        if (r.statusCode() >= 300) {
            throw new IllegalStateException(method + " " + path + " -> " + r.statusCode() + " " + r.body());
        }
        return r.body().isBlank() ? null : Events.parse(r.body().getBytes(StandardCharsets.UTF_8));
    }

    private static Map<String, List<JsonNode>> group(List<JsonNode> records, Function<JsonNode, String> key) {
        Map<String, List<JsonNode>> out = new LinkedHashMap<>();
        for (JsonNode r : records) {
            String k = key.apply(r);
            if (k != null) {
                out.computeIfAbsent(k, x -> new ArrayList<>()).add(r);
            }
        }
        return out;
    }

    @Override
    public void close() {
        sandbox.close();
    }
}
