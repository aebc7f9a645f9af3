package io.callbridge.crm.zoho;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
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
import io.callbridge.sandbox.CrmSandbox;
import io.callbridge.sandbox.SandboxSettings;
import io.callbridge.support.Events;
import io.callbridge.support.OffsetClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Zoho's token refresh against the sandbox's accounts server over HTTP: ahead of expiry, once for every thread, never
 * past Zoho's refresh limit, and waiting rather than failing when Zoho answers {@code Access Denied}.
 */
class ZohoAuthTest {

    private final OffsetClock clock = new OffsetClock();
    private final CrmHttp http = new CrmHttp(Duration.ofSeconds(5), io.callbridge.crm.CrmMetrics.none());
    private CrmSandbox sandbox;

    @AfterEach
    void stop() {
        http.close();
        if (sandbox != null) {
            sandbox.close();
        }
    }

    private ZohoAuth auth(Map<String, String> sandboxConfig, int refreshLimit) {
        Map<String, String> config = new java.util.HashMap<>(new ZohoFixture().sandboxConfig(false));
        config.putAll(sandboxConfig);
        sandbox = CrmSandbox.start(SandboxSettings.builder().port(0).crm("zoho").config("zoho", config).build());
        return new ZohoAuth(http, sandbox.baseUrl("zoho"), ZohoFixture.CLIENT_ID, ZohoFixture.CLIENT_SECRET, ZohoFixture.REFRESH_TOKEN,
                null, 300, refreshLimit, clock);
    }

    private long refreshes() {
        JsonNode journal = Events.parse(Events.send(HttpRequest.newBuilder(URI.create(sandbox.adminUrl() + "/zoho/requests")).GET().build())
                .body().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        long n = 0;
        for (JsonNode e : journal) {
            n += e.path("path").asText().endsWith("/oauth/v2/token") ? 1 : 0;
        }
        return n;
    }

    private static CrmAuth.Credentials now(CrmAuth auth) throws Exception {
        return auth.credentials().get(10, TimeUnit.SECONDS);
    }

    @Test
    void theTokenIsRefreshedAheadOfExpiryOnceForEveryThreadAndNamesTheApi() throws Exception {
        ZohoAuth auth = auth(Map.of(), 10);
        CrmAuth.Credentials first = now(auth);
        assertThat(first.apiUrl()).as("the token answer's api_domain").isEqualTo(sandbox.baseUrl("zoho"));
        assertThat(first.headers().get("Authorization")).startsWith("Zoho-oauthtoken ");
        clock.advance(Duration.ofMinutes(50));
        assertThat(now(auth)).as("ten minutes left: still the same token").isEqualTo(first);
        assertThat(refreshes()).isEqualTo(1);

        clock.advance(Duration.ofMinutes(6)); // four minutes left, less than the five ahead
        List<CompletableFuture<CrmAuth.Credentials>> asked = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            asked.add(CompletableFuture.supplyAsync(() -> auth.credentials().join()));
        }
        CrmAuth.Credentials second = asked.get(0).get(10, TimeUnit.SECONDS);
        assertThat(second).isNotEqualTo(first);
        for (CompletableFuture<CrmAuth.Credentials> a : asked) {
            assertThat(a.get(10, TimeUnit.SECONDS)).isEqualTo(second);
        }
        assertThat(refreshes()).as("one refresh for eight threads").isEqualTo(2);
    }

    @Test
    void pastItsRefreshLimitCallbridgeWaitsInsteadOfAskingZoho() throws Exception {
        ZohoAuth auth = auth(Map.of(), 2);
        auth.refused(now(auth));
        auth.refused(now(auth));
        assertThatThrownBy(() -> now(auth)).isInstanceOf(ExecutionException.class).cause().isInstanceOf(CrmException.class)
                .satisfies(e -> assertThat(((CrmException) e).deferred()).as("deferred, not a failure").isTrue());
        assertThat(refreshes()).as("the third refresh never reached Zoho").isEqualTo(2);

        clock.advance(Duration.ofMinutes(10));
        assertThat(now(auth).headers().get("Authorization")).as("a slot again after ten minutes").startsWith("Zoho-oauthtoken ");
        assertThat(refreshes()).isEqualTo(3);
    }

    @Test
    void zohosAccessDeniedDefersTheLoginAndAWrongSecretFailsIt() throws Exception {
        ZohoAuth auth = auth(Map.of("refresh-limit", "1"), 10);
        auth.refused(now(auth));
        assertThatThrownBy(() -> now(auth)).cause().isInstanceOf(CrmException.class)
                .satisfies(e -> assertThat(((CrmException) e).deferred()).as("Zoho said Access Denied").isTrue());

        ZohoAuth wrong = new ZohoAuth(http, sandbox.baseUrl("zoho"), ZohoFixture.CLIENT_ID, "not-the-secret", ZohoFixture.REFRESH_TOKEN,
                null, 300, 10, clock);
        assertThatThrownBy(() -> now(wrong)).cause().isInstanceOf(CrmException.class)
                .satisfies(e -> assertThat(((CrmException) e).deferred()).isFalse())
                .hasMessageContaining("invalid_client");
    }
}
