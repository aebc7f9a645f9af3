package io.callbridge.delivery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callbridge.broker.EmbeddedKafkaBroker;
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
 * Two Callbridge processes share the consumer groups over 6 partitions; one is SIGKILLed mid-stream and
 * the other takes its partitions: nothing lost, nothing twice, each customer's commands in event order.
 */
class FailoverIT {

    private static final int EVENTS = 400;
    private static final int CUSTOMERS = 40;

    @Test
    void theSurvivorTakesOverWithoutLossDuplicatesOrReordering() throws Exception {
        EmbeddedKafkaBroker broker = TestBroker.fresh();
        WebhookReceiver receiver = WebhookReceiver.start(EmbeddedKafkaBroker.freePort());
        // the survivor gets the killed one's partitions after 6 s (the broker's least), not Kafka's 45, as in CrashPointsIT
        Map<String, String> env = Map.of("CALLBRIDGE_KAFKA_BROKERS", broker.bootstrapServers(),
                "CALLBRIDGE_CRM_WEBHOOK_ENABLED", "true", "CALLBRIDGE_CRM_WEBHOOK_URL", receiver.url(),
                "CALLBRIDGE_CRM_WEBHOOK_CHECK_URL", receiver.checkUrl(), "CALLBRIDGE_KAFKA_SESSION_TIMEOUT_MS", "6000");
        Map<String, List<String>> eventsByCustomer = new LinkedHashMap<>();
        try (ChildCallbridge a = ChildCallbridge.start(EmbeddedKafkaBroker.freePort(), env);
             ChildCallbridge b = ChildCallbridge.start(EmbeddedKafkaBroker.freePort(), env)) {
            for (int i = 0; i < EVENTS; i++) {
                ObjectNode event = Samples.minimal();
                String id = "fo-" + i + "-" + UUID.randomUUID();
                event.put("id", id);
                ObjectNode data = (ObjectNode) event.get("data");
                data.remove("customerE164");
                String customer = String.format("+41 79 700 %02d 00", i % CUSTOMERS);
                data.put("to", customer);
                eventsByCustomer.computeIfAbsent(customer, c -> new ArrayList<>()).add(id);
                ChildCallbridge via = i % 2 == 0 || i > EVENTS / 2 ? a : b;
                assertThat(Events.post(via.uri("/v1/call-events"), "application/json", Events.bytes(event)).statusCode())
                        .isEqualTo(202);
                if (i == EVENTS / 2) {
                    await().atMost(Duration.ofSeconds(60)).until(() -> receiver.acknowledged().size() >= EVENTS / 4);
                    b.kill();
                }
            }
            await().atMost(Duration.ofSeconds(240)).until(() -> receiver.acknowledged().stream().map(Received::commandId)
                    .distinct().count() == 2L * EVENTS);
        }
        List<Received> acknowledged = receiver.acknowledged();
        Map<String, Long> perCommand = acknowledged.stream().collect(Collectors.groupingBy(Received::commandId, Collectors.counting()));
        assertThat(perCommand).hasSize(2 * EVENTS);
        assertThat(perCommand.values()).as("no command twice").allMatch(n -> n == 1);
        List<String> order = acknowledged.stream().map(Received::commandId).filter(c -> c.endsWith(":log-call:0"))
                .map(c -> c.substring(0, c.length() - ":log-call:0".length())).toList();
        for (List<String> ids : eventsByCustomer.values()) {
            assertThat(order.stream().filter(ids::contains).toList()).as("one customer's calls in order").containsExactlyElementsOf(ids);
        }
        receiver.close();
        broker.close();
    }
}
