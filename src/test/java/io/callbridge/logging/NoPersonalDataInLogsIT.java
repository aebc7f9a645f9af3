package io.callbridge.logging;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callbridge.broker.EmbeddedKafkaBroker;
import io.callbridge.support.CallbridgeApp;
import io.callbridge.support.CapturedLog;
import io.callbridge.support.Events;
import io.callbridge.support.Samples;
import io.callbridge.support.TestBroker;
import io.callbridge.support.Topics;
import io.callbridge.support.WebhookReceiver;
import io.callbridge.support.WebhookReceiver.Answer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Intake, dead letters, retries and the dry run all log; none of their lines may show a caller's full
 * number, e-mail or name, nor a secret. The test first proves that it sees the log at all.
 */
class NoPersonalDataInLogsIT {

    private static final String SECRET = "whsec-never-logged-5150";
    private static final String API_KEY = "api-key-never-logged-7373";

    @Test
    void noLineShowsAPhoneNumberEmailNameOrSecret() {
        EmbeddedKafkaBroker broker = TestBroker.fresh();
        WebhookReceiver receiver = WebhookReceiver.start(EmbeddedKafkaBroker.freePort());
        ObjectNode event = Samples.designExample();
        String id = UUID.randomUUID().toString();
        event.put("id", id);
        ObjectNode data = (ObjectNode) event.get("data");
        data.remove("customerE164");
        data.put("from", "+41 79 765 43 21");
        data.putObject("caller").put("name", "Zoë Quarante-Deux").put("email", "zoe.42@example.ch");
        try (CapturedLog log = CapturedLog.start();
             CallbridgeApp app = CallbridgeApp.on(broker)
                     .with("callbridge.api-keys", API_KEY + ":admin")
                     .with("callbridge.crm.webhook.enabled", "true")
                     .with("callbridge.crm.webhook.url", receiver.url())
                     .with("callbridge.crm.webhook.secret", SECRET)
                     .with("callbridge.delivery.retry.initial-ms", "100")
                     .start()) {
            receiver.script(new Answer(500, "{\"error\":\"zoe.42@example.ch +41797654321 not processed\"}", java.util.Map.of()),
                    new Answer(400, "{\"error\":\"Zoë Quarante-Deux rejected, call +41797654321\"}", java.util.Map.of()));
            assertThat(Events.post(app.uri("/v1/call-events"), "application/json", Events.bytes(event)).statusCode()).isEqualTo(202);
            // a malformed record from another producer, with personal data in it, becomes a dead letter
            Topics.send(broker, "callbridge.call-events", "+41797654321",
                    ("{\"id\":\"bad-" + id + "\",\"data\":{\"from\":\"+41797654321\",\"caller\":{\"email\":\"zoe.42@example.ch\"}}")
                            .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            Events.post(app.uri("/v1/plan"), "application/json", Events.bytes(event), "Authorization", "Bearer " + API_KEY);
            await().atMost(Duration.ofSeconds(30)).until(() -> receiver.acknowledged().stream()
                    .filter(r -> r.commandId().startsWith(id)).count() == 4);
            await().atMost(Duration.ofSeconds(30)).until(() -> log.text().contains("Dead letter from callbridge.call-events"));

            List<String> lines = log.lines();
            assertThat(log.text()).as("the log is captured: the event was logged, masked")
                    .contains("Call event " + id).contains("+41*******21");
            assertThat(lines).noneMatch(l -> l.contains("7654321") || l.contains("765 43 21"))
                    .noneMatch(l -> l.toLowerCase().contains("zoe.42") || l.contains("Zoë") || l.contains("Quarante"))
                    .noneMatch(l -> l.contains(SECRET) || l.contains(API_KEY));
        } finally {
            receiver.close();
            broker.close();
        }
    }
}
