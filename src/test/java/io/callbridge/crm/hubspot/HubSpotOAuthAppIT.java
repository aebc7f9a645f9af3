package io.callbridge.crm.hubspot;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.callbridge.support.CrmFixture;
import io.callbridge.support.RefreshTokenDeliveryContract;

/**
 * HubSpot with an OAuth app instead of the private-app token: refreshed at {@code /oauth/v1/token}, refused 400
 * {@code BAD_REFRESH_TOKEN}; the client secret and the refresh token come from files ({@code <key>.file}), as secrets should.
 */
class HubSpotOAuthAppIT extends RefreshTokenDeliveryContract {

    private static final String CLIENT_ID = "hs-app-client";
    private static final String CLIENT_SECRET = "hs-app-secret-never-shown";
    private static final String REFRESH_TOKEN = "hs-refresh-never-shown";

    @Override
    protected CrmFixture fixture() {
        return new HubSpotFixture();
    }

    @Override
    protected Map<String, String> sandboxApp(long lifetimeSeconds) {
        return Map.of("client-id", CLIENT_ID, "client-secret", CLIENT_SECRET, "refresh-token", REFRESH_TOKEN,
                "token-lifetime-seconds", Long.toString(lifetimeSeconds));
    }

    @Override
    protected Map<String, String> appSettings(String baseUrl) {
        return Map.of("callbridge.crm.hubspot.client-id", CLIENT_ID, "callbridge.crm.hubspot.client-secret.file", file(CLIENT_SECRET),
                "callbridge.crm.hubspot.refresh-token.file", file(REFRESH_TOKEN));
    }

    private static String file(String secret) {
        try {
            Path f = Files.createTempFile("hubspot-secret", ".txt");
            f.toFile().deleteOnExit();
            return Files.writeString(f, secret + "\n").toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected String tokenPath() {
        return "/oauth/v1/token";
    }

    @Override
    protected String refusal() {
        return "token refresh answered 400 BAD_REFRESH_TOKEN";
    }

    @Override
    protected List<String> secrets() {
        return List.of(CLIENT_SECRET, REFRESH_TOKEN);
    }

    @Override
    protected String numberPrefix() {
        return "+417971";
    }
}
