package io.callbridge.intake;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callbridge.broker.EmbeddedKafkaBroker;
import io.callbridge.support.CallbridgeApp;
import io.callbridge.support.Events;
import io.callbridge.support.TestBroker;
import io.callbridge.support.Topics;
import io.callbridge.support.WebhookReceiver;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Other systems produce call events straight onto Kafka; the same contract applies, and bad ones never block. */
class KafkaIntakeIT {

    private static EmbeddedKafkaBroker broker;
    private static WebhookReceiver receiver;
    private static CallbridgeApp app;

    @BeforeAll
    static void start() {
        broker = TestBroker.shared();
        receiver = WebhookReceiver.start(EmbeddedKafkaBroker.freePort());
        app = CallbridgeApp.on(broker)
                .with("callbridge.crm.webhook.enabled", "true")
                .with("callbridge.crm.webhook.url", receiver.url())
                .with("callbridge.crm.webhook.check-url", receiver.checkUrl())
                .start();
    }

    @AfterAll
    static void stop() {
        app.close();
        receiver.close();
    }

    @Test
    void aMalformedMessageBetweenTwoValidOnesBecomesOneDeadLetterAndBothValidOnesAreConsumed() {
        // one key, so all three share a partition and the bad one sits between the good ones
        String key = "+41790000001";
        ObjectNode first = Events.exampleWithNewId();
        ObjectNode last = Events.exampleWithNewId();
        String firstId = first.get("id").asText();
        String lastId = last.get("id").asText();
        String poisonMarker = "poison-" + System.nanoTime();
        byte[] malformed = ("{\"specversion\":\"1.0\",\"id\":\"" + poisonMarker + "\",\"type\":\"call.ended\"")
                .getBytes(StandardCharsets.UTF_8);
        Topics.send(broker, "callbridge.call-events", key, Events.bytes(first));
        Topics.send(broker, "callbridge.call-events", key, malformed);
        Topics.send(broker, "callbridge.call-events", key, Events.bytes(last));

        await("both valid events delivered").atMost(Duration.ofSeconds(60))
                .until(() -> !delivered(firstId).isEmpty() && !delivered(lastId).isEmpty());
        await().atMost(Duration.ofSeconds(20)).until(() -> deadLettersWith(poisonMarker).size() == 1);
        ConsumerRecord<String, byte[]> dead = deadLettersWith(poisonMarker).get(0);
        assertThat(dead.value()).as("the original bytes are kept").isEqualTo(malformed);
        assertThat(dead.key()).isEqualTo(key);
        assertThat(header(dead, "callbridge-crm")).isEqualTo("intake");
        assertThat(header(dead, "callbridge-error-class")).isEqualTo("invalid");
        assertThat(header(dead, "callbridge-crm-error")).contains("is not valid JSON");
        assertThat(header(dead, "callbridge-attempts")).isEqualTo("1");
        assertThat(header(dead, "callbridge-first-failure")).isNotBlank();
        assertThat(header(dead, "callbridge-last-failure")).isNotBlank();
        assertThat(header(dead, "callbridge-source-topic")).isEqualTo("callbridge.call-events");
    }

    @Test
    void anEventThatBreaksTheContractIsADeadLetterNamingTheField() {
        ObjectNode event = Events.exampleWithNewId();
        ((ObjectNode) event.get("data")).remove("direction");
        String id = event.get("id").asText();

        Topics.send(broker, "callbridge.call-events", "+41790000002", Events.bytes(event));

        await().atMost(Duration.ofSeconds(30)).until(() -> deadLettersWith(id).size() == 1);
        assertThat(header(deadLettersWith(id).get(0), "callbridge-crm-error")).contains("/data/direction");
    }

    @Test
    void anEventProducedWithoutTheCustomerNumberGetsItOnTheWay() {
        ObjectNode event = Events.exampleWithNewId();
        ((ObjectNode) event.get("data")).put("from", "+41 (0)79 555 12 34");
        String id = event.get("id").asText();
        Topics.send(broker, "callbridge.call-events", null, Events.bytes(event));

        await().atMost(Duration.ofSeconds(60)).until(() -> !delivered(id).isEmpty());
        assertThat(delivered(id).get(0).body().at("/event/data/customerE164").asText()).isEqualTo("+41795551234");
        List<ConsumerRecord<String, byte[]>> commands = Topics.readAll(broker, "callbridge.crm.webhook").stream()
                .filter(r -> new String(r.value(), StandardCharsets.UTF_8).contains(id)).toList();
        assertThat(commands).isNotEmpty().allSatisfy(c -> assertThat(c.key()).as("keyed by the caller").isEqualTo("+41795551234"));
    }

    private static List<WebhookReceiver.Received> delivered(String eventId) {
        return receiver.acknowledged().stream().filter(r -> r.commandId().startsWith(eventId + ":")).toList();
    }

    private static List<ConsumerRecord<String, byte[]>> deadLettersWith(String marker) {
        return Topics.readAll(broker, "callbridge.dlq.intake").stream()
                .filter(r -> new String(r.value(), StandardCharsets.UTF_8).contains(marker)).toList();
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        var h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
