package io.callbridge.sandbox.zoho;

import com.fasterxml.jackson.databind.JsonNode;
import io.callbridge.sandbox.SandboxHttp;
import io.callbridge.sandbox.SandboxHttp.Resp;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The accounts server (refresh and code grants, their limits, errors with HTTP 200) and the token check on API calls. */
class ZohoOAuthTest extends ZohoTestSupport {

    private static final String READ = "/crm/v8/Contacts?fields=Last_Name";

    private static Resp withToken(String accessToken) {
        return callWith("GET", READ, Map.of("Authorization", "Zoho-oauthtoken " + accessToken), null);
    }

    private static void invalidToken(Resp r) {
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.body()).isEqualTo("{\"code\":\"INVALID_TOKEN\",\"details\":{},\"message\":\"invalid oauth token\",\"status\":\"error\"}");
    }

    @Test
    void theRefreshGrantAnswersAnHourLongBearerTokenForTheSandboxsApiDomain() {
        Resp r = refresh();
        assertThat(r.status()).isEqualTo(200);
        JsonNode t = r.json();
        assertThat(t.get("access_token").asText()).matches("1000\\.[0-9a-f]{32}\\.[0-9a-f]{32}");
        assertThat(t.get("api_domain").asText()).isEqualTo(base());
        assertThat(t.get("token_type").asText()).isEqualTo("Bearer");
        assertThat(t.get("expires_in").asLong()).isEqualTo(3600);
        assertThat(t.has("refresh_token")).as("the refresh grant answers no new refresh token").isFalse();
        // a client calls {api_domain}/crm/v8/...
        Resp read = SandboxHttp.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(t.get("api_domain").asText() + READ))
                .header("Authorization", "Zoho-oauthtoken " + t.get("access_token").asText()).build());
        assertThat(read.status()).as(read.body()).isEqualTo(204);
    }

    @Test
    void aRevokedClientsRefreshTokenIsAnsweredInvalidCodeWithHttp200AndItsAccessTokensStopWorking() {
        String access = refresh().json().get("access_token").asText();
        assertThat(adminCall("POST", "/tokens/revoke", null).status()).isEqualTo(204);
        Resp refused = refresh();
        assertThat(refused.status()).isEqualTo(200);
        assertThat(refused.body()).isEqualTo("{\"error\":\"invalid_code\"}");
        invalidToken(withToken(access));

        assertThat(adminCall("POST", "/tokens/restore", null).status()).isEqualTo(204);
        assertThat(withToken(refresh().json().get("access_token").asText()).status()).isEqualTo(204);
    }

    @Test
    void theAuthorizationCodeGrantAnswersARefreshTokenOnce() {
        Map<String, String> form = Map.of("grant_type", "authorization_code", "client_id", CLIENT_ID, "client_secret", CLIENT_SECRET,
                "redirect_uri", "https://callbridge.example/oauth", "code", ZohoSandbox.DEFAULT_GRANT_CODE);
        JsonNode t = SandboxHttp.form(base() + "/oauth/v2/token", form).json();
        String refresh = t.get("refresh_token").asText();
        assertThat(refresh).startsWith("1000.").isNotEqualTo(REFRESH_TOKEN);
        assertThat(withToken(t.get("access_token").asText()).status()).isEqualTo(204);
        Resp again = SandboxHttp.form(base() + "/oauth/v2/token", form);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.body()).isEqualTo("{\"error\":\"invalid_code\"}");
        Resp byNewRefresh = SandboxHttp.form(base() + "/oauth/v2/token", Map.of("grant_type", "refresh_token", "client_id", CLIENT_ID,
                "client_secret", CLIENT_SECRET, "refresh_token", refresh));
        assertThat(byNewRefresh.json().has("access_token")).as(byNewRefresh.body()).isTrue();
    }

    @Test
    void tokenEndpointErrorsComeWithHttp200() {
        Resp wrongClient = SandboxHttp.form(base() + "/oauth/v2/token", Map.of("grant_type", "refresh_token", "client_id", "1000.OTHER",
                "client_secret", CLIENT_SECRET, "refresh_token", REFRESH_TOKEN));
        assertThat(wrongClient.status()).isEqualTo(200);
        assertThat(wrongClient.body()).isEqualTo("{\"error\":\"invalid_client\"}");
        Resp wrongSecret = SandboxHttp.form(base() + "/oauth/v2/token", Map.of("grant_type", "refresh_token", "client_id", CLIENT_ID,
                "client_secret", "nope", "refresh_token", REFRESH_TOKEN));
        assertThat(wrongSecret.body()).isEqualTo("{\"error\":\"invalid_client\"}");
        Resp badRefresh = SandboxHttp.form(base() + "/oauth/v2/token", Map.of("grant_type", "refresh_token", "client_id", CLIENT_ID,
                "client_secret", CLIENT_SECRET, "refresh_token", "1000.revoked"));
        assertThat(badRefresh.status()).isEqualTo(200);
        assertThat(badRefresh.body()).isEqualTo("{\"error\":\"invalid_code\"}");
        Resp badCode = SandboxHttp.form(base() + "/oauth/v2/token", Map.of("grant_type", "authorization_code", "client_id", CLIENT_ID,
                "client_secret", CLIENT_SECRET, "code", "1000.expired"));
        assertThat(badCode.body()).isEqualTo("{\"error\":\"invalid_code\"}");
        // Zoho's own examples send the fields in the query string of the POST
        Resp inQuery = SandboxHttp.send("POST", base() + "/oauth/v2/token?grant_type=refresh_token&client_id=" + enc(CLIENT_ID)
                + "&client_secret=" + enc(CLIENT_SECRET) + "&refresh_token=" + enc(REFRESH_TOKEN), null, null, null);
        assertThat(inQuery.json().has("access_token")).as(inQuery.body()).isTrue();
    }

    @Test
    void tenAccessTokensPerRefreshTokenPerRollingTenMinutesThenAccessDenied() {
        for (int i = 1; i < 10; i++) { // the test setup took the first
            clock.advance(Duration.ofSeconds(30));
            assertThat(refresh().json().has("access_token")).isTrue();
        }
        Resp denied = refresh();
        assertThat(denied.status()).isEqualTo(200);
        assertThat(denied.json().get("error").asText()).isEqualTo("Access Denied");
        assertThat(denied.json().get("error_description").asText())
                .isEqualTo("You have made too many requests continuously. Please try again after some time.");
        assertThat(withToken(token).status()).as("issued tokens keep working").isEqualTo(204);
        // the window rolls: 10 minutes after the first issue, one slot is free again, and only one
        clock.advance(Duration.ofSeconds(600 - 270));
        assertThat(refresh().json().has("access_token")).isTrue();
        assertThat(refresh().json().get("error").asText()).isEqualTo("Access Denied");
    }

    @Test
    void theSixteenthLiveTokenOfARefreshTokenEvictsTheOldest() {
        List<String> tokens = new ArrayList<>(List.of(token));
        for (int i = 1; i < 16; i++) {
            if (i % 10 == 0) clock.advance(Duration.ofMinutes(10));
            tokens.add(refresh().json().get("access_token").asText());
        }
        assertThat(tokens).doesNotHaveDuplicates().hasSize(16);
        invalidToken(withToken(tokens.get(0)));
        assertThat(withToken(tokens.get(1)).status()).isEqualTo(204);
        assertThat(withToken(tokens.get(15)).status()).isEqualTo(204);
    }

    @Test
    void anAccessTokenLivesAnHour() {
        clock.advance(Duration.ofSeconds(3599));
        assertThat(withToken(token).status()).isEqualTo(204);
        clock.advance(Duration.ofSeconds(1));
        invalidToken(withToken(token));
    }

    @Test
    void missingUnknownOrWronglyPresentedTokens() {
        invalidToken(callWith("GET", READ, Map.of(), null));
        invalidToken(withToken("1000.unknown.token"));
        Resp bearer = callWith("GET", READ, Map.of("Authorization", "Bearer " + token), null);
        assertThat(bearer.status()).isEqualTo(401);
        assertThat(bearer.body()).isEqualTo("{\"code\":\"AUTHENTICATION_FAILURE\",\"details\":{},\"message\":\"Authentication failed\",\"status\":\"error\"}");
    }

    @Test
    void expiringTokensThroughTheAdminApiInvalidatesEveryAccessTokenButNotTheRefreshToken() {
        String second = refresh().json().get("access_token").asText();
        assertThat(adminCall("POST", "/tokens/expire", null).status()).isEqualTo(204);
        invalidToken(withToken(token));
        invalidToken(withToken(second));
        assertThat(withToken(refresh().json().get("access_token").asText()).status()).isEqualTo(204);
    }

    @Test
    void theCurrentUserIsTheOneTheTokensBelongTo() {
        Resp me = call("GET", "/crm/v8/users?type=CurrentUser", null);
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.json().get("users")).hasSize(1);
        assertThat(me.json().at("/users/0/id").asText()).isEqualTo(OWNER);
        assertThat(me.json().at("/users/0/email").asText()).isEqualTo("claire.martin@example.test");
        assertThat(call("GET", "/crm/v8/users", null).json().get("users")).hasSize(2);
        assertThat(call("GET", "/crm/v8/users/" + OTHER_USER, null).json().at("/users/0/full_name").asText()).isEqualTo("Marc Rochat");
        noContent(call("GET", "/crm/v8/users/4876876000000999999", null));
        invalidToken(callWith("GET", "/crm/v8/users?type=CurrentUser", Map.of(), null));
    }

    @Test
    void theSandboxGivesTheConnectorItsCredentials() {
        assertThat(sandbox.crm("zoho").clientSettings()).containsOnly(Map.entry("client-id", CLIENT_ID),
                Map.entry("client-secret", CLIENT_SECRET), Map.entry("refresh-token", REFRESH_TOKEN));
    }
}
