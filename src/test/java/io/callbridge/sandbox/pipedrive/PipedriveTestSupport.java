package io.callbridge.sandbox.pipedrive;

import com.fasterxml.jackson.databind.JsonNode;
import io.callbridge.sandbox.CrmSandbox;
import io.callbridge.sandbox.Json;
import io.callbridge.sandbox.MutableClock;
import io.callbridge.sandbox.SandboxHttp;
import io.callbridge.sandbox.SandboxHttp.Resp;
import io.callbridge.sandbox.SandboxRequest;
import io.callbridge.sandbox.SandboxSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One Pipedrive sandbox per test class on a free port and a hand-moved clock, reset before each test.
 * Every call made through {@link #call} is checked against Pipedrive's OpenAPI documents when they are
 * present: the query parameters and the answer always, the request body when the sandbox accepted it.
 */
abstract class PipedriveTestSupport {

    static final String API_TOKEN = "test-api-token";
    static final String OAUTH_TOKEN = "test-oauth-token";
    static final long OWNER = 13053568;
    static MutableClock clock;
    static CrmSandbox sandbox;
    static PipedriveContract contract;

    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    static SandboxSettings.Builder settings() {
        return SandboxSettings.builder().port(0).seed(5).clock(clock)
                .config("pipedrive", Map.of("api-token", API_TOKEN, "oauth-tokens", OAUTH_TOKEN, "search-rate-limit.quota", "1000",
                        "client-id", "pd-client", "client-secret", "pd-secret", "refresh-token", "pd-refresh"));
    }

    @BeforeAll
    static void startSandbox() {
        clock = new MutableClock(Instant.parse("2026-11-28T09:00:00Z"));
        sandbox = CrmSandbox.start(settings().build());
        contract = PipedriveContract.getIfAvailable();
    }

    @AfterAll
    static void stopSandbox() {
        sandbox.close();
    }

    @BeforeEach
    void resetSandbox() {
        sandbox.reset("pipedrive");
    }

    static String base() {
        return sandbox.baseUrl("pipedrive");
    }

    static String admin() {
        return sandbox.adminUrl() + "/pipedrive";
    }

    /** Sends with the given headers and answers the response; no contract check. */
    static Resp raw(String method, String pathAndQuery, Map<String, String> headers, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + pathAndQuery)).timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(b::header);
        if (body != null) b.header("Content-Type", "application/json");
        try {
            HttpResponse<String> r = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Resp(r.statusCode(), r.headers(), r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A call with these headers (auth variants), checked against the OpenAPI documents when they are present. */
    static Resp callWith(String method, String pathAndQuery, Map<String, String> headers, String body) {
        Resp r = raw(method, pathAndQuery, headers, body);
        check(method, pathAndQuery, body, r);
        return r;
    }

    /** A call with the API token, checked against the OpenAPI documents when they are present. */
    static Resp call(String method, String pathAndQuery, String body) {
        Resp r = raw(method, pathAndQuery, Map.of("x-api-token", API_TOKEN), body);
        check(method, pathAndQuery, body, r);
        return r;
    }

    static void check(String method, String pathAndQuery, String body, Resp r) {
        if (contract == null || contract.operation(method, pathAndQuery) == null) return;
        int q = pathAndQuery.indexOf('?');
        Map<String, String> query = new LinkedHashMap<>();
        if (q >= 0) SandboxRequest.parseQuery(pathAndQuery.substring(q + 1)).forEach((k, v) -> query.put(k, v.get(0)));
        if (r.status() < 300) {
            assertThat(contract.checkQuery(method, pathAndQuery, query)).as("query of " + method + " " + pathAndQuery).isEmpty();
            if (body != null) {
                JsonNode json = Json.parseOrNull(body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                if (json != null) {
                    List<String> problems = contract.checkRequest(method, pathAndQuery, json);
                    assertThat(problems).as("request " + method + " " + pathAndQuery + " " + body).isEmpty();
                }
            }
        }
        if (r.body() != null && !r.body().isEmpty()) {
            assertThat(contract.checkResponse(method, pathAndQuery, r.status(), r.json()))
                    .as("answer " + r.status() + " to " + method + " " + pathAndQuery + ": " + r.body()).isEmpty();
        }
    }

    static JsonNode ok(Resp r) {
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().get("success").asBoolean()).isTrue();
        return r.json().get("data");
    }

    static long createPerson(String json) {
        return ok(call("POST", "/api/v2/persons", json)).get("id").asLong();
    }

    /** Asserts Pipedrive's error body and answers it. */
    static JsonNode error(Resp r, int status) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        JsonNode b = r.json();
        assertThat(b.get("success").asBoolean(true)).as(r.body()).isFalse();
        assertThat(b.get("error").asText()).as(r.body()).isNotBlank();
        assertThat(b.get("error_info").asText()).as(r.body()).isNotBlank();
        assertThat(b.has("data") && b.get("data").isNull()).as(r.body()).isTrue();
        return b;
    }

    static void assertRateLimitHeaders(Resp r) {
        for (String h : new String[]{"x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset"}) {
            assertThat(r.header(h)).as(h + " on " + r.status()).isNotNull().matches("\\d+");
        }
    }

    static Resp adminCall(String method, String path, String body) {
        return SandboxHttp.json(method, admin() + path, null, body);
    }
}
