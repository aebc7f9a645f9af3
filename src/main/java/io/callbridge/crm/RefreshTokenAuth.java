package io.callbridge.crm;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.JsonNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OAuth 2.0's refresh-token grant (RFC 6749, section 6), written once for every CRM whose access tokens expire
 * (HubSpot's and Pipedrive's OAuth apps, Zoho): the access token comes from the CRM's token endpoint and is refreshed
 * ahead of its expiry ({@code expires_in}), by one request for every thread, lookups and delivery alike, and after a
 * 401. A refresh token the CRM answers anew (rotation) replaces the one in use. A refusal of the token request (4xx,
 * e.g. 400 {@code invalid_grant} once an admin revoked the app) is {@link CrmException#credentialsRefused}: the
 * breaker opens, readiness is down, nothing is dead-lettered, and the refresh is asked again at most every
 * {@value #REFUSAL_PAUSE_SECONDS} s; an outage of the endpoint (5xx, 408, 429, no answer) is retried like any other.
 * The CRM's own part: its refresh request, the credentials a token makes, and what its answers mean beyond this.
 */
public abstract class RefreshTokenAuth extends RenewingAuth {

    static final long REFUSAL_PAUSE_SECONDS = 5;
    private static final Logger LOG = LoggerFactory.getLogger(RefreshTokenAuth.class);
    private static final Set<Integer> OUTAGE_4XX = Set.of(408, 429);

    private final String crm;
    private final CrmHttp http;
    private final Duration ahead;
    private final Clock clock;
    private volatile String refreshToken;
    private volatile Issued current;

    private record Issued(Credentials credentials, Instant expires, Duration lifetime) {
    }

    /** {@code aheadSeconds}: how long before its expiry the token is refreshed, at most a tenth of its lifetime. */
    protected RefreshTokenAuth(String crm, CrmHttp http, String refreshToken, long aheadSeconds, Clock clock) {
        super(clock, Duration.ofSeconds(REFUSAL_PAUSE_SECONDS));
        this.crm = crm;
        this.http = http;
        this.refreshToken = refreshToken;
        this.ahead = Duration.ofSeconds(Math.max(0, aheadSeconds));
        this.clock = clock;
    }

    /** The refresh request for {@code refreshToken}: the CRM's token endpoint, its client authentication, its form. */
    protected abstract HttpRequest refreshRequest(CrmHttp http, String refreshToken);

    /**
     * What an access token authenticates a request with, and the API's URL when the answer names it: by default a bearer
     * token (RFC 6750) for the configured {@code base-url}.
     */
    protected Credentials credentials(String accessToken, JsonNode answer) {
        return new Credentials(Map.of("Authorization", "Bearer " + accessToken), null);
    }

    /** A form-encoded POST to the token endpoint, {@code fields} as name, value, name, value … (RFC 6749's token request). */
    protected static HttpRequest.Builder formPost(CrmHttp http, String url, String... fields) {
        StringBuilder form = new StringBuilder();
        for (int i = 0; i + 1 < fields.length; i += 2) {
            form.append(form.length() == 0 ? "" : "&").append(URLEncoder.encode(fields[i], StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(fields[i + 1], StandardCharsets.UTF_8));
        }
        return http.request(url).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form.toString()));
    }

    /** The settings an operator checks when the CRM refuses the refresh, for the log. */
    protected abstract String settingsToCheck();

    /** Before every refresh: a CRM's own limit on refreshes may throw {@link CrmException#deferred} to wait instead of asking. */
    protected void beforeRefresh() {
    }

    /** A CRM's own reading of a token answer, before the standard one: it may throw (Zoho's {@code Access Denied} defers). */
    protected void check(CrmHttp.Answer answer, String error) {
    }

    /** The access token's lifetime the answer gives. */
    protected Duration lifetime(JsonNode answer) {
        return Duration.ofSeconds(Math.max(1, answer.path("expires_in").asLong(3600)));
    }

    /** The CRM's error code in a token answer: RFC 6749's {@code error}, or HubSpot's {@code status} / {@code category}. */
    protected String errorCode(JsonNode answer) {
        for (String field : new String[] {"error", "status", "category"}) {
            String code = answer.path(field).asText("");
            if (!code.isEmpty() && !code.equals("error")) {
                return code;
            }
        }
        return "";
    }

    @Override
    public Set<String> expiring() {
        return Set.of("access_token");
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
        beforeRefresh();
        return http.send(crm, CrmMetrics.TOKEN, refreshRequest(http, refreshToken)).thenApply(this::issued);
    }

    private Credentials issued(CrmHttp.Answer a) {
        JsonNode body = a.body();
        String error = errorCode(body);
        check(a, error);
        if (!a.ok() || !body.path("access_token").isTextual()) {
            throw refusal(a, error);
        }
        Duration lifetime = lifetime(body);
        Credentials credentials = credentials(body.get("access_token").asText(), body);
        String rotated = body.path("refresh_token").asText("");
        if (!rotated.isEmpty() && !rotated.equals(refreshToken)) {
            // the CRM may invalidate the old one as it answers the new: only the newest is asked with from now on
            refreshToken = rotated;
            LOG.info("{}: the CRM issued a new refresh token with this access token; it replaces the configured one until restart", crm);
        }
        current = new Issued(credentials, clock.instant().plus(lifetime), lifetime);
        LOG.info("{}: access token refreshed, valid {} s{}", crm, lifetime.toSeconds(),
                credentials.apiUrl() == null ? "" : ", API at " + credentials.apiUrl());
        return credentials;
    }

    private CrmException refusal(CrmHttp.Answer a, String error) {
        if (a.status() >= 500 || OUTAGE_4XX.contains(a.status())) {
            LOG.warn("{}: the token endpoint answered {}; the refresh is tried again", crm, a.status());
            return CrmException.failed(crm, a.status(), "token refresh", error);
        }
        // a 2xx without a token is a refusal in the CRM's own words (Zoho answers its errors with 200)
        int status = a.ok() ? 401 : a.status();
        LOG.error("{}: token refresh refused ({}): an admin may have revoked Callbridge's access, or {} is wrong; deliveries wait, "
                + "nothing is set aside", crm, error.isEmpty() ? "HTTP " + a.status() : error, settingsToCheck());
        return CrmException.credentialsRefused(crm, status, "token refresh", error);
    }
}
