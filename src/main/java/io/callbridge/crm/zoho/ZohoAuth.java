package io.callbridge.crm.zoho;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.JsonNode;
import io.callbridge.crm.CrmException;
import io.callbridge.crm.CrmHttp;
import io.callbridge.crm.RenewingAuth;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Zoho's OAuth 2.0: an access token (one hour) from the refresh token at the data centre's accounts server, whose
 * answer also names the API's host ({@code api_domain}). One refresh for every thread (lookups and delivery), started
 * ahead of expiry so no request carries a token about to lapse, and never more than Zoho's refresh limit: past it
 * Zoho answers {@code Access Denied} for minutes, so Callbridge waits instead of asking.
 */
final class ZohoAuth extends RenewingAuth {

    private static final Logger LOG = LoggerFactory.getLogger(ZohoAuth.class);
    private static final Duration REFRESH_WINDOW = Duration.ofMinutes(10);
    /** How long Zoho keeps refusing after {@code Access Denied}: not documented; a minute, then try again. */
    private static final Duration DENIED_PAUSE = Duration.ofMinutes(1);

    private final CrmHttp http;
    private final String accountsUrl;
    private final String form;
    private final String apiOverride;
    private final long aheadSeconds;
    private final int refreshLimit;
    private final Clock clock;
    private final Deque<Instant> refreshes = new ArrayDeque<>();
    private volatile Issued current;

    private record Issued(Credentials credentials, Instant expires, Duration lifetime) {
    }

    ZohoAuth(CrmHttp http, String accountsUrl, String clientId, String clientSecret, String refreshToken, String apiOverride,
            long aheadSeconds, int refreshLimit, Clock clock) {
        this.http = http;
        this.accountsUrl = accountsUrl;
        this.form = "grant_type=refresh_token&client_id=" + enc(clientId) + "&client_secret=" + enc(clientSecret)
                + "&refresh_token=" + enc(refreshToken);
        this.apiOverride = apiOverride == null || apiOverride.isBlank() ? null : apiOverride.replaceAll("/+$", "");
        this.aheadSeconds = aheadSeconds;
        this.refreshLimit = Math.max(1, refreshLimit);
        this.clock = clock;
    }

    @Override
    public java.util.Set<String> expiring() {
        return java.util.Set.of("access_token");
    }

    @Override
    public Map<String, Instant> expiries() {
        Issued issued = current;
        return issued == null ? Map.of() : Map.of("access_token", issued.expires());
    }

    /** The current token, refreshed first (once, for everyone) when it is about to expire. */
    @Override
    public CompletableFuture<Credentials> credentials() {
        CompletableFuture<Credentials> known = super.credentials();
        Issued issued = current;
        if (known.isDone() && !known.isCompletedExceptionally() && issued != null && known.join().equals(issued.credentials())) {
            Duration ahead = Duration.ofSeconds(aheadSeconds);
            Duration tenth = issued.lifetime().dividedBy(10);
            if (clock.instant().plus(ahead.compareTo(tenth) < 0 ? ahead : tenth).isAfter(issued.expires())) {
                refused(issued.credentials());
                return super.credentials();
            }
        }
        return known;
    }

    @Override
    protected CompletableFuture<Credentials> login(Credentials refused) {
        Duration wait = slot();
        if (!wait.isZero()) {
            LOG.warn("zoho: {} token refreshes in 10 minutes already; the next one in {} s", refreshLimit, wait.toSeconds());
            return CompletableFuture.failedFuture(CrmException.deferred(ZohoCrm.NAME, wait, "Zoho's token refresh limit is reached"));
        }
        HttpRequest request = http.request(accountsUrl + "/oauth/v2/token").header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build();
        return http.send(ZohoCrm.NAME, io.callbridge.crm.CrmMetrics.TOKEN, request).thenApply(this::issued);
    }

    /** Zoho answers its token errors with HTTP 200 and {@code error}; the token's lifetime in seconds (ms in legacy answers). */
    private Credentials issued(CrmHttp.Answer a) {
        JsonNode body = a.body();
        String error = body.path("error").asText("");
        if (!a.ok() || !error.isEmpty() || !body.path("access_token").isTextual()) {
            if (error.equalsIgnoreCase("Access Denied")) {
                LOG.warn("zoho: the accounts server refused a token refresh (too many); waiting {} s", DENIED_PAUSE.toSeconds());
                throw CrmException.deferred(ZohoCrm.NAME, DENIED_PAUSE, "Zoho refused the token refresh (Access Denied)");
            }
            LOG.error("zoho: token refresh refused ({}): check accounts-url (the org's data centre), client-id, client-secret "
                    + "and refresh-token", error.isEmpty() ? a.status() : error);
            throw CrmException.failed(ZohoCrm.NAME, a.ok() ? 401 : a.status(), "token refresh", error);
        }
        long expiresIn = body.has("expires_in_sec") ? body.path("expires_in_sec").asLong() : body.path("expires_in").asLong(3600);
        Duration lifetime = Duration.ofSeconds(Math.max(1, expiresIn));
        String api = apiOverride != null ? apiOverride : body.path("api_domain").asText("").replaceAll("/+$", "");
        if (api.isEmpty()) {
            throw CrmException.failed(ZohoCrm.NAME, 502, "token refresh", "no api_domain");
        }
        Credentials credentials = new Credentials(Map.of("Authorization", "Zoho-oauthtoken " + body.get("access_token").asText()), api);
        current = new Issued(credentials, clock.instant().plus(lifetime), lifetime);
        LOG.info("zoho: access token refreshed, valid {} s, API at {}", lifetime.toSeconds(), api);
        return credentials;
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

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
