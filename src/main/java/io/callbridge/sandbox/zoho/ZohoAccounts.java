package io.callbridge.sandbox.zoho;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callbridge.sandbox.Json;
import io.callbridge.sandbox.SandboxRequest;
import io.callbridge.sandbox.SandboxResponse;

/**
 * Zoho's accounts server, {@code POST /oauth/v2/token} (form fields, in the body or the query string as Zoho's own
 * examples send them), and the check of {@code Authorization: Zoho-oauthtoken …} on API calls.
 *
 * <p>Grants: {@code refresh_token} (no new refresh token in the answer) and {@code authorization_code} with the
 * configured grant code, usable once, which answers a new refresh token too. Limits as Zoho documents them: at most
 * {@code refresh-limit} access tokens per refresh token per rolling 10 minutes, then "Access Denied"; at most
 * {@code max-live-tokens} live access tokens per refresh token, a new one evicting the oldest. Every refusal of the
 * token endpoint is HTTP 200 with an {@code error} field, as Zoho answers them; a wrong secret answers
 * {@code invalid_client} like a wrong client id.
 */
final class ZohoAccounts {

    static final long REFRESH_WINDOW_MILLIS = 10 * 60 * 1000;
    private static final String SCOPE = "ZohoCRM.modules.ALL ZohoCRM.coql.READ ZohoCRM.settings.ALL";

    private final Clock clock;
    private final Supplier<Random> random;
    private final String clientId;
    private final String clientSecret;
    private final String configuredRefreshToken;
    private final String grantCode;
    private final long lifetimeSeconds;
    private final int refreshLimit;
    private final int maxLiveTokens;

    private final Set<String> refreshTokens = new LinkedHashSet<>();
    private final Map<String, Deque<Long>> issuedAt = new HashMap<>();
    private final Map<String, LinkedHashMap<String, Instant>> live = new HashMap<>();
    private final Map<String, Instant> accessTokens = new HashMap<>();
    private boolean grantCodeUsed;
    private boolean revoked;

    ZohoAccounts(Clock clock, Supplier<Random> random, String clientId, String clientSecret, String refreshToken, String grantCode,
                 long lifetimeSeconds, int refreshLimit, int maxLiveTokens) {
        this.clock = clock;
        this.random = random;
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.configuredRefreshToken = refreshToken;
        this.grantCode = grantCode;
        this.lifetimeSeconds = lifetimeSeconds;
        this.refreshLimit = refreshLimit;
        this.maxLiveTokens = maxLiveTokens;
        reset();
    }

    void reset() {
        refreshTokens.clear();
        refreshTokens.add(configuredRefreshToken);
        issuedAt.clear();
        live.clear();
        accessTokens.clear();
        grantCodeUsed = false;
        revoked = false;
    }

    /** Every access token stops working now; refresh tokens stay valid. */
    void expireAll() {
        live.clear();
        accessTokens.clear();
    }

    /** Revoked: every refresh token is refused as one Zoho does not know, and the access tokens stop working; or accepted again. */
    void revoke(boolean now) {
        revoked = now;
        if (now) {
            expireAll();
        }
    }

    /** {@code POST /oauth/v2/token}; {@code apiDomain} is where the client then calls {@code /crm/v8/…}. */
    SandboxResponse token(SandboxRequest req, String apiDomain) {
        if (!req.method().equals("POST")) return SandboxResponse.json(405, Json.object().put("error", "invalid_request"));
        Map<String, String> f = req.form();
        if (!clientId.equals(f.get("client_id")) || !clientSecret.equals(f.get("client_secret"))) return error("invalid_client");
        String refresh;
        boolean newRefreshToken = false;
        switch (f.getOrDefault("grant_type", "")) {
            case "refresh_token" -> {
                refresh = f.get("refresh_token");
                if (refresh == null || !refreshTokens.contains(refresh) || revoked) return error("invalid_code");
            }
            case "authorization_code" -> {
                if (grantCodeUsed || !grantCode.equals(f.get("code"))) return error("invalid_code");
                grantCodeUsed = true;
                refresh = "1000." + hex() + "." + hex();
                refreshTokens.add(refresh);
                newRefreshToken = true;
            }
            default -> {
                return error("unsupported_grant_type");
            }
        }
        long now = clock.millis();
        Deque<Long> times = issuedAt.computeIfAbsent(refresh, k -> new ArrayDeque<>());
        while (!times.isEmpty() && times.peekFirst() <= now - REFRESH_WINDOW_MILLIS) times.pollFirst();
        if (times.size() >= refreshLimit) {
            return SandboxResponse.json(200, Json.object().put("error_description",
                    "You have made too many requests continuously. Please try again after some time.").put("error", "Access Denied"));
        }
        times.addLast(now);
        String access = "1000." + hex() + "." + hex();
        LinkedHashMap<String, Instant> mine = live.computeIfAbsent(refresh, k -> new LinkedHashMap<>());
        mine.entrySet().removeIf(e -> !e.getValue().isAfter(clock.instant()));
        for (Iterator<String> it = mine.keySet().iterator(); mine.size() >= maxLiveTokens && it.hasNext(); ) {
            accessTokens.remove(it.next());
            it.remove();
        }
        Instant expiry = clock.instant().plusSeconds(lifetimeSeconds);
        mine.put(access, expiry);
        accessTokens.put(access, expiry);
        ObjectNode o = Json.object();
        o.put("access_token", access);
        if (newRefreshToken) o.put("refresh_token", refresh);
        o.put("scope", SCOPE);
        o.put("api_domain", apiDomain);
        o.put("token_type", "Bearer");
        o.put("expires_in", lifetimeSeconds);
        return SandboxResponse.json(200, o);
    }

    /** Null when the call carries a live access token, else the error to answer. */
    ZohoError check(SandboxRequest req) {
        String auth = req.header("authorization");
        if (auth == null || auth.isBlank()) return ZohoError.invalidToken();
        String prefix = "Zoho-oauthtoken ";
        if (!auth.regionMatches(true, 0, prefix, 0, prefix.length())) return ZohoError.authenticationFailure();
        Instant expiry = accessTokens.get(auth.substring(prefix.length()).trim());
        if (expiry == null || !expiry.isAfter(clock.instant())) return ZohoError.invalidToken();
        return null;
    }

    private static SandboxResponse error(String error) {
        return SandboxResponse.json(200, Json.object().put("error", error));
    }

    private String hex() {
        Random r = random.get();
        synchronized (r) {
            return String.format("%016x%016x", r.nextLong(), r.nextLong());
        }
    }
}
