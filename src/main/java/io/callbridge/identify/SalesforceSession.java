package io.callbridge.identify;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Salesforce OAuth session: client-credentials login (or the refresh-token grant when
 * {@code callbridge.crm.salesforce.refresh-token} is set) at {@code login-url}, the access token and
 * instance URL reused by every request, a fresh login when Salesforce answers 401 INVALID_SESSION_ID.
 * Concurrent requests share one login. Tokens and secrets are never logged.
 */
final class SalesforceSession {

    private static final Logger LOG = LoggerFactory.getLogger(SalesforceSession.class);

    record Session(String accessToken, String instanceUrl) { }

    private final CrmHttp http;
    private final String loginUrl;
    private final String clientId;
    private final String clientSecret;
    private final String refreshToken;
    private final AtomicReference<CompletableFuture<Session>> current = new AtomicReference<>();

    SalesforceSession(CrmHttp http, String loginUrl, String clientId, String clientSecret, String refreshToken) {
        this.http = http;
        this.loginUrl = loginUrl.endsWith("/") ? loginUrl.substring(0, loginUrl.length() - 1) : loginUrl;
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.refreshToken = refreshToken;
    }

    CompletableFuture<Session> session() {
        CompletableFuture<Session> s = current.get();
        if (s != null && !s.isCompletedExceptionally()) {
            return s;
        }
        CompletableFuture<Session> login = new CompletableFuture<>();
        if (!current.compareAndSet(s, login)) {
            return session();
        }
        login().whenComplete((ok, failure) -> {
            if (failure != null) {
                login.completeExceptionally(failure);
            } else {
                login.complete(ok);
            }
        });
        return login;
    }

    /** The session {@code used} was refused: the next {@link #session()} logs in again (once, for everyone). */
    void expired(Session used) {
        CompletableFuture<Session> s = current.get();
        if (s != null && s.isDone() && !s.isCompletedExceptionally() && s.join() == used) {
            current.compareAndSet(s, null);
        }
    }

    private CompletableFuture<Session> login() {
        String form = (refreshToken == null ? "grant_type=client_credentials"
                : "grant_type=refresh_token&refresh_token=" + URLEncoder.encode(refreshToken, StandardCharsets.UTF_8))
                + "&client_id=" + URLEncoder.encode(clientId, StandardCharsets.UTF_8)
                + "&client_secret=" + URLEncoder.encode(clientSecret, StandardCharsets.UTF_8);
        HttpRequest request = http.request(loginUrl + "/services/oauth2/token")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build();
        return http.send("salesforce", request).thenApply(a -> {
            if (!a.ok() || !a.body().hasNonNull("access_token")) {
                LOG.warn("Salesforce login at {} refused: {} {}", loginUrl, a.status(), a.body().path("error").asText(""));
                throw new CrmHttp.CrmException("salesforce", a.status(), "login answered " + a.status() + " "
                        + a.body().path("error").asText(""));
            }
            String instance = a.body().path("instance_url").asText(loginUrl);
            return new Session(a.body().get("access_token").asText(), instance.endsWith("/")
                    ? instance.substring(0, instance.length() - 1) : instance);
        });
    }
}
