package io.callbridge.crm.hubspot;

import java.net.http.HttpRequest;
import java.time.Clock;

import io.callbridge.crm.CrmHttp;
import io.callbridge.crm.RefreshTokenAuth;

/**
 * A HubSpot OAuth app's access token (30 minutes), from its refresh token at {@code POST /oauth/v1/token} on the API's
 * own host (form-encoded {@code grant_type=refresh_token} with the app's client id and secret, as HubSpot documents it);
 * a refused refresh answers 400 {@code BAD_REFRESH_TOKEN} (the app was uninstalled) or {@code BAD_CLIENT_ID}.
 */
final class HubSpotAuth extends RefreshTokenAuth {

    private final String tokenUrl;
    private final String clientId;
    private final String clientSecret;

    HubSpotAuth(CrmHttp http, String baseUrl, String clientId, String clientSecret, String refreshToken, long aheadSeconds, Clock clock) {
        super(HubSpotCrm.NAME, http, refreshToken, aheadSeconds, clock);
        this.tokenUrl = baseUrl.replaceAll("/+$", "") + "/oauth/v1/token";
        this.clientId = clientId;
        this.clientSecret = clientSecret;
    }

    @Override
    protected HttpRequest refreshRequest(CrmHttp http, String refreshToken) {
        return formPost(http, tokenUrl, "grant_type", "refresh_token", "client_id", clientId, "client_secret", clientSecret,
                "refresh_token", refreshToken).build();
    }

    @Override
    protected String settingsToCheck() {
        return "callbridge.crm.hubspot.client-id, client-secret or refresh-token";
    }
}
