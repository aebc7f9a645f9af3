package io.callbridge.support;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import io.callbridge.crm.CrmAuth;
import io.callbridge.crm.CrmException;
import io.callbridge.crm.CrmHttp;
import io.callbridge.crm.CrmMetrics;
import io.callbridge.crm.RefreshTokenAuth;
import io.callbridge.sandbox.CrmSandbox;
import io.callbridge.sandbox.SandboxSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * One CRM's refresh-token authentication ({@link RefreshTokenAuth}) against its sandbox's token endpoint over HTTP,
 * with a clock the test moves: refreshed ahead of expiry once for every thread; a revoked refresh token is refused
 * as the CRM words it, asked again only after a pause, and accepted once restored; a wrong client is refused too; an
 * outage of the endpoint is no refusal and is asked again at once. One subclass per CRM.
 */
public abstract class RefreshTokenAuthContract {

    protected final OffsetClock clock = new OffsetClock();
    protected final CrmHttp http = new CrmHttp(Duration.ofSeconds(5), CrmMetrics.none());
    protected CrmSandbox sandbox;

    protected abstract String crm();

    /** The sandbox's keys of the CRM's OAuth app, its access tokens living {@code lifetimeSeconds}. */
    protected abstract Map<String, String> sandboxApp(long lifetimeSeconds);

    /** The authentication under test against {@link #sandbox}, refreshing 300 s ahead, with the app's client and this secret. */
    protected abstract RefreshTokenAuth auth(String clientSecret);

    protected abstract String clientSecret();

    protected abstract String refreshToken();

    /** The token endpoint's path in the sandbox's journal. */
    protected abstract String tokenPath();

    /** An authenticated read of the API, relative to the API's URL. */
    protected abstract String readPath();

    /** How a revoked refresh token is refused: the status Callbridge reports and the CRM's error code. */
    protected abstract String revoked();

    /** How a wrong client secret is refused. */
    protected abstract String wrongClient();

    @AfterEach
    void stopSandbox() {
        http.close();
        if (sandbox != null) {
            sandbox.close();
        }
    }

    protected RefreshTokenAuth start(long lifetimeSeconds) {
        sandbox = CrmSandbox.start(SandboxSettings.builder().port(0).crm(crm()).config(crm(), sandboxApp(lifetimeSeconds)).build());
        return auth(clientSecret());
    }

    protected static CrmAuth.Credentials now(CrmAuth auth) throws Exception {
        return auth.credentials().get(10, TimeUnit.SECONDS);
    }

    /** Requests the sandbox's journal shows to the token endpoint. */
    protected long refreshes() {
        long n = 0;
        for (JsonNode e : admin("GET", "/requests")) {
            n += e.path("path").asText().equals(tokenPath()) ? 1 : 0;
        }
        return n;
    }

    protected JsonNode admin(String method, String path) {
        String body = Events.send(HttpRequest.newBuilder(URI.create(sandbox.adminUrl() + "/" + crm() + path))
                .method(method, HttpRequest.BodyPublishers.ofString(method.equals("GET") || method.equals("DELETE") ? "" : "{}")).build()).body();
        return body.isBlank() ? null : Events.parse(body.getBytes(StandardCharsets.UTF_8));
    }

    private int read(CrmAuth.Credentials c) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create((c.apiUrl() != null ? c.apiUrl() : sandbox.baseUrl(crm())) + readPath()));
        c.headers().forEach(b::header);
        return Events.send(b.GET().build()).statusCode();
    }

    @Test
    void theTokenIsRefreshedAheadOfExpiryOnceForEveryThread() throws Exception {
        RefreshTokenAuth auth = start(1000);
        CrmAuth.Credentials first = now(auth);
        assertThat(read(first)).isBetween(200, 299);
        assertThat(auth.expiries().get("access_token")).isBetween(Instant.now().plusSeconds(990), clock.instant().plusSeconds(1000));
        clock.advance(Duration.ofSeconds(850)); // 150 s left: more than a tenth of the lifetime, which bounds the 300 s ahead
        assertThat(now(auth)).isEqualTo(first);
        assertThat(refreshes()).isEqualTo(1);

        clock.advance(Duration.ofSeconds(60)); // 90 s left
        List<CompletableFuture<CrmAuth.Credentials>> asked = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            asked.add(CompletableFuture.supplyAsync(() -> auth.credentials().join()));
        }
        CrmAuth.Credentials second = asked.get(0).get(10, TimeUnit.SECONDS);
        assertThat(second).isNotEqualTo(first);
        for (CompletableFuture<CrmAuth.Credentials> a : asked) {
            assertThat(a.get(10, TimeUnit.SECONDS)).isEqualTo(second);
        }
        assertThat(refreshes()).as("one refresh for eight threads, before the token expired").isEqualTo(2);
        assertThat(read(second)).isBetween(200, 299);
    }

    @Test
    void aRevokedRefreshTokenIsRefusedAskedAgainOnlyAfterAPauseAndAcceptedOnceRestored() throws Exception {
        RefreshTokenAuth auth = start(3600);
        CrmAuth.Credentials first = now(auth);
        admin("POST", "/tokens/revoke");
        assertThat(read(first)).as("the revoked app's access token").isEqualTo(401);
        auth.refused(first);

        assertThatThrownBy(() -> now(auth)).isInstanceOf(ExecutionException.class).cause().isInstanceOf(CrmException.class)
                .satisfies(e -> assertThat(((CrmException) e).credentialsRefused()).isTrue())
                .hasMessageContaining("token refresh answered " + revoked())
                .hasMessageNotContaining(clientSecret()).hasMessageNotContaining(refreshToken());
        assertThat(auth.refusedRenewals()).isEqualTo(1);
        assertThat(refreshes()).isEqualTo(2);

        admin("POST", "/tokens/restore");
        assertThatThrownBy(() -> now(auth)).as("the refusal holds for a few seconds").cause().isInstanceOf(CrmException.class);
        assertThat(refreshes()).as("without asking the CRM").isEqualTo(2);
        clock.advance(Duration.ofSeconds(5));
        assertThat(read(now(auth))).isBetween(200, 299);
        assertThat(refreshes()).isEqualTo(3);
        assertThat(auth.refusedRenewals()).isEqualTo(1);
    }

    @Test
    void aWrongClientSecretIsRefusedToo() {
        start(3600);
        RefreshTokenAuth wrong = auth("not-the-secret");
        assertThatThrownBy(() -> now(wrong)).cause().isInstanceOf(CrmException.class)
                .satisfies(e -> assertThat(((CrmException) e).credentialsRefused()).isTrue())
                .hasMessageContaining("token refresh answered " + wrongClient()).hasMessageNotContaining("not-the-secret");
    }

    @Test
    void anOutageOfTheTokenEndpointIsNoRefusalAndIsAskedAgainAtOnce() throws Exception {
        RefreshTokenAuth auth = start(3600);
        Events.send(HttpRequest.newBuilder(URI.create(sandbox.adminUrl() + "/" + crm() + "/faults")).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"outage\":{\"startsInMs\":0,\"durationMs\":600000,\"status\":503}}")).build());
        assertThatThrownBy(() -> now(auth)).cause().isInstanceOf(CrmException.class)
                .satisfies(e -> assertThat(((CrmException) e).credentialsRefused()).as("an outage, not a refusal").isFalse())
                .satisfies(e -> assertThat(((CrmException) e).status()).isEqualTo(503));
        admin("DELETE", "/faults");
        assertThat(read(now(auth))).as("no pause after an outage").isBetween(200, 299);
    }
}
