package io.callbridge.crm.zoho;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.callbridge.broker.EmbeddedKafkaBroker;
import io.callbridge.support.CallbridgeApp;
import io.callbridge.support.ChangeChecks;
import io.callbridge.support.CrmFixture;
import io.callbridge.support.CrmSandboxes;
import io.callbridge.support.Events;
import io.callbridge.support.TestBroker;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Zoho tells Callbridge when a contact changes, through the watch Callbridge enables at start and renews before it
 * expires (the sandbox keeps a channel three seconds here, as Zoho keeps one an hour when asked for longer than a
 * week): a contact renamed in Zoho, even after the first channel expired, is greeted by the new name at the next lookup
 * within two seconds, each change is on {@code callbridge.crm-changes}, and a notification without the watch's token
 * is refused.
 */
class ZohoChangesIT {

    private static final String TOKEN = "zoho-watch-token-for-callbridge";
    private static final String AGENT = "agent-zoho-changes-key";
    private static final CrmFixture ZOHO = CrmFixture.of("zoho");

    private static EmbeddedKafkaBroker broker;
    private static CrmSandboxes crms;
    private static CallbridgeApp app;
    private static ZohoFixture.Org org;
    private static String url;

    @BeforeAll
    static void start() {
        broker = TestBroker.shared();
        int port = EmbeddedKafkaBroker.freePort();
        url = "http://localhost:" + port + "/v1/crm-changes/zoho";
        crms = CrmSandboxes.start(85, true, List.of(ZOHO), Map.of("zoho", Map.of("watch-max-expiry-seconds", "3",
                "watch-default-expiry-seconds", "3")));
        org = new ZohoFixture.Org(crms.sandbox());
        app = CallbridgeApp.on(broker).with(crms.settings()).with("callbridge.http.port", String.valueOf(port))
                .with("callbridge.crm.zoho.watch-token", TOKEN).with("callbridge.crm.zoho.change-url", url)
                .with("callbridge.primary-crm", "zoho").with("callbridge.api-keys", AGENT + ":agent")
                .with("callbridge.identify.changes-per-second", "20").start();
        await().atMost(Duration.ofSeconds(10)).until(() -> watches() >= 1);
    }

    @AfterAll
    static void stop() {
        app.close();
        crms.close();
    }

    @Test
    void theWatchIsEnabledAtStartAndRenewedBeforeItExpires() {
        JsonNode channels = org.json("GET", "/actions/watch", null).get("watch");
        assertThat(channels).extracting(c -> c.get("resource_name").asText()).containsExactlyInAnyOrder("Contacts", "Leads");
        assertThat(channels).allSatisfy(c -> {
            assertThat(c.get("notify_url").asText()).isEqualTo(url);
            assertThat(c.get("channel_id").asText()).isEqualTo("1000000077001");
            assertThat(c.get("token").asText()).isEqualTo(TOKEN);
        });
        long first = watches();
        await().atMost(Duration.ofSeconds(5)).until(() -> watches() >= first + 2);
    }

    @Test
    void aContactRenamedInZohoAfterTheFirstChannelExpiredIsGreetedByTheNewName() {
        String id = crms.seedCaller(ZOHO, "Jean", "Muster", "+41791112233", "jean.muster@example.ch");
        assertThat(lookUp("%2B41791112233").path("firstName").asText()).isEqualTo("Jean");
        assertThat(lookUpResponse("%2B41791112233").headers().firstValue("Callbridge-Cache")).hasValue("hit");
        // the first channel lasted three seconds: only its renewals still send
        await().atMost(Duration.ofSeconds(10)).until(() -> watches() >= 3);

        HttpResponse<String> renamed = org.call("PUT", "/Contacts/" + id, Events.parse("{\"data\":[{\"First_Name\":\"Hans\"}]}".getBytes(StandardCharsets.UTF_8)));
        assertThat(renamed.statusCode()).as(renamed.body()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(50))
                .until(() -> lookUp("%2B41791112233").path("firstName").asText().equals("Hans"));
        await().atMost(Duration.ofSeconds(5)).until(() -> changes(id).stream()
                .anyMatch(r -> Events.parse(r.value()).at("/data/change").asText().equals("updated")));
        JsonNode event = changes(id).stream().map(r -> Events.parse(r.value()))
                .filter(e -> e.at("/data/change").asText().equals("updated")).findFirst().orElseThrow();
        assertThat(event.get("type").asText()).isEqualTo("crm.contact.changed");
        assertThat(event.get("source").asText()).isEqualTo("callbridge/crm/zoho");
        assertThat(event.at("/data/recordId").asText()).isEqualTo(id);
        assertThat(event.toString()).as("never the values").doesNotContain("Hans", "Jean", "41791112233");
    }

    @Test
    void aNotificationWithoutTheWatchsTokenIsRefused() {
        String body = "{\"server_time\":1764320400000,\"query_params\":{},\"module\":\"Contacts\",\"ids\":[\"4876876000000412001\"],"
                + "\"operation\":\"update\",\"channel_id\":\"1000000077001\"";
        assertRefused(notification(body + "}"), "no token in the body");
        assertRefused(notification(body + ",\"token\":\"guessed\"}"), "not the one Callbridge gave");
        assertRefused(notification(body + ",\"token\":\"" + TOKEN.substring(1) + "\"}"), "not the one Callbridge gave");
        HttpResponse<String> accepted = notification(body + ",\"token\":\"" + TOKEN + "\"}");
        assertThat(accepted.statusCode()).as("the same, with the watch's token: %s", accepted.body()).isEqualTo(204);
    }

    /** How many times Callbridge enabled the watch (the sandbox's journal of requests). */
    private static long watches() {
        long n = 0;
        for (JsonNode r : crms.requests("zoho")) {
            if (r.path("method").asText().equals("POST") && r.path("path").asText().endsWith("/crm/v8/actions/watch")
                    && r.path("status").asInt() == 200) {
                n++;
            }
        }
        return n;
    }

    private static void assertRefused(HttpResponse<String> r, String reason) {
        ChangeChecks.assertRefused(r, reason);
    }

    private static HttpResponse<String> notification(String body) {
        return Events.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private static List<ConsumerRecord<String, byte[]>> changes(String recordId) {
        return ChangeChecks.changes(broker, "zoho", recordId);
    }

    private static JsonNode lookUp(String phone) {
        return ChangeChecks.lookUp(app, AGENT, phone);
    }

    private static HttpResponse<String> lookUpResponse(String phone) {
        return ChangeChecks.lookUpResponse(app, AGENT, phone);
    }
}
