package io.callbridge.crm.pipedrive;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;

import io.callbridge.crm.CrmHttp;
import io.callbridge.crm.RefreshTokenAuth;

/**
 * A Pipedrive OAuth app's access token (about an hour), from its refresh token at {@code <oauth-url>/oauth/token}
 * ({@code grant_type=refresh_token}, the app's client id and secret as HTTP Basic, as Pipedrive documents it). Pipedrive
 * may answer a new refresh token with the access token: the shared refresh keeps the newest. A refused refresh answers
 * 400 {@code invalid_grant} (the app was uninstalled, or the refresh token unused for 60 days) or 401 (wrong client).
 * Requests then go to {@code base-url} with the bearer token, as with the API token; the answer's {@code api_domain} (the
 * company's own host) is not used.
 */
final class PipedriveAuth extends RefreshTokenAuth {

    private final String tokenUrl;
    private final String basic;

    PipedriveAuth(CrmHttp http, String oauthUrl, String clientId, String clientSecret, String refreshToken, long aheadSeconds,
            Clock clock) {
        super(PipedriveCrm.NAME, http, refreshToken, aheadSeconds, clock);
        this.tokenUrl = oauthUrl.replaceAll("/+$", "") + "/oauth/token";
        this.basic = "Basic " + Base64.getEncoder().encodeToString((clientId + ":" + clientSecret).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    protected HttpRequest refreshRequest(CrmHttp http, String refreshToken) {
        return formPost(http, tokenUrl, "grant_type", "refresh_token", "refresh_token", refreshToken).header("Authorization", basic).build();
    }

    @Override
    protected String settingsToCheck() {
        return "callbridge.crm.pipedrive.oauth-url, client-id, client-secret or refresh-token";
    }
}
