package io.callbridge.crm.zoho;

import java.net.http.HttpRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.callbridge.crm.CrmException;
import io.callbridge.crm.CrmHttp;
import io.callbridge.crm.RefreshTokenAuth;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Zoho's OAuth 2.0 on the shared refresh ({@link RefreshTokenAuth}): an access token (one hour) from the refresh token
 * at the data centre's accounts server, whose answer also names the API's host ({@code api_domain}). Zoho's own part:
 * its errors come with HTTP 200, and never more than Zoho's refresh limit: past it Zoho answers {@code Access Denied}
 * for minutes, so Callbridge waits instead of asking.
 */
final class ZohoAuth extends RefreshTokenAuth {

    private static final Logger LOG = LoggerFactory.getLogger(ZohoAuth.class);
    private static final Duration REFRESH_WINDOW = Duration.ofMinutes(10);
    /** How long Zoho keeps refusing after {@code Access Denied}: not documented; a minute, then try again. */
    private static final Duration DENIED_PAUSE = Duration.ofMinutes(1);

    private final String accountsUrl;
    private final String clientId;
    private final String clientSecret;
    private final String apiOverride;
    private final int refreshLimit;
    private final Clock clock;
    private final Deque<Instant> refreshes = new ArrayDeque<>();

    ZohoAuth(CrmHttp http, String accountsUrl, String clientId, String clientSecret, String refreshToken, String apiOverride,
            long aheadSeconds, int refreshLimit, Clock clock) {
        super(ZohoCrm.NAME, http, refreshToken, aheadSeconds, clock);
        this.accountsUrl = accountsUrl;
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.apiOverride = apiOverride == null || apiOverride.isBlank() ? null : apiOverride.replaceAll("/+$", "");
        this.refreshLimit = Math.max(1, refreshLimit);
        this.clock = clock;
    }

    @Override
    protected HttpRequest refreshRequest(CrmHttp http, String refreshToken) {
        return formPost(http, accountsUrl + "/oauth/v2/token", "grant_type", "refresh_token", "client_id", clientId,
                "client_secret", clientSecret, "refresh_token", refreshToken).build();
    }

    @Override
    protected Credentials credentials(String accessToken, JsonNode answer) {
        String api = apiOverride != null ? apiOverride : answer.path("api_domain").asText("").replaceAll("/+$", "");
        if (api.isEmpty()) {
            throw CrmException.failed(ZohoCrm.NAME, 502, "token refresh", "no api_domain");
        }
        return new Credentials(Map.of("Authorization", "Zoho-oauthtoken " + accessToken), api);
    }

    @Override
    protected String settingsToCheck() {
        return "accounts-url (the org's data centre), client-id, client-secret or refresh-token";
    }

    /** The lifetime in seconds; legacy answers give it in milliseconds as {@code expires_in} next to {@code expires_in_sec}. */
    @Override
    protected Duration lifetime(JsonNode answer) {
        long seconds = answer.has("expires_in_sec") ? answer.path("expires_in_sec").asLong() : answer.path("expires_in").asLong(3600);
        return Duration.ofSeconds(Math.max(1, seconds));
    }

    @Override
    protected void beforeRefresh() {
        Duration wait = slot();
        if (!wait.isZero()) {
            LOG.warn("zoho: {} token refreshes in 10 minutes already; the next one in {} s", refreshLimit, wait.toSeconds());
            throw CrmException.deferred(ZohoCrm.NAME, wait, "Zoho's token refresh limit is reached");
        }
    }

    /** Too many refreshes: Zoho answers {@code Access Denied} with HTTP 200; waiting a minute is the cure, not an operator. */
    @Override
    protected void check(CrmHttp.Answer answer, String error) {
        if (error.equalsIgnoreCase("Access Denied")) {
            LOG.warn("zoho: the accounts server refused a token refresh (too many); waiting {} s", DENIED_PAUSE.toSeconds());
            throw CrmException.deferred(ZohoCrm.NAME, DENIED_PAUSE, "Zoho refused the token refresh (Access Denied)");
        }
    }

    /** Books a refresh within the limit: zero, or how long until one is allowed. */
    private synchronized Duration slot() {
        Instant now = clock.instant();
        while (!refreshes.isEmpty() && !refreshes.peekFirst().plus(REFRESH_WINDOW).isAfter(now)) {
            refreshes.removeFirst();
        }
        if (refreshes.size() >= refreshLimit) {
            return Duration.between(now, refreshes.peekFirst().plus(REFRESH_WINDOW));
        }
        refreshes.addLast(now);
        return Duration.ZERO;
    }
}
