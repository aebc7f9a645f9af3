package io.callbridge.crm.notion;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callbridge.broker.EmbeddedKafkaBroker;
import io.callbridge.support.CallbridgeApp;
import io.callbridge.support.CrmFixture;
import io.callbridge.support.CrmSandboxes;
import io.callbridge.support.Events;
import io.callbridge.support.TestBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Notion counts searches and writes in one budget (three requests a second). While delivery works through a backlog
 * at that pace, a caller on the line still gets the next slot: delivery's requests take a slot only when another stays
 * free, instead of booking the window's next seconds ahead of the caller, which left lookups waiting behind them past
 * the 150 ms deadline (503).
 */
class NotionLookupsWhileDeliveringIT {

    private static final String AGENT = "agent-notion-load-key";
    private static final CrmFixture NOTION = CrmFixture.of("notion");

    private static EmbeddedKafkaBroker broker;
    private static CrmSandboxes crms;
    private static CallbridgeApp app;
    private static final ScheduledExecutorService callers = Executors.newSingleThreadScheduledExecutor();

    @BeforeAll
    static void start() {
        // a broker of its own: the backlog is left undelivered at the end, and must not wait for the next test's app
        broker = TestBroker.fresh();
        crms = CrmSandboxes.start(87, false, List.of(NOTION));
        app = CallbridgeApp.on(broker).with(crms.settings()).with("callbridge.api-keys", AGENT + ":agent")
                .with("callbridge.api-keys.lookups-per-second", "1000").start();
        // ready once Notion answered a lookup in time (connections open, code paths warm)
        await().atMost(Duration.ofSeconds(30)).until(() -> lookUp("+41 79 000 00 01").statusCode() == 404);
    }

    @AfterAll
    static void stop() {
        callers.shutdownNow();
        app.close();
        crms.close();
        broker.close();
    }

    @Test
    void aCallerIsAnsweredInTimeWhileDeliveryUsesNotionsWholePace() {
        for (int i = 0; i < 5; i++) {
            ObjectNode event = Events.exampleWithNewId();
            ObjectNode data = (ObjectNode) event.get("data");
            data.put("from", "+4179441" + String.format("%04d", i)).put("callId", "notion-load-" + i);
            ((ObjectNode) data.get("caller")).put("email", "notion-load-" + i + "@example.ch");
            app.post(event);
        }
        // a caller a second for 6 s, while the backlog keeps Notion's window busy
        List<HttpResponse<String>> answers = Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < 6; i++) {
            String number = "+4179442" + String.format("%04d", i);
            callers.schedule(() -> answers.add(lookUp(number)), 1000 + i * 1000L, TimeUnit.MILLISECONDS);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> answers.size() == 6);

        assertThat(answers).as("no caller waits behind delivery's requests")
                .allSatisfy(r -> assertThat(r.statusCode()).as(r.body()).isEqualTo(404));
        assertThat(crms.requests("notion").toString()).as("delivery was working meanwhile").contains("/v1/pages");
    }

    private static HttpResponse<String> lookUp(String phone) {
        return Events.send(HttpRequest.newBuilder(app.uri("/v1/callers/" + phone.replace("+", "%2B").replace(" ", "%20")))
                .header("Authorization", "Bearer " + AGENT).GET().build());
    }
}
