package io.callbridge.delivery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callbridge.broker.EmbeddedKafkaBroker;
import io.callbridge.support.CallbridgeApp;
import io.callbridge.support.ChildCallbridge;
import io.callbridge.support.Events;
import io.callbridge.support.Samples;
import io.callbridge.support.TestBroker;
import io.callbridge.support.WebhookReceiver;
import io.callbridge.support.WebhookReceiver.Received;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A Callbridge JVM is SIGKILLed in the middle of a stream of 1,000 events and another takes over: every
 * command reaches the receiver exactly once.
 */
class CrashRecoveryTest {

    private static final int EVENTS = 1000;

    @Test
    void killedMidStreamEveryCommandArrivesExactlyOnce() throws Exception {
        EmbeddedKafkaBroker broker = TestBroker.fresh();
        WebhookReceiver receiver = WebhookReceiver.start(EmbeddedKafkaBroker.freePort());
        List<String> ids = new ArrayList<>();
        try (ChildCallbridge first = ChildCallbridge.start(EmbeddedKafkaBroker.freePort(), Map.of(
                "CALLBRIDGE_KAFKA_BROKERS", broker.bootstrapServers(), "CALLBRIDGE_CRM_WEBHOOK_ENABLED", "true",
                "CALLBRIDGE_CRM_WEBHOOK_URL", receiver.url(), "CALLBRIDGE_CRM_WEBHOOK_CHECK_URL", receiver.checkUrl()))) {
            for (int i = 0; i < EVENTS; i++) {
                ObjectNode event = Samples.minimal();
                String id = "crash-" + i + "-" + UUID.randomUUID();
                event.put("id", id);
                ObjectNode data = (ObjectNode) event.get("data");
                data.remove("customerE164");
                data.put("to", String.format("+41 79 600 %02d %02d", i % 50, i % 7));
                ids.add(id);
                assertThat(Events.post(first.uri("/v1/call-events"), "application/json", Events.bytes(event)).statusCode())
                        .isEqualTo(202);
            }
            await().atMost(Duration.ofSeconds(120)).until(() -> receiver.acknowledged().size() >= EVENTS / 2);
            first.kill();
        }
        int beforeCrash = receiver.acknowledged().size();

        try (CallbridgeApp second = CallbridgeApp.on(broker).with("callbridge.crm.webhook.enabled", "true")
                .with("callbridge.crm.webhook.url", receiver.url())
                .with("callbridge.crm.webhook.check-url", receiver.checkUrl()).start()) {
            await().atMost(Duration.ofSeconds(240)).until(() -> distinctAcknowledged(receiver) == 2L * EVENTS);
        }
        Map<String, Long> perCommand = receiver.acknowledged().stream()
                .collect(Collectors.groupingBy(Received::commandId, Collectors.counting()));
        assertThat(beforeCrash).as("the kill happened mid-stream").isLessThan(2 * EVENTS);
        assertThat(perCommand).hasSize(2 * EVENTS);
        assertThat(perCommand.values()).as("no command arrived twice").allMatch(n -> n == 1);
        for (String id : ids) {
            assertThat(perCommand).containsKeys(id + ":log-call:0", id + ":enrich-contact:0");
        }
        receiver.close();
        broker.close();
    }

    private static long distinctAcknowledged(WebhookReceiver receiver) {
        return receiver.acknowledged().stream().map(Received::commandId).distinct().count();
    }
}
