package io.callbridge.crm.hubspot;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

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
 * HubSpot tells Callbridge when a contact changes (its contact webhooks, signed v3 with the app's client secret): a
 * contact renamed in HubSpot is greeted by the new name at the next lookup, within two seconds rather than at the end
 * of the cache's ten minutes; each change is on {@code callbridge.crm-changes} for the assistant, without the values;
 * unsigned, wrongly signed or replayed notifications are refused, and a flood is answered 429.
 */
class HubSpotChangesIT {

    private static final String SECRET = "hs-app-client-secret";
    private static final String AGENT = "agent-changes-key";
    private static final CrmFixture HUBSPOT = CrmFixture.of("hubspot");

    private static EmbeddedKafkaBroker broker;
    private static CrmSandboxes crms;
    private static CallbridgeApp app;
    private static int port;

    @BeforeAll
    static void start() {
        broker = TestBroker.shared();
        port = EmbeddedKafkaBroker.freePort();
        crms = CrmSandboxes.start(83, true, List.of(HUBSPOT), Map.of("hubspot", Map.of("client-secret", SECRET,
                "webhook-url", "http://localhost:" + port + "/v1/crm-changes/hubspot")));
        app = CallbridgeApp.on(broker).with(crms.settings()).with("callbridge.http.port", String.valueOf(port))
                .with("callbridge.crm.hubspot.client-secret", SECRET).with("callbridge.api-keys", AGENT + ":agent")
                .with("callbridge.identify.changes-per-second", "20").start();
    }

    @AfterAll
    static void stop() {
        app.close();
        crms.close();
    }

    @Test
    void aContactRenamedInHubSpotIsGreetedByItsNewNameAtTheNextLookup() {
        String id = crms.seedCaller(HUBSPOT, "Jean", "Muster", "+41791112233", "jean.muster@example.ch");
        assertThat(lookUp("%2B41791112233").path("firstName").asText()).isEqualTo("Jean");
        HttpResponse<String> cached = lookUpResponse("%2B41791112233");
        assertThat(cached.headers().firstValue("Callbridge-Cache")).hasValue("hit");

        HttpResponse<String> renamed = Events.send(HttpRequest.newBuilder(URI.create(crms.sandbox().baseUrl("hubspot")
                + "/crm/v3/objects/contacts/" + id)).header("Authorization", "Bearer " + HubSpotFixture.TOKEN)
                .header("Content-Type", "application/json").method("PATCH", HttpRequest.BodyPublishers.ofString(
                        "{\"properties\":{\"firstname\":\"Hans\"}}")).build());
        assertThat(renamed.statusCode()).as(renamed.body()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(50))
                .until(() -> lookUp("%2B41791112233").path("firstName").asText().equals("Hans"));
        await().atMost(Duration.ofSeconds(5)).until(() -> changes(id).size() >= 1);
        JsonNode event = Events.parse(changes(id).get(changes(id).size() - 1).value());
        assertThat(event.get("type").asText()).isEqualTo("crm.contact.changed");
        assertThat(event.get("source").asText()).isEqualTo("callbridge/crm/hubspot");
        assertThat(event.at("/data/recordId").asText()).isEqualTo(id);
        assertThat(event.at("/data/change").asText()).isEqualTo("updated");
        assertThat(event.at("/data/properties/0").asText()).isEqualTo("firstname");
        assertThat(event.toString()).as("the names of what changed, never the values").doesNotContain("Hans", "Jean", "41791112233");
    }

    @Test
    void anInstanceHubSpotDidNotCallDropsItsCachedCallerToo() {
        String id = crms.seedCaller(HUBSPOT, "Olga", "Anderswo", "+41791118899", null);
        try (CallbridgeApp other = CallbridgeApp.on(broker).with(crms.settings()).with("callbridge.crm.hubspot.client-secret", SECRET)
                .with("callbridge.api-keys", AGENT + ":agent").start()) {
            assertThat(lookUp(other, "%2B41791118899").path("firstName").asText()).isEqualTo("Olga");
            assertThat(lookUpResponse(other, "%2B41791118899").headers().firstValue("Callbridge-Cache")).hasValue("hit");

            // HubSpot's webhook goes to the first instance only
            HttpResponse<String> renamed = Events.send(HttpRequest.newBuilder(URI.create(crms.sandbox().baseUrl("hubspot")
                    + "/crm/v3/objects/contacts/" + id)).header("Authorization", "Bearer " + HubSpotFixture.TOKEN)
                    .header("Content-Type", "application/json").method("PATCH", HttpRequest.BodyPublishers.ofString(
                            "{\"properties\":{\"firstname\":\"Olivia\"}}")).build());
            assertThat(renamed.statusCode()).as(renamed.body()).isEqualTo(200);

            await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(50))
                    .until(() -> lookUp(other, "%2B41791118899").path("firstName").asText().equals("Olivia"));
        }
    }

    @Test
    void aChangeTheCacheAlreadyHoldsKeepsItAndANumberGivenToAContactNoLongerCountsAsUnknown() throws Exception {
        String id = crms.seedCaller(HUBSPOT, "Rita", "Bleibt", "+41791114455", null);
        lookUp("%2B41791114455");
        notified(id, "firstname", "Rita");
        assertThat(lookUpResponse("%2B41791114455").headers().firstValue("Callbridge-Cache"))
                .as("Callbridge's own write, told back: the cached record holds it already").hasValue("hit");

        assertThat(lookUpResponse("%2B41791116677").statusCode()).isEqualTo(404);
        assertThat(lookUpResponse("%2B41791116677").headers().firstValue("Callbridge-Cache")).hasValue("hit");
        notified(id, "mobilephone", "079 111 66 77");
        assertThat(lookUpResponse("%2B41791116677").headers().firstValue("Callbridge-Cache"))
                .as("the number a contact was given is asked for again").hasValue("miss");
    }

    /** A property change as HubSpot sends it, sent again after a 429 as HubSpot would (the flood test may run just before). */
    private static void notified(String id, String property, String value) {
        String url = "http://localhost:" + port + "/v1/crm-changes/hubspot";
        String body = "[{\"eventId\":7,\"subscriptionType\":\"contact.propertyChange\",\"objectId\":" + id + ",\"propertyName\":\""
                + property + "\",\"propertyValue\":\"" + value + "\",\"occurredAt\":" + System.currentTimeMillis() + "}]";
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(200)).until(() -> {
            String now = String.valueOf(System.currentTimeMillis());
            int status = notification(body, sign(SECRET, url, body, now), now).statusCode();
            assertThat(status).isIn(204, 429);
            return status == 204;
        });
    }

    @Test
    void unsignedWronglySignedOrReplayedNotificationsAreRefused() throws Exception {
        String body = "[{\"eventId\":1,\"subscriptionType\":\"contact.deletion\",\"objectId\":1,\"occurredAt\":1}]";
        String url = "http://localhost:" + port + "/v1/crm-changes/hubspot";
        String now = String.valueOf(System.currentTimeMillis());

        assertRefused(notification(body, null, null), "not signed by HubSpot");
        assertRefused(notification(body, sign("another-secret", url, body, now), now), "does not match");
        String old = String.valueOf(System.currentTimeMillis() - Duration.ofMinutes(6).toMillis());
        assertRefused(notification(body, sign(SECRET, url, body, old), old), "older than five minutes");
        HttpResponse<String> signed = notification(body, sign(SECRET, url, body, now), now);
        assertThat(signed.statusCode()).as("the same, signed as HubSpot signs: %s", signed.body()).isEqualTo(204);
        HttpResponse<String> unknown = Events.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                + "/v1/crm-changes/salesforce")).POST(HttpRequest.BodyPublishers.ofString(body)).build());
        assertThat(unknown.statusCode()).isEqualTo(404);
    }

    @Test
    void aFloodOfNotificationsIsAnswered429WhileLookupsGoOn() throws Exception {
        String url = "http://localhost:" + port + "/v1/crm-changes/hubspot";
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            String body = "[{\"eventId\":" + (1000 + i) + ",\"subscriptionType\":\"contact.propertyChange\",\"objectId\":424242,"
                    + "\"propertyName\":\"company\",\"propertyValue\":\"x\",\"occurredAt\":1}]";
            String now = String.valueOf(System.currentTimeMillis());
            HttpResponse<String> r = notification(body, sign(SECRET, url, body, now), now);
            statuses.add(r.statusCode());
            if (r.statusCode() == 429) {
                assertThat(r.headers().firstValue("Retry-After")).hasValue("1");
            }
        }
        assertThat(statuses).contains(429).contains(204).containsOnly(204, 429);
        assertThat(lookUpResponse("%2B41790000000").statusCode()).as("a lookup during the flood").isIn(200, 404);
    }

    private static void assertRefused(HttpResponse<String> r, String reason) {
        ChangeChecks.assertRefused(r, reason);
    }

    private static HttpResponse<String> notification(String body, String signature, String timestamp) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/v1/crm-changes/hubspot"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (signature != null) {
            b.header("X-HubSpot-Signature-v3", signature).header("X-HubSpot-Request-Timestamp", timestamp);
        }
        return Events.send(b.build());
    }

    private static String sign(String secret, String url, String body, String timestamp) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return Base64.getEncoder().encodeToString(mac.doFinal(("POST" + url + body + timestamp).getBytes(StandardCharsets.UTF_8)));
    }

    private static List<ConsumerRecord<String, byte[]>> changes(String recordId) {
        return ChangeChecks.changes(broker, "hubspot", recordId);
    }

    private static JsonNode lookUp(String phone) {
        return lookUp(app, phone);
    }

    private static JsonNode lookUp(CallbridgeApp on, String phone) {
        return ChangeChecks.lookUp(on, AGENT, phone);
    }

    private static HttpResponse<String> lookUpResponse(String phone) {
        return lookUpResponse(app, phone);
    }

    private static HttpResponse<String> lookUpResponse(CallbridgeApp on, String phone) {
        return ChangeChecks.lookUpResponse(on, AGENT, phone);
    }
}
