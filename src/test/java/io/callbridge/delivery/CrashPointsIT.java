package io.callbridge.delivery;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callbridge.broker.EmbeddedKafkaBroker;
import io.callbridge.support.CallbridgeApp;
import io.callbridge.support.ChildCallbridge;
import io.callbridge.support.CrmFixture;
import io.callbridge.support.CrmSandboxes;
import io.callbridge.support.Events;
import io.callbridge.support.MappingsCopy;
import io.callbridge.support.Samples;
import io.callbridge.support.TestBroker;
import io.callbridge.support.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Callbridge dies at the three points of a batch whose order the guarantees rest on (callbridge.test.crash-at
 * halts the JVM there, as a SIGKILL would), and another instance takes over: every call of the batch ends up in
 * HubSpot exactly once, and the one HubSpot refuses in exactly one dead letter.
 */
class CrashPointsIT {

    private static final int CALLS = 20;
    private static final int BAD = 7;
    private static final CrmFixture HUBSPOT = CrmFixture.of("hubspot");

    @Test
    void killedAfterThePendingFlushBeforeTheCrmIsCalled() throws Exception {
        crashAndRecover("after-pending", (crms, broker) ->
                assertThat(crms.callsByCommandId(HUBSPOT)).as("nothing reached HubSpot before the crash").isEmpty());
    }

    @Test
    void killedAfterTheCrmAnsweredBeforeDoneIsRecorded() throws Exception {
        crashAndRecover("after-answer", (crms, broker) ->
                assertThat(crms.callsByCommandId(HUBSPOT)).as("HubSpot wrote before the crash").isNotEmpty());
    }

    @Test
    void killedAfterADeadLetterBeforeTheCommit() throws Exception {
        crashAndRecover("after-dead-letter", (crms, broker) ->
                assertThat(Topics.readAll(broker, "callbridge.dlq.hubspot")).as("the dead letter was written before the crash").hasSize(1));
    }

    private interface AtTheCrash {
        void check(CrmSandboxes crms, EmbeddedKafkaBroker broker) throws Exception;
    }

    private static void crashAndRecover(String point, AtTheCrash atTheCrash) throws Exception {
        EmbeddedKafkaBroker broker = TestBroker.fresh();
        MappingsCopy mappings = MappingsCopy.logCallOnly();
        // HubSpot refuses one call of the batch (a property it does not have), as a misconfigured mapping would
        mappings.replace("hubspot/log-call.jsonata", "\"hs_call_title\":",
                "\"no_such_property\": $contains(data.summary, \"BAD\") ? \"x\" : null,\n    \"hs_call_title\":");
        try (CrmSandboxes crms = CrmSandboxes.start(47, true, List.of(HUBSPOT))) {
            Map<String, String> settings = new HashMap<>(crms.settings());
            settings.put("callbridge.kafka.brokers", broker.bootstrapServers());
            settings.put("callbridge.mappings.dir", mappings.dir().toString());
            settings.put("callbridge.crm.hubspot.unknown-caller", "log-unlinked");
            List<String> ids = new ArrayList<>();
            Map<String, String> crashing = new HashMap<>(settings);
            crashing.put("callbridge.test.crash-at", point);
            // the next instance gets the dead one's partitions after 6 s, not Kafka's 45
            crashing.put("callbridge.kafka.session-timeout-ms", "6000");
            try (ChildCallbridge child = ChildCallbridge.start(EmbeddedKafkaBroker.freePort(), CrmSandboxes.asEnvironment(crashing))) {
                byte[] batch = batch(ids);
                assertThat(Events.post(child.uri("/v1/call-events"), "application/cloudevents-batch+json", batch).statusCode()).isEqualTo(202);
                await().atMost(Duration.ofSeconds(60)).until(() -> !child.process().isAlive());
                assertThat(child.process().exitValue()).as(child.log()).isEqualTo(137);
                assertThat(child.log()).contains("crash point " + point + " reached");
            }
            atTheCrash.check(crms, broker);

            CallbridgeApp.Builder next = CallbridgeApp.on(broker);
            settings.forEach(next::with);
            try (CallbridgeApp app = next.start()) {
                await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
                    assertThat(crms.callsByCommandId(HUBSPOT)).hasSize(CALLS - 1);
                    assertThat(Topics.readAll(broker, "callbridge.dlq.hubspot")).hasSize(1);
                });
                Map<String, List<JsonNode>> calls = crms.callsByCommandId(HUBSPOT);
                for (int i = 0; i < CALLS; i++) {
                    String commandId = ids.get(i) + ":log-call:0";
                    if (i == BAD) {
                        assertThat(calls).doesNotContainKey(commandId);
                    } else {
                        assertThat(calls.get(commandId)).as("call %d logged once", i).hasSize(1);
                    }
                }
                List<ConsumerRecord<String, byte[]>> dead = Topics.readAll(broker, "callbridge.dlq.hubspot");
                assertThat(Events.parse(dead.get(0).value()).get("commandId").asText()).isEqualTo(ids.get(BAD) + ":log-call:0");
            }
        } finally {
            broker.close();
        }
    }

    /** CALLS calls from as many callers, in one request, so they meet in one batch; one of them HubSpot refuses. */
    private static byte[] batch(List<String> ids) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write('[');
        for (int i = 0; i < CALLS; i++) {
            ObjectNode event = Samples.shortCall("crash-" + i + "-" + UUID.randomUUID(), String.format("+41 79 702 %02d %02d", i / 10, i % 10));
            ((ObjectNode) event.get("data")).put("summary", i == BAD ? "BAD call" : "call " + i);
            ids.add(event.get("id").asText());
            if (i > 0) {
                b.write(',');
            }
            b.writeBytes(Events.bytes(event));
        }
        b.write(']');
        return b.toByteArray();
    }
}
