package io.callbridge.http;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.callbridge.support.CallbridgeApp;
import io.callbridge.support.CrmFixture;
import io.callbridge.support.CrmSandboxes;
import io.callbridge.support.Events;
import io.callbridge.support.TestBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The guide's four roles on every endpoint that takes a key: allowed, 401 without a key or with an unknown one, 403 with
 * a key of the wrong role; keys configured as SHA-256 hashes; each key's caller lookups rate-limited with 429.
 */
class ApiRolesIT {

    private static final Map<String, String> KEYS = Map.of("admin", "k-admin-7f3", "manager", "k-manager-2c9",
            "agent", "k-agent-51d", "support", "k-support-a04");
    private static final String LIMITED = "k-agent-limited";
    private static CrmSandboxes crms;
    private static CallbridgeApp app;

    private record Endpoint(String method, String path, String body, List<String> roles) {
    }

    private static final List<Endpoint> ENDPOINTS = List.of(
            new Endpoint("GET", "/v1/callers/+41796400001", null, List.of("admin", "agent", "support")),
            new Endpoint("GET", "/v1/dlq/hubspot", null, List.of("admin", "manager")),
            new Endpoint("GET", "/v1/dlq/hubspot?reveal=true", null, List.of("admin")),
            new Endpoint("POST", "/v1/dlq/hubspot/replay", "{\"ids\":[]}", List.of("admin")),
            new Endpoint("GET", "/v1/console/events?limit=5", null, List.of("admin", "manager")),
            new Endpoint("POST", "/v1/plan", new String(Events.designExample()), List.of("admin")),
            new Endpoint("GET", "/observe/metrics", null, List.of("admin", "manager")));

    @BeforeAll
    static void start() {
        crms = CrmSandboxes.start(21, true, List.of(CrmFixture.of("hubspot")));
        StringBuilder keys = new StringBuilder();
        KEYS.forEach((role, key) -> keys.append(ApiKeys.hashed(key)).append(':').append(role).append(','));
        keys.append(ApiKeys.hashed(LIMITED)).append(":agent");
        CallbridgeApp.Builder b = CallbridgeApp.on(TestBroker.shared()).with("callbridge.api-keys", keys.toString())
                .with("callbridge.api-keys.lookups-per-second", "5").with("callbridge.primary-crm", "hubspot");
        crms.settings().forEach(b::with);
        app = b.start();
    }

    @AfterAll
    static void stop() {
        app.close();
        crms.close();
    }

    private static HttpResponse<String> call(Endpoint e, String key) {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(app.uri(e.path()).toString()))
                .method(e.method(), e.body() == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(e.body()));
        if (e.body() != null) {
            r.header("Content-Type", "application/json");
        }
        if (key != null) {
            r.header("Authorization", "Bearer " + key);
        }
        return Events.send(r.build());
    }

    @Test
    void eachRoleReachesItsEndpointsAndIsRefused403ElsewhereWhileNoKeyOrAnUnknownOneIs401() {
        List<String> wrong = new ArrayList<>();
        for (Endpoint e : ENDPOINTS) {
            for (Map.Entry<String, String> role : KEYS.entrySet()) {
                int status = call(e, role.getValue()).statusCode();
                boolean allowed = e.roles().contains(role.getKey());
                // past the key check: the endpoint's own answer (a lookup may be 404, or 503 while HubSpot is still cold)
                if (allowed ? status == 401 || status == 403 || status == 500 : status != 403) {
                    wrong.add(role.getKey() + " " + e.method() + " " + e.path() + " → " + status);
                }
            }
            HttpResponse<String> none = call(e, null);
            if (none.statusCode() != 401 || !"Bearer".equals(none.headers().firstValue("WWW-Authenticate").orElse(""))) {
                wrong.add("no key " + e.method() + " " + e.path() + " → " + none.statusCode());
            }
            if (call(e, "k-nobody").statusCode() != 401) {
                wrong.add("unknown key " + e.method() + " " + e.path());
            }
        }
        assertThat(wrong).isEmpty();
        HttpResponse<String> forbidden = call(ENDPOINTS.get(3), KEYS.get("manager"));
        assertThat(forbidden.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        assertThat(forbidden.body()).contains("\"status\":403").contains("manager role");
    }

    @Test
    void aKeysLookupsBeyondItsRateAre429WithRetryAfterAndOtherKeysAreNotSlowedDown() {
        Endpoint lookup = ENDPOINTS.get(0);
        List<HttpResponse<String>> answers = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            answers.add(call(lookup, LIMITED));
        }
        HttpResponse<String> refused = answers.stream().filter(r -> r.statusCode() == 429).findFirst()
                .orElseThrow(() -> new AssertionError("12 lookups at once with a 5/s key: none refused"));
        assertThat(answers.stream().filter(r -> r.statusCode() != 429)).as("the burst the key is allowed").hasSizeGreaterThanOrEqualTo(5);
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(refused.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        assertThat(refused.body()).contains("callbridge.api-keys.lookups-per-second");
        assertThat(call(lookup, KEYS.get("agent")).statusCode()).as("another key").isNotEqualTo(429);
    }
}
