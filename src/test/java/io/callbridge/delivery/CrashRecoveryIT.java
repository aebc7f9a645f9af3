package io.callbridge.delivery;

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
import io.callbridge.support.Samples;
import io.callbridge.support.TestBroker;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A Callbridge JVM delivering to every CRM that has a fixture is SIGKILLed in the middle of a stream of 600
 * events and another takes over: every event's call exists exactly once in every CRM, and every caller
 * exactly once.
 */
class CrashRecoveryIT {

    /** 600 in the suite, which must stay under 20 minutes on 2 cores; the soak profile ({@code -Psoak}) runs 5,000. */
    private static final int EVENTS = Integer.getInteger("callbridge.soak.crash-events", 600);
    private static final int CALLERS = 50;

    @Test
    void killedMidStreamEveryRecordExistsExactlyOnceInEveryCrm() throws Exception {
        EmbeddedKafkaBroker broker = TestBroker.fresh();
        List<String> ids = new ArrayList<>();
        int writtenBeforeKill;
        try (CrmSandboxes crms = CrmSandboxes.unlimited(23)) {
            Map<String, String> settings = new HashMap<>(crms.settings());
            settings.put("callbridge.kafka.brokers", broker.bootstrapServers());
            // the next instance gets the dead one's partitions after 6 s, not Kafka's 45
            settings.put("callbridge.kafka.session-timeout-ms", "6000");
            // every CRM answers 100 ms late, so that batched delivery is still under way when the kill comes
            crms.names().forEach(crm -> crms.faults(crm, "{\"latencyMs\": 100}"));
            try (ChildCallbridge first = ChildCallbridge.start(EmbeddedKafkaBroker.freePort(), CrmSandboxes.asEnvironment(settings))) {
                for (int i = 0; i < EVENTS; i++) {
                    String id = "crash-" + i + "-" + UUID.randomUUID();
                    ids.add(id);
                    assertThat(Events.post(first.uri("/v1/call-events"), "application/json", Events.bytes(event(id, i))).statusCode())
                            .isEqualTo(202);
                }
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).until(() -> calls(crms) >= EVENTS);
                first.kill();
            }
            writtenBeforeKill = calls(crms);
            crms.names().forEach(crm -> crms.faults(crm, "{}"));

            CallbridgeApp.Builder second = CallbridgeApp.on(broker);
            crms.settings().forEach(second::with);
            try (CallbridgeApp app = second.start()) {
                await().atMost(Duration.ofSeconds(Math.max(240, EVENTS / 4))).pollInterval(Duration.ofSeconds(1))
                        .untilAsserted(() -> assertThat(callsPerCrm(crms)).as("calls logged")
                                .isEqualTo(everyCrm(crms, EVENTS)));
            }

            assertThat(writtenBeforeKill).as("the kill happened mid-stream").isLessThan(crms.fixtures().size() * EVENTS);
            for (CrmFixture crm : crms.fixtures()) {
                Map<String, List<JsonNode>> calls = crms.callsByCommandId(crm);
                assertThat(calls.keySet()).as(crm.crm()).containsExactlyInAnyOrderElementsOf(ids.stream().map(id -> id + ":log-call:0").toList());
                assertThat(calls.values()).as(crm + ": no call logged twice").allMatch(l -> l.size() == 1);
                Map<String, List<JsonNode>> callers = crms.callersByPhone(crm);
                assertThat(callers).as(crm + ": one record per caller").hasSize(CALLERS);
                assertThat(callers.values()).as(crm.crm()).allMatch(l -> l.size() == 1);
            }
        } finally {
            broker.close();
        }
    }

    private static int calls(CrmSandboxes crms) {
        return callsPerCrm(crms).values().stream().mapToInt(Integer::intValue).sum();
    }

    static Map<String, Integer> callsPerCrm(CrmSandboxes crms) {
        Map<String, Integer> n = new HashMap<>();
        crms.fixtures().forEach(crm -> n.put(crm.crm(), crms.callsByCommandId(crm).size()));
        return n;
    }

    static Map<String, Integer> everyCrm(CrmSandboxes crms, int n) {
        Map<String, Integer> all = new HashMap<>();
        crms.names().forEach(crm -> all.put(crm, n));
        return all;
    }

    /** A short call from one of 50 unknown callers: logged, and the caller's record created once and kept current. */
    private static ObjectNode event(String id, int i) {
        return Samples.shortCall(id, String.format("+41 79 600 %02d 00", i % CALLERS));
    }
}
