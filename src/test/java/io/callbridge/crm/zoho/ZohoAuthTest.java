package io.callbridge.crm.zoho;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;

import io.callbridge.crm.CrmException;
import io.callbridge.crm.RefreshTokenAuth;
import io.callbridge.sandbox.CrmSandbox;
import io.callbridge.sandbox.SandboxSettings;
import io.callbridge.support.RefreshTokenAuthContract;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Zoho's token refresh against the sandbox's accounts server over HTTP: the shared refresh's contract (ahead of expiry,
 * once for every thread, a revoked or wrong client refused), the token answer naming the API, never past Zoho's refresh
 * limit, and waiting rather than failing when Zoho answers {@code Access Denied}.
 */
class ZohoAuthTest extends RefreshTokenAuthContract {

    @Override
    protected String crm() {
        return "zoho";
    }

    @Override
    protected Map<String, String> sandboxApp(long lifetimeSeconds) {
        Map<String, String> config = new java.util.HashMap<>(new ZohoFixture().sandboxConfig(false));
        config.put("token-lifetime-seconds", Long.toString(lifetimeSeconds));
        return config;
    }

    @Override
    protected RefreshTokenAuth auth(String clientSecret) {
        return new ZohoAuth(http, sandbox.baseUrl("zoho"), ZohoFixture.CLIENT_ID, clientSecret, ZohoFixture.REFRESH_TOKEN, null, 300, 10, clock);
    }

    @Override
    protected String clientSecret() {
        return ZohoFixture.CLIENT_SECRET;
    }

    @Override
    protected String refreshToken() {
        return ZohoFixture.REFRESH_TOKEN;
    }

    @Override
    protected String tokenPath() {
        return "/oauth/v2/token";
    }

    @Override
    protected String readPath() {
        return "/crm/v8/Contacts?fields=Last_Name";
    }

    @Override
    protected String revoked() {
        return "401 invalid_code";
    }

    @Override
    protected String wrongClient() {
        return "401 invalid_client";
    }

    private ZohoAuth auth(Map<String, String> sandboxConfig, int refreshLimit) {
        Map<String, String> config = new java.util.HashMap<>(new ZohoFixture().sandboxConfig(false));
        config.putAll(sandboxConfig);
        sandbox = CrmSandbox.start(SandboxSettings.builder().port(0).crm("zoho").config("zoho", config).build());
        return new ZohoAuth(http, sandbox.baseUrl("zoho"), ZohoFixture.CLIENT_ID, ZohoFixture.CLIENT_SECRET, ZohoFixture.REFRESH_TOKEN,
                null, 300, refreshLimit, clock);
    }

    @Test
    void theTokenAnswerNamesTheApiAndZohosHeader() throws Exception {
        ZohoAuth auth = auth(Map.of(), 10);
        assertThat(now(auth).apiUrl()).as("the token answer's api_domain").isEqualTo(sandbox.baseUrl("zoho"));
        assertThat(now(auth).headers().get("Authorization")).startsWith("Zoho-oauthtoken ");
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
    void zohosAccessDeniedDefersTheLogin() throws Exception {
        ZohoAuth auth = auth(Map.of("refresh-limit", "1"), 10);
        auth.refused(now(auth));
        assertThatThrownBy(() -> now(auth)).cause().isInstanceOf(CrmException.class)
                .satisfies(e -> assertThat(((CrmException) e).deferred()).as("Zoho said Access Denied").isTrue())
                .satisfies(e -> assertThat(((CrmException) e).credentialsRefused()).as("waiting cures it, not an operator").isFalse());
    }
}
