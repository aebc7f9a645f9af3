package io.callbridge.console;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.stream.StreamSupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callbridge.broker.EmbeddedKafkaBroker;
import io.callbridge.delivery.CommandLedger;
import io.callbridge.logging.Pii;
import io.callbridge.support.CallbridgeApp;
import io.callbridge.support.Events;
import io.callbridge.support.TestBroker;
import io.callbridge.support.WebhookReceiver;
import io.callbridge.support.WebhookReceiver.Answer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The console's data over plain HTTP: its page loads without a key, the recent events show no personal data and
 * need the admin key, and a dead letter's CRM message is masked unless revealed on purpose.
 */
class ConsoleApiIT {

    private static final String ADMIN = "admin-console-api-key";
    private static final String AGENT = "agent-console-api-key";
    private static WebhookReceiver receiver;
    private static CallbridgeApp app;

    @BeforeAll
    static void start() {
        EmbeddedKafkaBroker broker = TestBroker.shared();
        receiver = WebhookReceiver.start(EmbeddedKafkaBroker.freePort());
        app = CallbridgeApp.on(broker)
                .with("callbridge.api-keys", ADMIN + ":admin," + AGENT + ":agent")
                .with("callbridge.crm.webhook.enabled", "true")
                .with("callbridge.crm.webhook.url", receiver.url())
                .with("callbridge.crm.webhook.check-url", receiver.checkUrl())
                .with("callbridge.crm.webhook.secret", "whsec-console-api")
                .fastRetries()
                .start();
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
        receiver.close();
    }

    @Test
    void thePageLoadsWithoutAKeyAndServesOnlyItsOwnFiles() {
        HttpResponse<String> page = get("/console", null);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(p -> assertThat(p).contains("script-src 'self'"));
        assertThat(page.body()).contains("Callbridge console").doesNotContain("http://", "https://");
        assertThat(get("/console/console.js", null).statusCode()).isEqualTo(200);
        assertThat(get("/console/application.properties", null).statusCode()).isEqualTo(404);
    }

    @Test
    void recentEventsShowTheCallerMaskedAndNoNameEmailOrSummary() {
        ObjectNode event = Events.exampleWithNewId();
        String id = event.get("id").asText();
        app.post(event);
        await().atMost(Duration.ofSeconds(30)).until(() -> app.ledger().state("webhook", id + ":log-call:0") == CommandLedger.State.DONE);

        HttpResponse<String> r = get("/v1/console/events?limit=20", ADMIN);

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).doesNotContain("Jean", "Dupont", "jean.dupont@example.ch", "Client Gold", "+41791234567",
                "079 123 45 67", "assistant.example");
        JsonNode listed = StreamSupport.stream(Events.parse(r.body().getBytes(StandardCharsets.UTF_8)).spliterator(), false)
                .filter(e -> e.path("id").asText().equals(id)).findFirst().orElseThrow();
        assertThat(listed.get("type").asText()).isEqualTo("call.ended");
        assertThat(listed.get("time").asText()).isEqualTo("2026-11-28T09:14:03Z");
        assertThat(listed.get("caller").asText()).isEqualTo(Pii.phone("+41791234567")).isEqualTo("+41*******67");
        assertThat(listed.at("/crms/0/crm").asText()).isEqualTo("webhook");
        assertThat(listed.at("/crms/0/state").asText()).isIn("done", "pending", "queued");
    }

    @Test
    void recentEventsNeedTheAdminKey() {
        assertThat(get("/v1/console/events", null).statusCode()).isEqualTo(401);
        assertThat(get("/v1/console/events", "not-a-key").statusCode()).isEqualTo(401);
        assertThat(get("/v1/console/events", AGENT).statusCode()).isEqualTo(403);
    }

    @Test
    void aDeadLettersCrmMessageIsMaskedUnlessRevealedOnPurpose() {
        receiver.script(new Answer(400, "{\"error\":\"contact jean.dupont@example.ch / +41 79 123 45 67 is locked\"}", Map.of()));
        ObjectNode event = Events.exampleWithNewId();
        String id = event.get("id").asText();
        app.post(event);
        await().atMost(Duration.ofSeconds(30)).until(() -> app.deadLetters("webhook", ADMIN, id).size() == 1);

        JsonNode masked = app.deadLetters("webhook", ADMIN, id).get(0);
        assertThat(masked.get("reason").asText()).contains("contact j***@***", "+41*******67", "is locked")
                .doesNotContain("dupont", "123 45 67");

        HttpResponse<String> revealed = get("/v1/dlq/webhook?reveal=true", ADMIN);
        assertThat(revealed.statusCode()).isEqualTo(200);
        assertThat(revealed.body()).contains("jean.dupont@example.ch / +41 79 123 45 67 is locked");
        assertThat(get("/v1/dlq/webhook?reveal=true", null).statusCode()).isEqualTo(401);
    }

    private static HttpResponse<String> get(String path, String key) {
        HttpRequest.Builder b = HttpRequest.newBuilder(app.uri(path)).GET();
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        return Events.send(b.build());
    }
}
