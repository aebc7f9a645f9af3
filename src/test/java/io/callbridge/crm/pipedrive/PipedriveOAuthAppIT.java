package io.callbridge.crm.pipedrive;

import java.util.List;
import java.util.Map;

import io.callbridge.support.CrmFixture;
import io.callbridge.support.RefreshTokenDeliveryContract;

/**
 * Pipedrive with an OAuth app instead of the API token: refreshed at {@code <oauth-url>/oauth/token} with HTTP Basic,
 * refused 400 {@code invalid_grant}; the sandbox answers a new refresh token with every access token and refuses the
 * old one, so every refresh after the first shows Callbridge kept the newest.
 */
class PipedriveOAuthAppIT extends RefreshTokenDeliveryContract {

    private static final String CLIENT_ID = "pd-app-client";
    private static final String CLIENT_SECRET = "pd-app-secret-never-shown";
    private static final String REFRESH_TOKEN = "1:1:pd-refresh-never-shown";

    @Override
    protected CrmFixture fixture() {
        return new PipedriveFixture();
    }

    @Override
    protected Map<String, String> sandboxApp(long lifetimeSeconds) {
        return Map.of("client-id", CLIENT_ID, "client-secret", CLIENT_SECRET, "refresh-token", REFRESH_TOKEN,
                "rotate-refresh-token", "true", "token-lifetime-seconds", Long.toString(lifetimeSeconds));
    }

    @Override
    protected Map<String, String> appSettings(String baseUrl) {
        return Map.of("callbridge.crm.pipedrive.client-id", CLIENT_ID, "callbridge.crm.pipedrive.client-secret", CLIENT_SECRET,
                "callbridge.crm.pipedrive.refresh-token", REFRESH_TOKEN, "callbridge.crm.pipedrive.oauth-url", baseUrl);
    }

    @Override
    protected String tokenPath() {
        return "/oauth/token";
    }

    @Override
    protected String refusal() {
        return "token refresh answered 400 invalid_grant";
    }

    @Override
    protected List<String> secrets() {
        return List.of(CLIENT_SECRET, REFRESH_TOKEN);
    }

    @Override
    protected String numberPrefix() {
        return "+417972";
    }
}
