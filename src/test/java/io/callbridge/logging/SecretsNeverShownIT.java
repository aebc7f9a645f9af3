package io.callbridge.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callbridge.broker.EmbeddedKafkaBroker;
import io.callbridge.http.ApiKeys;
import io.callbridge.support.CallbridgeApp;
import io.callbridge.support.CapturedLog;
import io.callbridge.support.CrmFixture;
import io.callbridge.support.CrmSandboxes;
import io.callbridge.support.Events;
import io.callbridge.support.TestBroker;
import io.callbridge.support.WebhookReceiver;
import org.junit.jupiter.api.Test;

/**
 * Every secret Callbridge is configured with — each CRM's tokens, client secrets and refresh tokens, the webhook's signing
 * secret, the API keys — after a call delivered to all seven CRMs, sessions renewed, a lookup, a dry run and the
 * console: none of them in the log, on {@code /observe/metrics}, on {@code /observe/health} or in any answer the API gave.
 */
class SecretsNeverShownIT {

    private static final String ADMIN = "k-admin-secret-grep-91";
    private static final String AGENT = "k-agent-secret-grep-17";
    private static final String WEBHOOK_SECRET = "whsec-grep-me-not-3301";

    @Test
    void noConfiguredSecretIsInTheLogTheMetricsTheHealthOrAnyAnswer() {
        EmbeddedKafkaBroker broker = TestBroker.fresh();
        WebhookReceiver receiver = WebhookReceiver.start(EmbeddedKafkaBroker.freePort());
        try (CrmSandboxes crms = CrmSandboxes.start(31, true, CrmFixture.all()); CapturedLog log = CapturedLog.start()) {
            Map<String, String> settings = new LinkedHashMap<>(crms.settings());
            settings.put("callbridge.crm.webhook.enabled", "true");
            settings.put("callbridge.crm.webhook.url", receiver.url());
            settings.put("callbridge.crm.webhook.secret", WEBHOOK_SECRET);
            settings.put("callbridge.api-keys", ApiKeys.hashed(ADMIN) + ":admin," + ApiKeys.hashed(AGENT) + ":agent");
            settings.put("callbridge.primary-crm", "hubspot");
            Map<String, String> secrets = new LinkedHashMap<>();
            settings.forEach((key, value) -> {
                if (key.matches(".*(token|secret|password|private-key)$")) {
                    secrets.put(key, value);
                }
            });
            secrets.put("admin key", ADMIN);
            secrets.put("agent key", AGENT);
            assertThat(secrets).as("the secrets this test looks for").hasSizeGreaterThanOrEqualTo(10)
                    .allSatisfy((key, value) -> assertThat(value).as(key).hasSizeGreaterThanOrEqualTo(8));

            List<String> shown = new ArrayList<>();
            try (CallbridgeApp app = CallbridgeApp.on(broker).with(settings).with("callbridge.delivery.retry.initial-ms", "100").start()) {
                ObjectNode first = Events.exampleWithNewId();
                app.post(first);
                await().atMost(Duration.ofSeconds(60)).until(() -> receiver.acknowledged().stream()
                        .anyMatch(r -> r.commandId().startsWith(first.get("id").asText())));
                // the sessions and access tokens the CRMs issued expire (Salesforce's, Zoho's): the next call renews them
                crms.fixtures().stream().filter(CrmFixture::sessionsExpire).forEach(f -> crms.expireTokens(f.crm()));
                ObjectNode second = Events.exampleWithNewId();
                app.post(second);
                for (CrmFixture f : crms.fixtures()) {
                    await().atMost(Duration.ofSeconds(60)).until(() -> crms.callsByCommandId(f).keySet().stream()
                            .filter(c -> c.startsWith(second.get("id").asText())).count() > 0);
                }
                shown.add(get(app, "/v1/callers/+41791234567", AGENT));
                shown.add(Events.post(app.uri("/v1/plan"), "application/json", Events.designExample(), "Authorization",
                        "Bearer " + ADMIN).body());
                shown.add(get(app, "/v1/console/events?limit=20", ADMIN));
                for (String crm : crms.names()) {
                    shown.add(get(app, "/v1/dlq/" + crm + "?reveal=true", ADMIN));
                }
                shown.add(app.metrics());
                shown.add(get(app, "/observe/health?data=true", null));
                shown.add(get(app, "/observe/health/ready?data=true", null));
            }
            receiver.close();
            assertThat(log.text()).as("the log is captured").contains("Call event");
            shown.add(log.text());
            String everything = String.join("\n", shown);
            assertThat(everything).as("what was read: metrics, health, the lookup, the console").contains("callbridge_crm_requests_total")
                    .contains("crm-zoho").contains("\"phone\"").contains("commandId");
            secrets.forEach((key, value) -> assertThat(everything).as(key + " shown").doesNotContain(value));
        } finally {
            broker.close();
        }
    }

    private static String get(CallbridgeApp app, String path, String key) {
        HttpRequest.Builder b = HttpRequest.newBuilder(app.uri(path)).GET();
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        HttpResponse<String> r = Events.send(b.build());
        assertThat(r.statusCode()).as(path + ": " + r.body()).isLessThan(500);
        return r.body();
    }
}
