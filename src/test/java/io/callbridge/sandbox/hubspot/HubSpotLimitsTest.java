package io.callbridge.sandbox.hubspot;

import com.fasterxml.jackson.databind.JsonNode;
import io.callbridge.sandbox.CrmSandbox;
import io.callbridge.sandbox.MutableClock;
import io.callbridge.sandbox.SandboxHttp;
import io.callbridge.sandbox.SandboxHttp.Resp;
import io.callbridge.sandbox.SandboxSettings;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Bearer auth, OAuth refresh, X-HubSpot-RateLimit-* headers, 429 per policy, fault injection with HubSpot bodies. */
class HubSpotLimitsTest extends HubSpotTestSupport {

    @BeforeAll
    static void startSandbox() {
        clock = new MutableClock(Instant.parse("2026-11-28T09:00:00Z"));
        sandbox = CrmSandbox.start(SandboxSettings.builder().port(0).seed(3).clock(clock)
                .config("hubspot", Map.of("tokens", TOKEN + ",oauth-static-token", "daily-limit", "160", "token-lifetime-seconds", "1800", "search-index-delay-ms", "3000",
                        "client-id", "hs-client", "client-secret", "hs-secret", "refresh-token", "hs-refresh")).build());
    }

    @Test
    void bearerTokensAreRequired() {
        JsonNode missing = error(SandboxHttp.json("GET", base() + "/crm/v3/objects/contacts", null, null), 401, "INVALID_AUTHENTICATION");
        assertThat(missing.get("message").asText()).startsWith("Authentication credentials not found");
        Resp wrong = SandboxHttp.json("GET", base() + "/crm/v3/objects/contacts", "pat-na1-wrong", null);
        error(wrong, 401, "INVALID_AUTHENTICATION");
        assertRateLimitHeaders(wrong);
        assertThat(SandboxHttp.json("GET", base() + "/crm/v3/objects/contacts", "oauth-static-token", null).status()).isEqualTo(200);
        Resp basic = SandboxHttp.send("GET", base() + "/crm/v3/objects/contacts", null, null, null);
        error(basic, 401, "INVALID_AUTHENTICATION");
    }

    @Test
    void refreshGrantIssuesTokensThatExpire() {
        Resp t = SandboxHttp.form(base() + "/oauth/v1/token", Map.of("grant_type", "refresh_token", "client_id", "hs-client",
                "client_secret", "hs-secret", "refresh_token", "hs-refresh"));
        assertThat(t.status()).as(t.body()).isEqualTo(200);
        assertThat(t.json().get("expires_in").asInt()).isEqualTo(1800);
        String access = t.json().get("access_token").asText();
        assertThat(SandboxHttp.json("GET", base() + "/crm/v3/owners", access, null).status()).isEqualTo(200);
        clock.advance(Duration.ofSeconds(1805));
        JsonNode expired = error(SandboxHttp.json("GET", base() + "/crm/v3/owners", access, null), 401, "EXPIRED_AUTHENTICATION");
        assertThat(expired.get("message").asText()).isEqualTo("The OAuth token used to make this call expired 5 second(s) ago.");
        Resp bad = SandboxHttp.form(base() + "/oauth/v1/token", Map.of("grant_type", "refresh_token", "client_id", "hs-client",
                "client_secret", "hs-secret", "refresh_token", "stolen"));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("status").asText()).isEqualTo("BAD_REFRESH_TOKEN");
    }

    @Test
    void aRevokedAppsRefreshTokenIsRefusedAsHubSpotRefusesItAndItsAccessTokensStopWorking() {
        Map<String, String> refresh = Map.of("grant_type", "refresh_token", "client_id", "hs-client", "client_secret", "hs-secret",
                "refresh_token", "hs-refresh");
        String access = SandboxHttp.form(base() + "/oauth/v1/token", refresh).json().get("access_token").asText();
        assertThat(SandboxHttp.json("POST", admin() + "/tokens/revoke", null, null).status()).isEqualTo(204);

        Resp refused = SandboxHttp.form(base() + "/oauth/v1/token", refresh);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().get("status").asText()).isEqualTo("BAD_REFRESH_TOKEN");
        assertThat(refused.json().get("message").asText()).isEqualTo("missing or invalid refresh token");
        assertThat(refused.json().get("correlationId").asText()).isNotEmpty();
        error(SandboxHttp.json("GET", base() + "/crm/v3/owners", access, null), 401, "INVALID_AUTHENTICATION");
        assertThat(get("/crm/v3/owners").status()).as("a private-app token is no OAuth grant").isEqualTo(200);

        assertThat(SandboxHttp.json("POST", admin() + "/tokens/restore", null, null).status()).isEqualTo(204);
        Resp again = SandboxHttp.form(base() + "/oauth/v1/token", refresh);
        assertThat(again.status()).as(again.body()).isEqualTo(200);
        assertThat(again.json().get("refresh_token").asText()).as("HubSpot answers the same refresh token").isEqualTo("hs-refresh");
        assertThat(again.json().get("token_type").asText()).isEqualTo("bearer");
        assertThat(SandboxHttp.json("GET", base() + "/crm/v3/owners", again.json().get("access_token").asText(), null).status()).isEqualTo(200);
    }

    @Test
    void expiringTokensThroughTheAdminApi() {
        assertThat(SandboxHttp.json("POST", admin() + "/tokens/expire", null, null).status()).isEqualTo(204);
        error(get("/crm/v3/owners"), 401, "EXPIRED_AUTHENTICATION");
        sandbox.reset("hubspot");
        assertThat(get("/crm/v3/owners").status()).isEqualTo(200);
    }

    @Test
    void everyAnswerCarriesTheRateLimitHeadersAndThe101stRequestIn10sIs429() {
        Resp first = get("/crm/v3/objects/contacts");
        assertThat(first.header("X-HubSpot-RateLimit-Max")).isEqualTo("100");
        assertThat(first.header("X-HubSpot-RateLimit-Remaining")).isEqualTo("99");
        assertThat(first.header("X-HubSpot-RateLimit-Interval-Milliseconds")).isEqualTo("10000");
        assertThat(first.header("X-HubSpot-RateLimit-Daily")).isEqualTo("160");
        assertThat(first.header("X-HubSpot-RateLimit-Daily-Remaining")).isEqualTo("159");
        for (int i = 1; i < 100; i++) assertThat(get("/crm/v3/objects/contacts/" + i).status()).isEqualTo(404);
        Resp limited = get("/crm/v3/objects/contacts");
        JsonNode b = limited.json();
        assertThat(limited.status()).isEqualTo(429);
        assertThat(b.get("status").asText()).isEqualTo("error");
        assertThat(b.get("errorType").asText()).isEqualTo("RATE_LIMIT");
        assertThat(b.get("policyName").asText()).isEqualTo("TEN_SECONDLY_ROLLING");
        assertThat(b.get("message").asText()).isEqualTo("You have reached your ten_secondly_rolling limit.");
        assertThat(b.get("correlationId").asText()).isNotEmpty();
        assertThat(limited.header("X-HubSpot-RateLimit-Remaining")).isEqualTo("0");
        assertRateLimitHeaders(limited);
        clock.advance(Duration.ofSeconds(10));
        Resp again = get("/crm/v3/objects/contacts");
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.header("X-HubSpot-RateLimit-Remaining")).isEqualTo("99");
        // the daily budget (160 here) is shared by everything
        for (int i = 0; i < 59; i++) assertThat(get("/crm/v3/owners").status()).isEqualTo(200);
        clock.advance(Duration.ofSeconds(10));
        Resp daily = get("/crm/v3/owners");
        assertThat(daily.status()).isEqualTo(429);
        assertThat(daily.json().get("policyName").asText()).isEqualTo("DAILY");
        assertThat(daily.header("X-HubSpot-RateLimit-Daily-Remaining")).isEqualTo("0");
        clock.advance(Duration.ofDays(1));
        assertThat(get("/crm/v3/owners").status()).isEqualTo(200);
    }

    @Test
    void searchHasItsOwnLimitOfFivePerSecond() {
        for (int i = 0; i < 5; i++) assertThat(post("/crm/v3/objects/contacts/search", "{}").status()).isEqualTo(200);
        Resp limited = post("/crm/v3/objects/contacts/search", "{}");
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.json().get("errorType").asText()).isEqualTo("RATE_LIMIT");
        assertThat(limited.json().get("policyName").asText()).isEqualTo("SECONDLY");
        assertRateLimitHeaders(limited);
        assertThat(get("/crm/v3/objects/contacts").status()).as("other endpoints are not affected").isEqualTo(200);
        clock.advance(Duration.ofSeconds(1));
        assertThat(post("/crm/v3/objects/contacts/search", "{}").status()).isEqualTo(200);
    }

    @Test
    void searchFindsNewObjectsOnlyAfterTheIndexDelaySoFindOrCreateMeetsThe409() {
        String id = create("contacts", "{\"email\":\"jean@example.ch\"}");
        String byEmail = "{\"filterGroups\":[{\"filters\":[{\"propertyName\":\"email\",\"operator\":\"EQ\",\"value\":\"jean@example.ch\"}]}]}";
        assertThat(search("contacts", byEmail).get("total").asInt()).as("not indexed yet").isZero();
        assertThat(get("/crm/v3/objects/contacts/" + id).status()).as("reads by id see it at once").isEqualTo(200);
        JsonNode conflict = error(post("/crm/v3/objects/contacts", "{\"properties\":{\"email\":\"jean@example.ch\"}}"), 409, "CONFLICT");
        assertThat(conflict.get("message").asText()).endsWith(id);
        clock.advance(Duration.ofSeconds(3));
        assertThat(search("contacts", byEmail).get("total").asInt()).isEqualTo(1);
    }

    @Test
    void theTenSecondWindowIsConfigurableThroughTheSharedAdmin() {
        Resp set = SandboxHttp.json("PUT", admin() + "/rate-limit", null, "{\"windowSeconds\":10,\"quota\":2}");
        assertThat(set.status()).isEqualTo(200);
        assertThat(get("/crm/v3/owners").header("X-HubSpot-RateLimit-Max")).isEqualTo("2");
        get("/crm/v3/owners");
        assertThat(get("/crm/v3/owners").status()).isEqualTo(429);
    }

    @Test
    void injectedErrorsUseHubSpotsBodiesAndHeaders() {
        Resp put = SandboxHttp.json("PUT", admin() + "/faults", null, "{\"errorRate\":1.0,\"errorStatuses\":[503],\"match\":\"^POST /crm/v3/objects/calls\"}");
        assertThat(put.status()).as(put.body()).isEqualTo(200);
        Resp r = post("/crm/v3/objects/calls", "{\"properties\":{\"hs_timestamp\":\"2026-11-28T09:00:00Z\"}}");
        error(r, 503, null);
        assertRateLimitHeaders(r);
        assertThat(get("/crm/v3/objects/calls").status()).as("match limits the faults").isEqualTo(200);
        SandboxHttp.json("DELETE", admin() + "/faults", null, null);
        assertThat(post("/crm/v3/objects/calls", "{\"properties\":{\"hs_timestamp\":\"2026-11-28T09:00:00Z\"}}").status()).isEqualTo(201);
    }

    @Test
    void scriptedAnswersGetHubSpotBodiesPerStatus() {
        SandboxHttp.json("POST", admin() + "/faults/script", null, "[{\"status\":429,\"headers\":{\"Retry-After\":\"1\"}},"
                + "{\"status\":401},{\"status\":404},{\"status\":500},{\"status\":0},{\"status\":409,\"body\":{\"custom\":true}}]");
        Resp limited = get("/crm/v3/owners");
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.json().get("errorType").asText()).isEqualTo("RATE_LIMIT");
        assertThat(limited.json().get("policyName").asText()).isEqualTo("TEN_SECONDLY_ROLLING");
        assertThat(limited.header("Retry-After")).isEqualTo("1");
        assertRateLimitHeaders(limited);
        error(get("/crm/v3/owners"), 401, "INVALID_AUTHENTICATION");
        error(get("/crm/v3/owners"), 404, "OBJECT_NOT_FOUND");
        error(get("/crm/v3/owners"), 500, null);
        assertThat(get("/crm/v3/owners").status()).as("status 0 lets one through").isEqualTo(200);
        Resp custom = get("/crm/v3/owners");
        assertThat(custom.status()).isEqualTo(409);
        assertThat(custom.json().get("custom").asBoolean()).isTrue();
        get("/crm/v3/objects/contacts/jean.dupont@example.ch?idProperty=email");
        JsonNode journal = SandboxHttp.json("GET", admin() + "/requests", null, null).json();
        assertThat(journal.toString()).contains("\"injected\":true").doesNotContain(TOKEN).doesNotContain("jean.dupont").contains("/crm/v3/objects/contacts/***");
    }

    @Test
    void outagesAnswerUntilTheyEndAndResetModeDropsConnections() {
        SandboxHttp.json("PUT", admin() + "/faults", null, "{\"outage\":{\"durationMs\":5000,\"status\":502}}");
        error(get("/crm/v3/owners"), 502, null);
        clock.advance(Duration.ofSeconds(6));
        assertThat(get("/crm/v3/owners").status()).isEqualTo(200);
        SandboxHttp.json("PUT", admin() + "/faults", null, "{\"outage\":{\"durationMs\":5000,\"mode\":\"reset\"}}");
        assertThatThrownBy(() -> get("/crm/v3/owners")).isInstanceOf(UncheckedIOException.class);
        clock.advance(Duration.ofSeconds(6));
        assertThat(get("/crm/v3/owners").status()).isEqualTo(200);
    }

    @Test
    void latencyIsAdded() {
        SandboxHttp.json("PUT", admin() + "/faults", null, "{\"latencyMs\":300}");
        long t0 = System.nanoTime();
        assertThat(get("/crm/v3/owners").status()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }
}
