package io.callbridge.erasure;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callbridge.broker.EmbeddedKafkaBroker;
import io.callbridge.delivery.CommandLedger;
import io.callbridge.support.CallbridgeApp;
import io.callbridge.support.CapturedLog;
import io.callbridge.support.CrmFixture;
import io.callbridge.support.CrmSandboxes;
import io.callbridge.support.Events;
import io.callbridge.support.Samples;
import io.callbridge.support.TestBroker;
import io.callbridge.support.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A sealed record that does not open although its caller's key is there (altered on the topic, truncated) is not
 * taken for erased and skipped: it is set aside as a dead letter with the reason, and the caller's next records, on the
 * same partition, are delivered as usual. On a broker of its own, so no other test's sealed records are read.
 */
class UnreadableSealedRecordIT {

    private static final String ADMIN = "admin-unreadable-key";
    private static final String E164 = "+41796410077";
    private static final CrmFixture HUBSPOT = CrmFixture.of("hubspot");

    @TempDir
    Path dir;
    private EmbeddedKafkaBroker broker;
    private CrmSandboxes crms;
    private CallbridgeApp app;
    private SubjectCipher cipher;

    @BeforeEach
    void start() throws Exception {
        broker = TestBroker.fresh();
        crms = CrmSandboxes.start(79, true, List.of(HUBSPOT));
        Path masterKey = Files.writeString(dir.resolve("master.key"), SubjectCipher.newMasterKey());
        cipher = SubjectCipher.fromFile(masterKey);
        app = CallbridgeApp.on(broker).with(crms.settings()).with("callbridge.api-keys", ADMIN + ":admin")
                .with("callbridge.erasure.master-key-file", masterKey.toString()).start();
    }

    @AfterEach
    void stop() {
        app.close();
        crms.close();
        broker.close();
    }

    @Test
    void anAlteredEventOrCommandIsADeadLetterWithItsReasonAndTheCallersNextCallLands() {
        ObjectNode first = call();
        app.post(first);
        awaitDone(first);
        String subject = cipher.pseudonym(E164);
        byte[] event = newest("callbridge.call-events", subject);
        byte[] command = newest("callbridge.crm.hubspot", subject);
        ObjectNode next = call();

        try (CapturedLog log = CapturedLog.start()) {
            Topics.send(broker, "callbridge.call-events", subject, altered(event));
            Topics.send(broker, "callbridge.crm.hubspot", subject, altered(command));
            app.post(next);

            awaitDone(next);
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(unreadableCommands()).hasSize(1));
            JsonNode deadLetter = unreadableCommands().get(0);
            assertThat(deadLetter.path("errorClass").asText()).isEqualTo("invalid");
            assertThat(deadLetter.path("reason").asText()).startsWith("the sealed value does not open with its subject's key");
            await().atMost(Duration.ofSeconds(20)).until(() -> intakeDeadLetters(subject).size() == 1);
            assertThat(log.text()).contains("Dead letter from callbridge.call-events/")
                    .contains("the sealed value does not open with its subject's key").doesNotContain(E164, "641 00 77");
        }
        assertThat(crms.callsByCommandId(HUBSPOT)).as("each call once, the altered copies sent nowhere")
                .containsOnlyKeys(id(first) + ":log-call:0", id(next) + ":log-call:0")
                .allSatisfy((commandId, calls) -> assertThat(calls).hasSize(1));
    }

    private List<JsonNode> unreadableCommands() {
        java.net.http.HttpResponse<String> r = Events.send(java.net.http.HttpRequest.newBuilder(app.uri("/v1/dlq/hubspot"))
                .header("Authorization", "Bearer " + ADMIN).GET().build());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode body = Events.parse(r.body().getBytes(StandardCharsets.UTF_8));
        List<JsonNode> out = new java.util.ArrayList<>();
        (body.isArray() ? body : body.path("deadLetters")).forEach(out::add);
        return out;
    }

    private List<ConsumerRecord<String, byte[]>> intakeDeadLetters(String subject) {
        return Topics.readAll(broker, "callbridge.dlq.intake").stream().filter(r -> subject.equals(r.key())).toList();
    }

    /** The newest record of the caller on a topic: sealed, as every record about a caller is with a master key. */
    private byte[] newest(String topic, String subject) {
        List<ConsumerRecord<String, byte[]>> records = Topics.readAll(broker, topic).stream().filter(r -> subject.equals(r.key()))
                .toList();
        byte[] value = records.get(records.size() - 1).value();
        assertThat(SubjectCodec.isEnvelope(value)).as("sealed: %s", new String(value, StandardCharsets.UTF_8)).isTrue();
        return value;
    }

    /** The same envelope, one byte of its ciphertext changed: the subject and key id still name a key that exists. */
    private static byte[] altered(byte[] envelope) {
        ObjectNode e = (ObjectNode) Events.parse(envelope);
        byte[] data = java.util.Base64.getDecoder().decode(e.get("data").asText());
        data[data.length / 2] ^= 0x01;
        e.put("data", java.util.Base64.getEncoder().encodeToString(data));
        byte[] out = e.toString().getBytes(StandardCharsets.UTF_8);
        assertThat(Arrays.equals(out, envelope)).isFalse();
        return out;
    }

    private static ObjectNode call() {
        return Samples.shortCall("unreadable-" + java.util.UUID.randomUUID(), "079 641 00 77");
    }

    private void awaitDone(ObjectNode event) {
        await().atMost(Duration.ofSeconds(30)).until(() -> app.ledger().state("hubspot", id(event) + ":log-call:0")
                == CommandLedger.State.DONE);
    }

    private static String id(ObjectNode event) {
        return event.get("id").asText();
    }
}
