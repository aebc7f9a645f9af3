package io.callbridge.sandbox.pipedrive;

import com.fasterxml.jackson.databind.JsonNode;
import io.callbridge.sandbox.CrmSandbox;
import io.callbridge.sandbox.MutableClock;
import io.callbridge.sandbox.SandboxHttp;
import io.callbridge.sandbox.SandboxHttp.Resp;
import io.callbridge.sandbox.SandboxSettings;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Authentication, x-ratelimit-* headers, 429 per 2-second window (search separately), fault injection with Pipedrive bodies. */
class PipedriveLimitsTest extends PipedriveTestSupport {

    @BeforeAll
    static void startSandbox() {
        clock = new MutableClock(Instant.parse("2026-11-28T09:00:00Z"));
        sandbox = CrmSandbox.start(SandboxSettings.builder().port(0).seed(9).clock(clock)
                .config("pipedrive", Map.of("api-token", API_TOKEN, "oauth-tokens", OAUTH_TOKEN,
                        "client-id", "pd-client", "client-secret", "pd-secret", "refresh-token", "pd-refresh")).build());
        contract = PipedriveContract.getIfAvailable();
    }

    @Test
    void apiTokenInHeaderOrQueryAndOAuthBearer() {
        Resp none = callWith("GET", "/api/v2/persons", Map.of(), null);
        JsonNode b = error(none, 401);
        assertThat(b.get("error").asText()).isEqualTo("unauthorized access");
        assertThat(b.get("errorCode").asInt()).isEqualTo(401);
        assertRateLimitHeaders(none);
        error(callWith("GET", "/api/v2/persons", Map.of("x-api-token", "wrong"), null), 401);
        error(callWith("GET", "/api/v2/persons?api_token=wrong", Map.of(), null), 401);
        assertThat(callWith("GET", "/api/v2/persons?api_token=" + API_TOKEN, Map.of(), null).status()).isEqualTo(200);
        assertThat(callWith("GET", "/v1/users/me", Map.of("Authorization", "Bearer " + OAUTH_TOKEN), null).status()).isEqualTo(200);
        error(callWith("GET", "/v1/users/me", Map.of("Authorization", "Bearer nope"), null), 401);
    }

    @Test
    void oauthRefreshGrantAndExpiry() {
        String basic = "Basic " + Base64.getEncoder().encodeToString("pd-client:pd-secret".getBytes(StandardCharsets.UTF_8));
        Resp t = raw("POST", "/oauth/token", Map.of("Authorization", basic, "Content-Type", "application/x-www-form-urlencoded"), null);
        assertThat(t.status()).as("no grant").isEqualTo(400);
        Resp ok = SandboxHttp.send("POST", base() + "/oauth/token", null, "application/x-www-form-urlencoded",
                "grant_type=refresh_token&refresh_token=pd-refresh&client_id=pd-client&client_secret=pd-secret");
        assertThat(ok.status()).as(ok.body()).isEqualTo(200);
        String access = ok.json().get("access_token").asText();
        assertThat(ok.json().get("api_domain").asText()).isEqualTo(base());
        assertThat(callWith("GET", "/api/v2/persons", Map.of("Authorization", "Bearer " + access), null).status()).isEqualTo(200);
        clock.advance(Duration.ofSeconds(3600));
        error(callWith("GET", "/api/v2/persons", Map.of("Authorization", "Bearer " + access), null), 401);
        assertThat(SandboxHttp.send("POST", base() + "/oauth/token", null, "application/x-www-form-urlencoded",
                "grant_type=refresh_token&refresh_token=pd-refresh&client_id=pd-client&client_secret=wrong").status()).isEqualTo(401);
    }

    @Test
    void aRevokedAppsRefreshTokenIsRefusedWithInvalidGrantAndItsAccessTokensStopWorking() {
        String form = "grant_type=refresh_token&refresh_token=pd-refresh";
        Map<String, String> basic = Map.of("Authorization", "Basic " + Base64.getEncoder().encodeToString("pd-client:pd-secret".getBytes(StandardCharsets.UTF_8)),
                "Content-Type", "application/x-www-form-urlencoded");
        String access = raw("POST", "/oauth/token", basic, form).json().get("access_token").asText();
        assertThat(adminCall("POST", "/tokens/revoke", null).status()).isEqualTo(204);

        Resp refused = raw("POST", "/oauth/token/", basic, form);
        assertThat(refused.status()).as("the refresh path as Pipedrive's document writes it").isEqualTo(400);
        assertThat(refused.json().get("error").asText()).isEqualTo("invalid_grant");
        JsonNode expired = error(callWith("GET", "/v1/users/me", Map.of("Authorization", "Bearer " + access), null), 401);
        assertThat(expired.get("success").asBoolean()).isFalse();
        assertThat(call("GET", "/v1/users/me", null).status()).as("the API token is no OAuth grant").isEqualTo(200);

        assertThat(adminCall("POST", "/tokens/restore", null).status()).isEqualTo(204);
        Resp again = raw("POST", "/oauth/token", basic, form);
        assertThat(again.status()).as(again.body()).isEqualTo(200);
        assertThat(callWith("GET", "/v1/users/me", Map.of("Authorization", "Bearer " + again.json().get("access_token").asText()), null)
                .status()).isEqualTo(200);
    }

    @Test
    void aRotatingCompanyAnswersANewRefreshTokenWithEachAccessTokenAndRefusesTheOldOne() {
        try (CrmSandbox rotating = CrmSandbox.start(SandboxSettings.builder().port(0).crm("pipedrive").config("pipedrive", Map.of(
                "client-id", "pd-client", "client-secret", "pd-secret", "refresh-token", "pd-refresh", "rotate-refresh-token", "true")).build())) {
            String url = rotating.baseUrl("pipedrive") + "/oauth/token";
            String client = "&client_id=pd-client&client_secret=pd-secret";
            Resp first = SandboxHttp.send("POST", url, null, "application/x-www-form-urlencoded", "grant_type=refresh_token&refresh_token=pd-refresh" + client);
            String next = first.json().get("refresh_token").asText();
            assertThat(next).isNotEqualTo("pd-refresh");
            assertThat(SandboxHttp.send("POST", url, null, "application/x-www-form-urlencoded", "grant_type=refresh_token&refresh_token=pd-refresh" + client)
                    .status()).as("the old one").isEqualTo(400);
            Resp second = SandboxHttp.send("POST", url, null, "application/x-www-form-urlencoded", "grant_type=refresh_token&refresh_token="
                    + java.net.URLEncoder.encode(next, StandardCharsets.UTF_8) + client);
            assertThat(second.status()).as(second.body()).isEqualTo(200);
            assertThat(second.json().get("refresh_token").asText()).isNotEqualTo(next);
        }
    }

    @Test
    void expiringTokensThroughTheAdminApiAffectsOAuthOnly() {
        assertThat(adminCall("POST", "/tokens/expire", null).status()).isEqualTo(204);
        error(callWith("GET", "/v1/users/me", Map.of("Authorization", "Bearer " + OAUTH_TOKEN), null), 401);
        assertThat(call("GET", "/v1/users/me", null).status()).as("the API token does not expire").isEqualTo(200);
        sandbox.reset("pipedrive");
        assertThat(callWith("GET", "/v1/users/me", Map.of("Authorization", "Bearer " + OAUTH_TOKEN), null).status()).isEqualTo(200);
    }

    @Test
    void burstLimitPerTwoSeconds() {
        Resp first = call("GET", "/api/v2/persons", null);
        assertThat(first.header("x-ratelimit-limit")).isEqualTo("80");
        assertThat(first.header("x-ratelimit-remaining")).isEqualTo("79");
        assertThat(first.header("x-ratelimit-reset")).isEqualTo("2");
        for (int i = 1; i < 80; i++) assertThat(call("GET", "/api/v2/deals/" + i, null).status()).isEqualTo(404);
        Resp limited = call("GET", "/api/v2/persons", null);
        JsonNode b = error(limited, 429);
        assertThat(b.get("errorCode").asInt()).isEqualTo(429);
        assertThat(limited.header("x-ratelimit-remaining")).isEqualTo("0");
        assertRateLimitHeaders(limited);
        clock.advance(Duration.ofMillis(1500));
        assertThat(call("GET", "/api/v2/persons", null).header("x-ratelimit-reset")).isEqualTo("1");
        clock.advance(Duration.ofMillis(500));
        Resp again = call("GET", "/api/v2/persons", null);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.header("x-ratelimit-remaining")).isEqualTo("79");
    }

    @Test
    void searchIsLimitedSeparately() {
        for (int i = 0; i < 10; i++) {
            Resp r = call("GET", "/api/v2/persons/search?term=jean", null);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("x-ratelimit-limit")).isEqualTo("10");
        }
        error(call("GET", "/api/v2/persons/search?term=jean", null), 429);
        assertThat(call("GET", "/api/v2/persons", null).status()).as("the burst limit is another bucket").isEqualTo(200);
        clock.advance(Duration.ofSeconds(2));
        assertThat(call("GET", "/api/v2/persons/search?term=jean", null).status()).isEqualTo(200);
        assertThat(adminCall("PUT", "/search-rate-limit", "{\"quota\":1}").status()).isEqualTo(200);
        assertThat(call("GET", "/api/v2/persons/search?term=jean", null).status()).isEqualTo(200);
        error(call("GET", "/api/v2/persons/search?term=jean", null), 429);
    }

    @Test
    void injectedErrorsUsePipedrivesBody() {
        adminCall("PUT", "/faults", "{\"errorRate\":1.0,\"errorStatuses\":[502,503],\"match\":\"^POST /v1/callLogs\"}");
        for (int i = 0; i < 4; i++) {
            Resp r = call("POST", "/v1/callLogs", "{}");
            assertThat(r.status()).isIn(502, 503);
            error(r, r.status());
            assertRateLimitHeaders(r);
        }
        assertThat(call("GET", "/api/v2/persons", null).status()).isEqualTo(200);
        adminCall("DELETE", "/faults", null);
        adminCall("POST", "/faults/script", "[{\"status\":429,\"headers\":{\"Retry-After\":\"2\"},\"match\":\"persons\"},{\"status\":401},{\"status\":500}]");
        Resp limited = call("GET", "/api/v2/persons", null);
        assertThat(error(limited, 429).get("error").asText()).isEqualTo("Rate limit exceeded");
        assertThat(limited.header("Retry-After")).isEqualTo("2");
        assertThat(error(call("GET", "/api/v2/persons", null), 401).get("error").asText()).isEqualTo("unauthorized access");
        error(call("GET", "/api/v2/persons", null), 500);
        assertThat(call("GET", "/api/v2/persons", null).status()).isEqualTo(200);
        assertThat(adminCall("GET", "/requests", null).json().toString()).contains("\"injected\":true").doesNotContain(API_TOKEN);
    }

    @Test
    void outagesAndLatency() {
        adminCall("PUT", "/faults", "{\"outage\":{\"durationMs\":3000}}");
        error(call("GET", "/api/v2/persons", null), 503);
        clock.advance(Duration.ofSeconds(3));
        assertThat(call("GET", "/api/v2/persons", null).status()).isEqualTo(200);
        adminCall("PUT", "/faults", "{\"outage\":{\"durationMs\":3000,\"mode\":\"reset\"}}");
        assertThatThrownBy(() -> call("GET", "/api/v2/persons", null)).isInstanceOf(UncheckedIOException.class);
        clock.advance(Duration.ofSeconds(3));
        adminCall("PUT", "/faults", "{\"latencyMs\":250}");
        long t0 = System.nanoTime();
        assertThat(call("GET", "/api/v2/persons", null).status()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(250));
    }
}
