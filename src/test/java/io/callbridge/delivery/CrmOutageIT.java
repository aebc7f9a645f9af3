package io.callbridge.delivery;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

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
 * One CRM (the last fixture's) goes down for 30 s in the middle of a stream of calls: its breaker opens and
 * closes again (in /observe/metrics), nothing is dead-lettered, every call ends up in it once, and every
 * other CRM keeps receiving its calls while it is down.
 */
class CrmOutageIT {

    private static final Duration OUTAGE = Duration.ofSeconds(30);

    @Test
    void oneCrmDownThirtySecondsDelaysNobodyElseAndLosesNothing() throws Exception {
        EmbeddedKafkaBroker broker = TestBroker.fresh();
        MappingsCopy mappings = MappingsCopy.logCallOnly();
        try (CrmSandboxes crms = CrmSandboxes.unlimited(31)) {
            CrmFixture down = crms.fixtures().get(crms.fixtures().size() - 1);
            List<CrmFixture> others = crms.fixtures().subList(0, crms.fixtures().size() - 1);
            CallbridgeApp.Builder builder = CallbridgeApp.on(broker).with("callbridge.mappings.dir", mappings.dir().toString())
                    .with("callbridge.delivery.retry.initial-ms", "200")
                    .with("callbridge.delivery.retry.max-ms", "2000")
                    .with("callbridge.delivery.breaker.probe-interval-ms", "2000")
                    .with("callbridge.delivery.max-attempts", "3");
            crms.settings().forEach(builder::with);
            try (CallbridgeApp app = builder.start()) {
                List<String> ids = new ArrayList<>();
                post(app, ids, 0, 20);
                await().atMost(Duration.ofSeconds(30)).until(() -> crms.callsByCommandId(down).size() == 20);

                crms.faults(down.crm(), "{\"outage\":{\"startsInMs\":0,\"durationMs\":" + OUTAGE.toMillis() + ",\"status\":503}}");
                long outageEnds = System.currentTimeMillis() + OUTAGE.toMillis();
                boolean breakerSeenOpen = false;
                int batches = 0;
                // batches of calls while the CRM is down, until its breaker shows open in the metrics
                while (!breakerSeenOpen || batches < 5) {
                    post(app, ids, ids.size(), 10);
                    batches++;
                    int posted = ids.size();
                    // the other CRMs get every call posted so far while it is still down
                    await().atMost(Duration.ofSeconds(4)).until(() -> others.stream()
                            .allMatch(f -> crms.callsByCommandId(f).size() == posted));
                    assertThat(System.currentTimeMillis()).as("batch %d landed during the outage", batches).isLessThan(outageEnds);
                    breakerSeenOpen = metrics(app).contains("callbridge_delivery_breaker_open{crm=\"" + down + "\"} 1.0");
                }
                assertThat(crms.callsByCommandId(down)).as(down + " was really down").hasSize(20);
                others.forEach(f -> assertThat(metrics(app)).contains("callbridge_delivery_breaker_open{crm=\"" + f + "\"} 0.0"));

                post(app, ids, ids.size(), 20);
                await().atMost(OUTAGE.plusSeconds(60)).pollInterval(Duration.ofMillis(500))
                        .until(() -> crms.callsByCommandId(down).size() == ids.size());
                await().atMost(Duration.ofSeconds(10)).until(() -> metrics(app).contains("callbridge_delivery_breaker_open{crm=\"" + down + "\"} 0.0"));
                assertThat(metrics(app)).containsPattern("callbridge_delivery_breaker_openings_total\\{crm=\"" + down + "\"\\} [1-9]");
                others.forEach(f -> assertThat(metrics(app)).contains("callbridge_delivery_breaker_openings_total{crm=\"" + f + "\"} 0.0"));
                for (CrmFixture crm : crms.fixtures()) {
                    assertThat(crms.callsByCommandId(crm).keySet()).as(crm.crm())
                            .containsExactlyInAnyOrderElementsOf(ids.stream().map(id -> id + ":log-call:0").toList());
                    assertThat(crms.callsByCommandId(crm).values()).as(crm + ": each call once").allMatch(l -> l.size() == 1);
                    assertThat(Topics.readAll(broker, "callbridge.dlq." + crm)).as(crm + ": nothing dead-lettered").isEmpty();
                }
            }
        } finally {
            broker.close();
        }
    }

    private static void post(CallbridgeApp app, List<String> ids, int from, int count) {
        for (int i = from; i < from + count; i++) {
            String id = "outage-" + i;
            ObjectNode event = Samples.shortCall(id, String.format("+41 79 610 %02d 00", i % 10));
            assertThat(Events.post(app.uri("/v1/call-events"), "application/json", Events.bytes(event)).statusCode()).isEqualTo(202);
            ids.add(id);
        }
    }

    private static String metrics(CallbridgeApp app) {
        return app.metrics();
    }
}
