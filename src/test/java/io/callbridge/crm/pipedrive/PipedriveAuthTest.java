package io.callbridge.crm.pipedrive;

import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.callbridge.crm.CrmAuth;
import io.callbridge.crm.RefreshTokenAuth;
import io.callbridge.support.RefreshTokenAuthContract;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Pipedrive OAuth app's tokens from the sandbox's {@code POST /oauth/token}, the client as HTTP Basic as Pipedrive
 * documents it; and, when Pipedrive answers a new refresh token with each access token, the newest is the one asked with.
 */
class PipedriveAuthTest extends RefreshTokenAuthContract {

    private static final String CLIENT_ID = "pd-client";
    private boolean rotating;

    @Override
    protected String crm() {
        return "pipedrive";
    }

    @Override
    protected Map<String, String> sandboxApp(long lifetimeSeconds) {
        Map<String, String> c = new HashMap<>(Map.of("client-id", CLIENT_ID, "client-secret", clientSecret(), "refresh-token", refreshToken(),
                "token-lifetime-seconds", Long.toString(lifetimeSeconds)));
        c.put("rotate-refresh-token", Boolean.toString(rotating));
        return c;
    }

    @Override
    protected RefreshTokenAuth auth(String clientSecret) {
        return new PipedriveAuth(http, sandbox.baseUrl("pipedrive"), CLIENT_ID, clientSecret, refreshToken(), 300, clock);
    }

    @Override
    protected String clientSecret() {
        return "pd-secret-51e0";
    }

    @Override
    protected String refreshToken() {
        return "1:1:pd-refresh-77b4";
    }

    @Override
    protected String tokenPath() {
        return "/oauth/token";
    }

    @Override
    protected String readPath() {
        return "/v1/users/me";
    }

    @Override
    protected String revoked() {
        return "400 invalid_grant";
    }

    @Override
    protected String wrongClient() {
        return "401 unauthorized";
    }

    @Test
    void theNewestRefreshTokenIsKeptWhenPipedriveAnswersANewOne() throws Exception {
        rotating = true;
        RefreshTokenAuth auth = start(3600);
        CrmAuth.Credentials first = now(auth);
        auth.refused(first);
        CrmAuth.Credentials second = now(auth);
        auth.refused(second);
        CrmAuth.Credentials third = now(auth);
        assertThat(third).isNotEqualTo(second).isNotEqualTo(first);
        assertThat(refreshes()).isEqualTo(3);
        for (JsonNode r : admin("GET", "/requests")) {
            assertThat(r.path("status").asInt()).as("each refresh asked with the refresh token the last answer gave").isEqualTo(200);
        }
    }
}
