package io.callbridge.delivery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callbridge.broker.EmbeddedKafkaBroker;
import io.callbridge.support.CallbridgeApp;
import io.callbridge.support.CrmFixture;
import io.callbridge.support.CrmSandboxes;
import io.callbridge.support.Events;
import io.callbridge.support.MappingsCopy;
import io.callbridge.support.Samples;
import io.callbridge.support.TestBroker;
import io.callbridge.support.Topics;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * 1,000 calls from 50 unknown callers into every CRM that has a fixture while every CRM misbehaves, from a
 * fixed seed: its own 5xx, 429, 401, added latency, answers that come after the client gave up (the write
 * happened: the retry must not write it twice), and sessions expiring every few seconds where the CRM has them. In the
 * end each CRM holds exactly the expected records: one call per event, on the right caller, one record per
 * caller, and nothing dead-lettered.
 */
class ChaosIT {

    /** 1,000 in the suite, which must stay under 20 minutes on 2 cores; the soak profile ({@code -Psoak}) runs 20,000. */
    private static final int EVENTS = Integer.getInteger("callbridge.soak.chaos-events", 1000);
    private static final int CALLERS = 50;
    private static final long SEED = 20261128L;

    @Test
    void underSeededFaultsEveryCrmEndsInExactlyTheExpectedState() throws Exception {
        EmbeddedKafkaBroker broker = TestBroker.fresh();
        // only the log-call rule: one call per event keeps the expected state plain
        MappingsCopy mappings = MappingsCopy.logCallOnly();
        ScheduledExecutorService sessions = Executors.newSingleThreadScheduledExecutor();
        try (CrmSandboxes crms = CrmSandboxes.unlimited(SEED)) {
            String late = "\"lateRate\":0.01,\"lateMs\":1500,\"latencyJitterMs\":20,\"seed\":" + SEED;
            crms.fixtures().forEach(f -> crms.faults(f.crm(), f.chaosFaults(late)));

            CallbridgeApp.Builder builder = CallbridgeApp.on(broker).with("callbridge.mappings.dir", mappings.dir().toString())
                    .with("callbridge.delivery.retry.initial-ms", "50")
                    .with("callbridge.delivery.retry.max-ms", "500")
                    .with("callbridge.delivery.breaker.probe-interval-ms", "500")
                    .with("callbridge.delivery.max-attempts", "8")
                    // the late answers (1.5 s) must time out
                    .with("camel.component.http.response-timeout", "1000")
                    .with("callbridge.crm.salesforce.request-timeout-ms", "1000");
            crms.settings().forEach(builder::with);
            try (CallbridgeApp app = builder.start()) {
                sessions.scheduleAtFixedRate(() -> crms.fixtures().stream().filter(CrmFixture::sessionsExpire)
                        .forEach(f -> crms.expireTokens(f.crm())), 3, 3, TimeUnit.SECONDS);
                List<String> ids = new ArrayList<>();
                for (int i = 0; i < EVENTS; i++) {
                    ids.add("chaos-" + i);
                }
                // four clients at once, as several assistant instances would post
                ExecutorService clients = Executors.newFixedThreadPool(4);
                List<Future<Integer>> answers = new ArrayList<>();
                for (int i = 0; i < EVENTS; i++) {
                    int n = i;
                    answers.add(clients.submit(() -> Events.post(app.uri("/v1/call-events"), "application/json",
                            Events.bytes(event(ids.get(n), n))).statusCode()));
                }
                for (Future<Integer> answer : answers) {
                    assertThat(answer.get()).isEqualTo(202);
                }
                clients.shutdown();
                await().atMost(Duration.ofSeconds(Math.max(300, EVENTS / 5))).pollInterval(Duration.ofSeconds(1))
                        .untilAsserted(() -> assertThat(callsPerCrm(crms)).as("calls logged")
                        .isEqualTo(CrashRecoveryIT.everyCrm(crms, EVENTS)));
                sessions.shutdownNow();

                for (CrmFixture crm : crms.fixtures()) {
                    // a CRM whose batch requests carry many commands gets fewer requests, so fewer faults; ten are still a test
                    assertThat(crms.answeredWithFault(crm.crm())).as(crm + ": faults were injected").isGreaterThanOrEqualTo(10);
                    Map<String, List<JsonNode>> callers = crms.callersByPhone(crm);
                    assertThat(callers).as(crm + ": one record per caller").hasSize(CALLERS);
                    assertThat(callers.values()).as(crm.crm()).allMatch(l -> l.size() == 1);
                    Map<String, List<JsonNode>> calls = crms.callsByCommandId(crm);
                    for (int i = 0; i < EVENTS; i++) {
                        List<JsonNode> logged = calls.get(ids.get(i) + ":log-call:0");
                        assertThat(logged).as(crm + " " + ids.get(i)).hasSize(1);
                        String callerId = crm.recordId(callers.get(number(i)).get(0));
                        assertThat(crm.callerIdOfCall(logged.get(0))).as(crm + " " + ids.get(i) + " is on its caller")
                                .isEqualTo(callerId);
                    }
                    assertThat(Topics.readAll(broker, "callbridge.dlq." + crm)).as(crm + ": nothing set aside").isEmpty();
                }
            }
        } finally {
            sessions.shutdownNow();
            broker.close();
        }
    }

    private static Map<String, Integer> callsPerCrm(CrmSandboxes crms) {
        return CrashRecoveryIT.callsPerCrm(crms);
    }

    private static String number(int i) {
        return String.format("+417960%02d100", i % CALLERS);
    }

    private static ObjectNode event(String id, int i) {
        return Samples.shortCall(id, String.format("+41 79 60 %02d 100", i % CALLERS));
    }
}
