package io.callbridge.sandbox.hubspot;

import com.fasterxml.jackson.databind.JsonNode;
import io.callbridge.sandbox.CrmSandbox;
import io.callbridge.sandbox.MutableClock;
import io.callbridge.sandbox.SandboxHttp;
import io.callbridge.sandbox.SandboxHttp.Resp;
import io.callbridge.sandbox.SandboxSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One HubSpot sandbox per test class on a free port, on a clock the tests move by hand, reset before
 * each test. The search limit is raised here so that search tests can search freely;
 * {@link HubSpotLimitsTest} checks HubSpot's own limits with the defaults.
 */
abstract class HubSpotTestSupport {

    static final String TOKEN = "pat-na1-test-token";
    static final String CUSTOM_UNIQUE = "callbridge_command_id";
    static MutableClock clock;
    static CrmSandbox sandbox;

    static SandboxSettings.Builder settings() {
        return SandboxSettings.builder().port(0).seed(7).clock(clock)
                .config("hubspot", Map.of("token", TOKEN, "search-rate-limit.quota", "1000",
                        "custom-properties", "calls." + CUSTOM_UNIQUE + ":string:unique,contacts." + CUSTOM_UNIQUE + ":string:unique",
                        "client-id", "hs-client", "client-secret", "hs-secret", "refresh-token", "hs-refresh"));
    }

    @BeforeAll
    static void startSandbox() {
        clock = new MutableClock(Instant.parse("2026-11-28T09:00:00Z"));
        sandbox = CrmSandbox.start(settings().build());
    }

    @AfterAll
    static void stopSandbox() {
        sandbox.close();
    }

    @BeforeEach
    void resetSandbox() {
        sandbox.reset("hubspot");
    }

    static String base() {
        return sandbox.baseUrl("hubspot");
    }

    static String admin() {
        return sandbox.adminUrl() + "/hubspot";
    }

    static Resp get(String path) {
        return SandboxHttp.json("GET", base() + path, TOKEN, null);
    }

    static Resp post(String path, String body) {
        return SandboxHttp.json("POST", base() + path, TOKEN, body);
    }

    static Resp patch(String path, String body) {
        return SandboxHttp.json("PATCH", base() + path, TOKEN, body);
    }

    static Resp put(String path, String body) {
        return SandboxHttp.json("PUT", base() + path, TOKEN, body);
    }

    static Resp delete(String path) {
        return SandboxHttp.json("DELETE", base() + path, TOKEN, null);
    }

    /**
     * A request as {@code @hubspot/api-client} 13.5.0 sends it: its Accept and User-agent headers, the bearer token,
     * a JSON body with its Content-Type. The path and query are the SDK's own (e.g. {@code /crm/v3/owners/?email=...}).
     */
    static Resp sdk(String method, String pathAndQuery, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + pathAndQuery))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Accept", "application/json, */*;q=0.8")
                .header("User-agent", "hubspot-api-client-nodejs; 13.5.0")
                .header("Authorization", "Bearer " + TOKEN);
        if (body != null) b.header("Content-Type", "application/json");
        return SandboxHttp.send(b.build());
    }

    /** Creates an object with these properties (JSON object text) and answers its id. */
    static String create(String type, String properties) {
        Resp r = post("/crm/v3/objects/" + type, "{\"properties\":" + properties + "}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().get("id").asText();
    }

    static JsonNode search(String type, String body) {
        Resp r = post("/crm/v3/objects/" + type + "/search", body);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    /** Asserts HubSpot's error body and answers it. */
    static JsonNode error(Resp r, int status, String category) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        JsonNode b = r.json();
        assertThat(b.path("status").asText()).as(r.body()).isEqualTo("error");
        assertThat(b.path("message").asText()).as(r.body()).isNotBlank();
        assertThat(b.path("correlationId").asText()).as(r.body()).matches("[0-9a-f-]{36}");
        if (category != null) assertThat(b.path("category").asText()).as(r.body()).isEqualTo(category);
        return b;
    }

    /** The codes of a property validation error ({@code errors[].code}), also checked inside the message. */
    static JsonNode propertyError(Resp r, String code, String property) {
        JsonNode b = error(r, 400, "VALIDATION_ERROR");
        assertThat(b.path("message").asText()).startsWith("Property values were not valid: ").contains("\"error\":\"" + code + "\"")
                .contains("\"name\":\"" + property + "\"");
        boolean found = false;
        for (JsonNode e : b.path("errors")) {
            if (e.path("code").asText().equals(code) && e.path("context").path("propertyName").get(0).asText().equals(property)) found = true;
        }
        assertThat(found).as(r.body()).isTrue();
        return b;
    }

    static void assertRateLimitHeaders(Resp r) {
        for (String h : new String[]{"X-HubSpot-RateLimit-Daily", "X-HubSpot-RateLimit-Daily-Remaining",
                "X-HubSpot-RateLimit-Interval-Milliseconds", "X-HubSpot-RateLimit-Max", "X-HubSpot-RateLimit-Remaining"}) {
            assertThat(r.header(h)).as(h + " on " + r.status() + " " + r.body()).isNotNull().matches("\\d+");
        }
    }
}
