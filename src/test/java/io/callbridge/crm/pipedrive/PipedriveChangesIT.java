package io.callbridge.crm.pipedrive;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
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
 * Pipedrive tells Callbridge when a person changes, through the webhook Callbridge creates at start (kept when one is
 * there already, replaced when its credentials are outdated): a person renamed in Pipedrive is greeted by the new name
 * at the next lookup within two seconds, a number given to a person is no longer unknown, each change is on
 * {@code callbridge.crm-changes} without its values, and a notification without the webhook's credentials is refused.
 */
class PipedriveChangesIT {

    private static final String PASSWORD = "pd-webhook-password";
    private static final String AGENT = "agent-pd-changes-key";
    private static final CrmFixture PIPEDRIVE = CrmFixture.of("pipedrive");

    private static EmbeddedKafkaBroker broker;
    private static CrmSandboxes crms;
    private static CallbridgeApp app;
    private static String url;
    private static long outdatedWebhook;
    private static long otherWebhook;

    @BeforeAll
    static void start() {
        broker = TestBroker.shared();
        int port = EmbeddedKafkaBroker.freePort();
        url = "http://localhost:" + port + "/v1/crm-changes/pipedrive";
        crms = CrmSandboxes.start(84, true, List.of(PIPEDRIVE));
        // left by an earlier start: one with a former password (replaced), another tool's (untouched)
        outdatedWebhook = webhook(url, "callbridge", "former-password");
        otherWebhook = webhook("https://elsewhere.example.test/hooks", "someone", "else");
        app = CallbridgeApp.on(broker).with(crms.settings()).with("callbridge.http.port", String.valueOf(port))
                .with("callbridge.crm.pipedrive.webhook-password", PASSWORD).with("callbridge.crm.pipedrive.change-url", url)
                .with("callbridge.primary-crm", "pipedrive").with("callbridge.api-keys", AGENT + ":agent")
                .with("callbridge.identify.changes-per-second", "20").start();
        await().atMost(Duration.ofSeconds(10)).until(() -> webhooks().stream().anyMatch(h -> url.equals(h.get("subscription_url").asText())
                && PASSWORD.equals(h.get("http_auth_password").asText())));
    }

    @AfterAll
    static void stop() {
        app.close();
        crms.close();
    }

    @Test
    void theWebhookIsMadeAtStartReplacingOneWithOutdatedCredentials() {
        List<JsonNode> hooks = webhooks();
        assertThat(hooks).extracting(h -> h.get("id").asLong()).as("the outdated one deleted, another tool's kept")
                .contains(otherWebhook).doesNotContain(outdatedWebhook).hasSize(2);
        JsonNode ours = hooks.stream().filter(h -> url.equals(h.get("subscription_url").asText())).findFirst().orElseThrow();
        assertThat(ours.get("event_action").asText()).isEqualTo("*");
        assertThat(ours.get("event_object").asText()).isEqualTo("person");
        assertThat(ours.get("version").asText()).isEqualTo("2.0");
        assertThat(ours.get("http_auth_user").asText()).isEqualTo("callbridge");
    }

    @Test
    void aPersonRenamedInPipedriveIsGreetedByTheNewNameAtTheNextLookup() {
        String id = crms.seedCaller(PIPEDRIVE, "Jean", "Muster", "+41791112233", "jean.muster@example.ch");
        ChangeChecks.awaitNoted(broker, "pipedrive", id, "created");
        assertThat(lookUp("%2B41791112233").path("displayName").asText()).isEqualTo("Jean Muster");
        assertThat(lookUpResponse("%2B41791112233").headers().firstValue("Callbridge-Cache")).hasValue("hit");

        HttpResponse<String> renamed = api("PATCH", "/api/v2/persons/" + id, "{\"name\":\"Hans Muster\"}");
        assertThat(renamed.statusCode()).as(renamed.body()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(50))
                .until(() -> lookUp("%2B41791112233").path("displayName").asText().equals("Hans Muster"));
        await().atMost(Duration.ofSeconds(5)).until(() -> changes(id).stream()
                .anyMatch(r -> Events.parse(r.value()).at("/data/change").asText().equals("updated")));
        JsonNode event = changes(id).stream().map(r -> Events.parse(r.value()))
                .filter(e -> e.at("/data/change").asText().equals("updated")).findFirst().orElseThrow();
        assertThat(event.get("type").asText()).isEqualTo("crm.contact.changed");
        assertThat(event.get("source").asText()).isEqualTo("callbridge/crm/pipedrive");
        assertThat(event.at("/data/recordId").asText()).isEqualTo(id);
        assertThat(event.at("/data/properties").toString()).contains("\"name\"");
        assertThat(event.toString()).as("the names of what changed, never the values").doesNotContain("Hans", "Jean", "41791112233");
    }

    @Test
    void aNumberGivenToAPersonNoLongerCountsAsUnknown() {
        String id = crms.seedCaller(PIPEDRIVE, "Rita", "Neu", "+41791114455", null);
        ChangeChecks.awaitNoted(broker, "pipedrive", id, "created");
        assertThat(lookUpResponse("%2B41791116677").statusCode()).isEqualTo(404);
        assertThat(lookUpResponse("%2B41791116677").headers().firstValue("Callbridge-Cache")).hasValue("hit");

        HttpResponse<String> given = api("PATCH", "/api/v2/persons/" + id, "{\"phones\":[{\"value\":\"+41791114455\",\"primary\":true},"
                + "{\"value\":\"079 111 66 77\",\"primary\":false,\"label\":\"mobile\"}]}");
        assertThat(given.statusCode()).as(given.body()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(50))
                .until(() -> lookUpResponse("%2B41791116677").statusCode() == 200);
        assertThat(lookUp("%2B41791116677").path("displayName").asText()).isEqualTo("Rita Neu");
    }

    @Test
    void aNotificationWithoutTheWebhooksCredentialsIsRefused() {
        String body = "{\"meta\":{\"action\":\"delete\",\"entity\":\"person\",\"entity_id\":\"1\",\"version\":\"2.0\"},\"data\":null,"
                + "\"previous\":{\"id\":1}}";
        assertRefused(notification(body, null), "no HTTP Basic credentials");
        assertRefused(notification(body, basic("callbridge", "guessed")), "not those Callbridge gave");
        assertRefused(notification(body, basic("intruder", PASSWORD)), "not those Callbridge gave");
        HttpResponse<String> accepted = notification(body, basic("callbridge", PASSWORD));
        assertThat(accepted.statusCode()).as("the same, with the webhook's credentials: %s", accepted.body()).isEqualTo(204);
    }

    private static long webhook(String to, String user, String password) {
        HttpResponse<String> r = api("POST", "/v1/webhooks", "{\"subscription_url\":\"" + to + "\",\"event_action\":\"*\","
                + "\"event_object\":\"person\",\"name\":\"Callbridge caller changes\",\"http_auth_user\":\"" + user
                + "\",\"http_auth_password\":\"" + password + "\",\"version\":\"2.0\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return Events.parse(r.body().getBytes(StandardCharsets.UTF_8)).at("/data/id").asLong();
    }

    private static List<JsonNode> webhooks() {
        HttpResponse<String> r = api("GET", "/v1/webhooks", null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        List<JsonNode> out = new java.util.ArrayList<>();
        Events.parse(r.body().getBytes(StandardCharsets.UTF_8)).get("data").forEach(out::add);
        return out;
    }

    private static HttpResponse<String> api(String method, String path, String json) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(crms.sandbox().baseUrl("pipedrive") + path))
                .header("x-api-token", PipedriveFixture.TOKEN);
        if (json == null) {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        }
        return Events.send(b.build());
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static void assertRefused(HttpResponse<String> r, String reason) {
        ChangeChecks.assertRefused(r, reason);
    }

    private static HttpResponse<String> notification(String body, String authorization) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return Events.send(b.build());
    }

    private static List<ConsumerRecord<String, byte[]>> changes(String recordId) {
        return ChangeChecks.changes(broker, "pipedrive", recordId);
    }

    private static JsonNode lookUp(String phone) {
        return ChangeChecks.lookUp(app, AGENT, phone);
    }

    private static HttpResponse<String> lookUpResponse(String phone) {
        return ChangeChecks.lookUpResponse(app, AGENT, phone);
    }
}
