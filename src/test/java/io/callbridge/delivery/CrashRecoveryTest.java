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
import io.callbridge.support.Events;
import io.callbridge.support.Samples;
import io.callbridge.support.TestBroker;
import io.callbridge.support.ThreeCrms;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A Callbridge JVM delivering to Salesforce, HubSpot and Pipedrive is SIGKILLed in the middle of a stream
 * of 1,000 events and another takes over: every event's call exists exactly once in every CRM, and every
 * caller exactly once.
 */
class CrashRecoveryTest {

    /** 1,000 in the suite; the soak profile ({@code -Psoak}) raises it. */
    private static final int EVENTS = Integer.getInteger("callbridge.soak.crash-events", 1000);
    private static final int CALLERS = 50;

    @Test
    void killedMidStreamEveryRecordExistsExactlyOnceInEveryCrm() throws Exception {
        EmbeddedKafkaBroker broker = TestBroker.fresh();
        List<String> ids = new ArrayList<>();
        int writtenBeforeKill;
        try (ThreeCrms crms = ThreeCrms.unlimited(23)) {
            Map<String, String> settings = new HashMap<>(crms.settings());
            settings.put("callbridge.kafka.brokers", broker.bootstrapServers());
            try (ChildCallbridge first = ChildCallbridge.start(EmbeddedKafkaBroker.freePort(), ThreeCrms.asEnvironment(settings))) {
                for (int i = 0; i < EVENTS; i++) {
                    String id = "crash-" + i + "-" + UUID.randomUUID();
                    ids.add(id);
                    assertThat(Events.post(first.uri("/v1/call-events"), "application/json", Events.bytes(event(id, i))).statusCode())
                            .isEqualTo(202);
                }
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() -> calls(crms) >= EVENTS);
                first.kill();
            }
            writtenBeforeKill = calls(crms);

            CallbridgeApp.Builder second = CallbridgeApp.on(broker);
            crms.settings().forEach(second::with);
            try (CallbridgeApp app = second.start()) {
                await().atMost(Duration.ofSeconds(Math.max(240, EVENTS / 4))).pollInterval(Duration.ofSeconds(1))
                        .untilAsserted(() -> assertThat(callsPerCrm(crms)).as("calls logged")
                                .isEqualTo(Map.of("salesforce", EVENTS, "hubspot", EVENTS, "pipedrive", EVENTS)));
            }

            assertThat(writtenBeforeKill).as("the kill happened mid-stream").isLessThan(3 * EVENTS);
            for (String crm : ThreeCrms.NAMES) {
                Map<String, List<JsonNode>> calls = crms.callsByCommandId(crm);
                assertThat(calls.keySet()).as(crm).containsExactlyInAnyOrderElementsOf(ids.stream().map(id -> id + ":log-call:0").toList());
                assertThat(calls.values()).as(crm + ": no call logged twice").allMatch(l -> l.size() == 1);
                Map<String, List<JsonNode>> callers = crms.callersByPhone(crm);
                assertThat(callers).as(crm + ": one record per caller").hasSize(CALLERS);
                assertThat(callers.values()).as(crm).allMatch(l -> l.size() == 1);
            }
        } finally {
            broker.close();
        }
    }

    private static int calls(ThreeCrms crms) {
        return callsPerCrm(crms).values().stream().mapToInt(Integer::intValue).sum();
    }

    private static Map<String, Integer> callsPerCrm(ThreeCrms crms) {
        Map<String, Integer> n = new HashMap<>();
        ThreeCrms.NAMES.forEach(crm -> n.put(crm, crms.callsByCommandId(crm).size()));
        return n;
    }

    /** A short call from one of 50 unknown callers: logged, and the caller's record created once and kept current. */
    private static ObjectNode event(String id, int i) {
        return Samples.shortCall(id, String.format("+41 79 600 %02d 00", i % CALLERS));
    }
}
