package io.callbridge.crm.hubspot;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.callbridge.crm.CrmHttp;
import io.callbridge.crm.RefreshTokenAuth;

/**
 * A HubSpot OAuth app's access token (30 minutes), from its refresh token at {@code POST /oauth/v1/token} on the API's
 * own host (form-encoded {@code grant_type=refresh_token} with the app's client id and secret, as HubSpot documents it);
 * a refused refresh answers 400 {@code BAD_REFRESH_TOKEN} (the app was uninstalled) or {@code BAD_CLIENT_ID}.
 */
final class HubSpotAuth extends RefreshTokenAuth {

    private final String tokenUrl;
    private final String client;

    HubSpotAuth(CrmHttp http, String baseUrl, String clientId, String clientSecret, String refreshToken, long aheadSeconds, Clock clock) {
        super(HubSpotCrm.NAME, http, refreshToken, aheadSeconds, clock);
        this.tokenUrl = baseUrl.replaceAll("/+$", "") + "/oauth/v1/token";
        this.client = "client_id=" + enc(clientId) + "&client_secret=" + enc(clientSecret);
    }

    @Override
    protected HttpRequest refreshRequest(CrmHttp http, String refreshToken) {
        return http.request(tokenUrl).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=refresh_token&" + client + "&refresh_token=" + enc(refreshToken)))
                .build();
    }

    @Override
    protected Credentials credentials(String accessToken, JsonNode answer) {
        return new Credentials(Map.of("Authorization", "Bearer " + accessToken), null);
    }

    @Override
    protected String settingsToCheck() {
        return "callbridge.crm.hubspot.client-id, client-secret or refresh-token";
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
