package io.callbridge.crm.hubspot;

import java.util.Map;

import io.callbridge.crm.RefreshTokenAuth;
import io.callbridge.support.RefreshTokenAuthContract;

/** A HubSpot OAuth app's tokens from the sandbox's {@code POST /oauth/v1/token}, form-encoded as HubSpot documents it. */
class HubSpotAuthTest extends RefreshTokenAuthContract {

    private static final String CLIENT_ID = "hs-client";

    @Override
    protected String crm() {
        return "hubspot";
    }

    @Override
    protected Map<String, String> sandboxApp(long lifetimeSeconds) {
        return Map.of("client-id", CLIENT_ID, "client-secret", clientSecret(), "refresh-token", refreshToken(),
                "token-lifetime-seconds", Long.toString(lifetimeSeconds));
    }

    @Override
    protected RefreshTokenAuth auth(String clientSecret) {
        return new HubSpotAuth(http, sandbox.baseUrl("hubspot"), CLIENT_ID, clientSecret, refreshToken(), 300, clock);
    }

    @Override
    protected String clientSecret() {
        return "hs-secret-8f2d";
    }

    @Override
    protected String refreshToken() {
        return "hs-refresh-3c9a";
    }

    @Override
    protected String tokenPath() {
        return "/oauth/v1/token";
    }

    @Override
    protected String readPath() {
        return "/crm/v3/owners";
    }

    @Override
    protected String revoked() {
        return "400 BAD_REFRESH_TOKEN";
    }

    @Override
    protected String wrongClient() {
        return "400 BAD_CLIENT_ID";
    }
}
