package io.callbridge.hostile;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callbridge.broker.EmbeddedKafkaBroker;
import io.callbridge.support.CallbridgeApp;
import io.callbridge.support.CrmFixture;
import io.callbridge.support.CrmSandboxes;
import io.callbridge.support.Events;
import io.callbridge.support.Samples;
import io.callbridge.support.TestBroker;
import io.callbridge.support.Topics;
import io.callbridge.support.WebhookReceiver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The hostile corpus of src/test/resources/hostile, over HTTP and straight onto Kafka, interleaved with
 * valid events: each bad one gets its clear answer (4xx naming the field, or a dead letter with the
 * reason), every valid one lands, and odd strings reach the receiver and every CRM intact, as data
 * (a name made to break SOQL, a summary made to break JSON or GraphQL, emoji, right-to-left text, a NUL).
 */
class HostileInputIT {

    /** File → expected HTTP status and, for refusals, the JSON Pointer named. */
    private static final Map<String, String> EXPECTED = new LinkedHashMap<>();

    static {
        EXPECTED.put("truncated.json", "400 ");
        EXPECTED.put("wrong-type.json", "400 /data/durationSeconds");
        EXPECTED.put("unknown-type.json", "400 /type");
        EXPECTED.put("invalid-phone.json", "400 /data/from");
        EXPECTED.put("hostile-phone.json", "400 /data/from");
        EXPECTED.put("phone-with-wildcards.json", "400 /data/from");
        EXPECTED.put("duplicate-keys.json", "400 ");
        EXPECTED.put("soql-injection-name.json", "202");
        EXPECTED.put("json-injection-summary.json", "202");
        EXPECTED.put("graphql-injection.json", "202");
        EXPECTED.put("emoji-rtl-nul.json", "202");
        EXPECTED.put("extension.json", "202");
    }

    private static EmbeddedKafkaBroker broker;
    private static WebhookReceiver receiver;
    private static CrmSandboxes crms;
    private static CallbridgeApp app;

    @BeforeAll
    static void start() {
        broker = TestBroker.fresh();
        receiver = WebhookReceiver.start(EmbeddedKafkaBroker.freePort());
        crms = CrmSandboxes.unlimited(41);
        CallbridgeApp.Builder builder = CallbridgeApp.on(broker).with("callbridge.crm.webhook.enabled", "true")
                .with("callbridge.crm.webhook.url", receiver.url());
        crms.settings().forEach(builder::with);
        app = builder.start();
    }

    @AfterAll
    static void stop() {
        app.close();
        crms.close();
        receiver.close();
        broker.close();
    }

    @Test
    void overHttpEachGetsItsAnswerAndTheValidOnesArriveIntact() throws Exception {
        List<String> valid = new ArrayList<>();
        for (Map.Entry<String, String> e : EXPECTED.entrySet()) {
            byte[] body = corpus(e.getKey());
            HttpResponse<String> answer = Events.post(app.uri("/v1/call-events"), "application/json", body);
            String[] expected = e.getValue().split(" ", 2);
            assertThat(answer.statusCode()).as(e.getKey() + " -> " + answer.body()).isEqualTo(Integer.parseInt(expected[0]));
            if (expected.length > 1) {
                assertThat(Events.parse(answer.body().getBytes(StandardCharsets.UTF_8)).get("errors"))
                        .as(e.getKey()).extracting(x -> x.get("pointer").asText()).contains(expected[1]);
            } else {
                valid.add(e.getKey());
            }
        }
        assertThat(Events.post(app.uri("/v1/call-events"), "application/json", megabyteSummary()).statusCode()).isEqualTo(413);
        assertThat(Events.post(app.uri("/v1/call-events"), "application/json", deeplyNested()).statusCode()).isEqualTo(400);

        for (String file : valid) {
            JsonNode sent = Events.parse(corpus(file));
            String id = sent.get("id").asText();
            await(file).atMost(Duration.ofSeconds(30)).until(() -> !receiver.acknowledged(id + ":log-call:0").isEmpty());
            JsonNode received = receiver.acknowledged(id + ":log-call:0").get(0).body().get("event");
            assertThat(received.at("/data/caller")).as(file + ": strings arrive as sent").isEqualTo(sent.at("/data/caller"));
            assertThat(received.at("/data/summary")).as(file).isEqualTo(sent.at("/data/summary"));
        }
        for (String file : valid) {
            JsonNode sent = Events.parse(corpus(file));
            String commandId = sent.get("id").asText() + ":log-call:0";
            String summary = sent.at("/data/summary").asText();
            await(file).atMost(Duration.ofSeconds(30)).until(() -> crms.fixtures().stream()
                    .allMatch(crm -> crms.callsByCommandId(crm).containsKey(commandId)));
            for (CrmFixture crm : crms.fixtures()) {
                assertThat(crm.summaryOfCall(crms.callsByCommandId(crm).get(commandId).get(0))).as(file + " in " + crm)
                        .isEqualTo(summary);
            }
        }
        // the first valid event created the caller: its SOQL-breaking name is stored as sent
        String name = Events.parse(corpus("soql-injection-name.json")).at("/data/caller/name").asText();
        for (CrmFixture crm : crms.fixtures()) {
            assertThat(crm.nameOf(crms.callersByPhone(crm).get("+41793210011").get(0))).as(crm.crm()).isEqualTo(name);
        }
    }

    @Test
    void onKafkaEachBadRecordIsADeadLetterAndTheValidOnesAroundItAllLand() throws Exception {
        String key = "+41793210099";
        List<String> validIds = new ArrayList<>();
        int bad = 0;
        List<byte[]> bodies = new ArrayList<>();
        for (Map.Entry<String, String> e : EXPECTED.entrySet()) {
            bodies.add(e.getValue().startsWith("400") ? corpus(e.getKey()) : null);
        }
        bodies.add(largeSummaryForKafka());
        bodies.add(deeplyNested());
        for (byte[] body : bodies) {
            ObjectNode marker = Samples.minimal();
            String id = "k-" + UUID.randomUUID();
            marker.put("id", id);
            validIds.add(id);
            Topics.send(broker, "callbridge.call-events", key, Events.bytes(marker));
            if (body != null) {
                Topics.send(broker, "callbridge.call-events", key, body);
                bad++;
            }
        }
        int expectedDead = bad;
        await().atMost(Duration.ofSeconds(60)).until(() -> validIds.stream()
                .allMatch(id -> !receiver.acknowledged(id + ":log-call:0").isEmpty()));
        await().atMost(Duration.ofSeconds(30)).until(() -> deadLettersFor(key).size() == expectedDead);
        assertThat(deadLettersFor(key)).allSatisfy(reason -> assertThat(reason).isNotBlank());
    }

    private static List<String> deadLettersFor(String key) {
        return Topics.readAll(broker, "callbridge.dlq.intake").stream().filter(r -> key.equals(r.key()))
                .map(r -> new String(r.headers().lastHeader("callbridge-crm-error").value(), StandardCharsets.UTF_8)).toList();
    }

    private static byte[] corpus(String file) throws IOException {
        return Files.readAllBytes(Path.of("src/test/resources/hostile", file));
    }

    /** A 1 MB summary: refused over HTTP before it is read. */
    private static byte[] megabyteSummary() {
        ObjectNode event = Samples.minimal();
        event.put("id", "h-mb-" + UUID.randomUUID());
        ((ObjectNode) event.get("data")).put("summary", "x".repeat(1024 * 1024));
        return Events.bytes(event);
    }

    /** Below Kafka's record limit but over the contract's 100,000 characters. */
    private static byte[] largeSummaryForKafka() {
        ObjectNode event = Samples.minimal();
        event.put("id", "h-big-" + UUID.randomUUID());
        ((ObjectNode) event.get("data")).put("summary", "y".repeat(500_000));
        return Events.bytes(event);
    }

    private static byte[] deeplyNested() {
        String deep = "{\"a\":".repeat(200) + "1" + "}".repeat(200);
        return ("{\"specversion\":\"1.0\",\"id\":\"h-deep\",\"source\":\"urn:t\",\"type\":\"call.ended\",\"extra\":" + deep
                + ",\"data\":{\"callId\":\"c\",\"direction\":\"inbound\",\"from\":\"+41793210011\"}}").getBytes(StandardCharsets.UTF_8);
    }
}
