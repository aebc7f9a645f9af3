package io.callbridge.support;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callbridge.delivery.CommandLedger;
import io.callbridge.delivery.Pacer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A CRM whose access tokens come from an OAuth app's refresh token, end to end against its sandbox over HTTP with
 * Kafka in this JVM: the token is refreshed ahead of its expiry while calls flow, so no request ever carries an
 * expired one; and when an admin revokes the app, the CRM's breaker opens, readiness is down and names the refusal,
 * the commands wait (nothing dead-lettered), and every call lands exactly once when the refresh token works again.
 * One subclass per CRM says how its OAuth app is configured on either side and how the CRM words the refusal.
 */
public abstract class RefreshTokenDeliveryContract {

    /** Short enough that a few lifetimes pass while the test posts calls; the refresh starts a tenth of it ahead. */
    private static final long SHORT_LIFETIME_SECONDS = 5;

    private CrmSandboxes sandbox;
    private ConnectorHarness cb;
    private CapturedLog log;

    /** The CRM's fixture (its records, its sandbox configuration for the default mappings). */
    protected abstract CrmFixture fixture();

    /** The sandbox's keys of the OAuth app (client, refresh token), its access tokens living {@code lifetimeSeconds}. */
    protected abstract Map<String, String> sandboxApp(long lifetimeSeconds);

    /** Callbridge's settings of the same app, given the CRM's address in the sandbox; fixed tokens are left out. */
    protected abstract Map<String, String> appSettings(String baseUrl);

    /** The token endpoint's path, as the sandbox's journal shows it. */
    protected abstract String tokenPath();

    /** The refusal of a revoked refresh token as readiness names it: what failed, the CRM's status and error code. */
    protected abstract String refusal();

    /** The credentials no answer may show (client secret, refresh token). */
    protected abstract List<String> secrets();

    /** The first seven characters of this IT's customer numbers. */
    protected abstract String numberPrefix();

    private void start(long lifetimeSeconds) {
        CrmFixture f = fixture();
        sandbox = CrmSandboxes.start(41, true, List.of(f), Map.of(f.crm(), sandboxApp(lifetimeSeconds)));
        Map<String, String> settings = new LinkedHashMap<>(sandbox.settings());
        settings.keySet().removeIf(k -> k.equals("callbridge.crm." + f.crm() + ".token"));
        settings.putAll(appSettings(sandbox.sandbox().baseUrl(f.crm())));
        settings.put("callbridge.mappings.dir", MappingsCopy.logCallOnly().dir().toString());
        log = CapturedLog.start();
        cb = ConnectorHarness.start(f.crm(), settings, sandbox, numberPrefix());
    }

    @AfterEach
    void stop() throws Exception {
        try {
            if (cb != null) {
                cb.close();
            } else if (sandbox != null) {
                sandbox.close();
            }
        } finally {
            if (log != null) {
                log.close();
            }
        }
    }

    @Test
    void theAccessTokenIsRefreshedAheadOfExpirySoNoCallEverMeetsA401() {
        start(SHORT_LIFETIME_SECONDS);
        List<String> ids = new ArrayList<>();
        // a call every 700 ms until the token was issued three times: two lifetimes and more of steady traffic
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(700)).until(() -> {
            post(ids);
            return journal(tokenPath(), null) >= 3;
        });

        awaitLanded(ids);
        assertThat(journal(null, 401)).as("no request carried an expired access token").isZero();
        assertThat(pacer().breakerOpenings()).as("no delivery failed").isZero();
        assertThat(refreshFailures()).isZero();
        assertThat(Scrape.of(cb.app()).sum("callbridge_crm_credential_expiry_seconds", "crm", fixture().crm(), "credential", "access_token"))
                .as("the current token's lifetime on the metrics").isPositive().isLessThanOrEqualTo(SHORT_LIFETIME_SECONDS);
        assertNoDeadLetters(ids);
    }

    @Test
    void aRevokedAppOpensTheBreakerAndReadinessSaysWhyThenEveryCallLandsOnceWhenItWorksAgain() {
        start(3600);
        List<String> ids = new ArrayList<>();
        post(ids);
        awaitLanded(ids);

        sandbox.revoke(fixture().crm());
        for (int i = 0; i < 3; i++) {
            post(ids);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> pacer().breakerOpen() && ready().statusCode() == 503);
        JsonNode check = crmCheck(ready());
        assertThat(check.path("status").asText()).isEqualTo("DOWN");
        assertThat(check.at("/data/state").asText()).isEqualTo("down");
        assertThat(check.path("message").asText()).contains("refuses Callbridge's credentials").contains(refusal());
        assertThat(check.at("/data/reason").asText()).contains(refusal());
        assertThat(ready().body()).as("no credential on the health answer").doesNotContain(secrets().toArray(String[]::new));
        assertThat(log.text()).as("the refusal is logged, no credential with it").contains("token refresh refused")
                .doesNotContain(secrets().toArray(String[]::new));
        // refused again and again: longer than max-attempts, and still nothing is set aside
        await().atMost(Duration.ofSeconds(40)).until(() -> refreshFailures() >= 2);
        assertThat(sandbox.callsByCommandId(fixture())).as("nothing reached the CRM while access was revoked").hasSize(1);
        assertNoDeadLetters(ids);
        assertThat(live().statusCode()).as("a CRM's credentials never make Callbridge unhealthy").isEqualTo(200);

        sandbox.restore(fixture().crm());
        awaitLanded(ids);
        await().atMost(Duration.ofSeconds(20)).until(() -> "up".equals(crmCheck(ready()).at("/data/state").asText()));
        assertNoDeadLetters(ids);
    }

    private void post(List<String> ids) {
        String id = "oauth-" + java.util.UUID.randomUUID();
        ObjectNode event = Samples.shortCall(id, cb.newNumber());
        cb.app().post(event);
        ids.add(id);
    }

    /** Every call delivered (the ledger) and exactly once in the CRM. */
    private void awaitLanded(List<String> ids) {
        List<String> commands = ids.stream().map(id -> id + ":log-call:0").toList();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() -> commands.stream()
                .allMatch(c -> cb.app().ledger().state(fixture().crm(), c) == CommandLedger.State.DONE));
        Map<String, List<JsonNode>> calls = sandbox.callsByCommandId(fixture());
        assertThat(calls.keySet()).containsExactlyInAnyOrderElementsOf(commands);
        assertThat(calls.values()).as("each call once").allMatch(l -> l.size() == 1);
    }

    private void assertNoDeadLetters(List<String> ids) {
        for (String id : ids) {
            assertThat(cb.app().deadLetters(fixture().crm(), ConnectorHarness.ADMIN, id)).as("dead letters of " + id).isEmpty();
        }
    }

    private Pacer pacer() {
        return cb.app().context().getRegistry().lookupByNameAndType("pacer-" + fixture().crm(), Pacer.class);
    }

    private double refreshFailures() {
        return Scrape.of(cb.app()).sum("callbridge_crm_credential_refresh_failures_total", "crm", fixture().crm());
    }

    /** Requests in the sandbox's journal of the CRM: to {@code path} (any when null) answered {@code status} (any when null). */
    private long journal(String path, Integer status) {
        long n = 0;
        for (JsonNode r : sandbox.requests(fixture().crm())) {
            n += (path == null || r.path("path").asText().equals(path)) && (status == null || r.path("status").asInt() == status) ? 1 : 0;
        }
        return n;
    }

    private HttpResponse<String> ready() {
        return Events.send(HttpRequest.newBuilder(cb.app().uri("/observe/health/ready?data=true")).GET().build());
    }

    private HttpResponse<String> live() {
        return Events.send(HttpRequest.newBuilder(cb.app().uri("/observe/health/live")).GET().build());
    }

    private JsonNode crmCheck(HttpResponse<String> r) {
        for (JsonNode c : Events.parse(r.body().getBytes(StandardCharsets.UTF_8)).path("checks")) {
            if (("crm-" + fixture().crm()).equals(c.path("name").asText())) {
                return c;
            }
        }
        throw new AssertionError("no check crm-" + fixture().crm() + " in " + r.body());
    }
}
