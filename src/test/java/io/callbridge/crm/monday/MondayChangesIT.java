package io.callbridge.crm.monday;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
 * monday tells Callbridge when an item of the contacts board changes: Callbridge makes the board's webhooks itself at
 * start (monday's challenge answered), each event carries the app's JWT; an item renamed in monday is greeted by its new
 * name at the next lookup within two seconds, a number given to it is found; each change is on
 * {@code callbridge.crm-changes} without the values; events without the app's JWT, or with a wrong or expired one, are
 * refused.
 */
class MondayChangesIT {

    private static final String SECRET = "monday-app-signing-secret";
    private static final String AGENT = "agent-changes-key";
    private static final CrmFixture MONDAY = CrmFixture.of("monday");

    private static EmbeddedKafkaBroker broker;
    private static CrmSandboxes crms;
    private static CallbridgeApp app;
    private static int port;
    private static MondayFixture.Account account;

    @BeforeAll
    static void start() {
        broker = TestBroker.shared();
        port = EmbeddedKafkaBroker.freePort();
        crms = CrmSandboxes.start(84, true, List.of(MONDAY), Map.of("monday", Map.of("signing-secret", SECRET)));
        account = new MondayFixture.Account(crms.sandbox());
        app = CallbridgeApp.on(broker).with(crms.settings()).with("callbridge.http.port", String.valueOf(port))
                .with("callbridge.crm.monday.signing-secret", SECRET).with("callbridge.primary-crm", "monday")
                .with("callbridge.crm.monday.change-url", url()).with("callbridge.api-keys", AGENT + ":agent")
                .with("callbridge.identify.changes-per-second", "20").start();
        await().atMost(Duration.ofSeconds(20)).until(() -> webhooks().size() == MondayChanges.EVENTS.size());
    }

    @AfterAll
    static void stop() {
        app.close();
        crms.close();
    }

    @Test
    void callbridgeMakesTheContactsBoardsWebhooksAnsweringMondaysChallenge() {
        assertThat(webhooks()).extracting(w -> w.get("event").asText())
                .containsExactlyInAnyOrderElementsOf(MondayChanges.EVENTS);
        HttpResponse<String> challenge = notification("{\"challenge\":\"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P\"}", null);
        assertThat(challenge.statusCode()).as(challenge.body()).isEqualTo(200);
        assertThat(Events.parse(challenge.body().getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(Events.parse("{\"challenge\":\"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P\"}"
                        .getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void anItemRenamedInMondayIsGreetedByItsNewNameAtTheNextLookup() {
        String id = crms.seedCaller(MONDAY, "Jean", "Muster", "+41791112233", "jean.muster@example.ch");
        ChangeChecks.awaitNoted(broker, "monday", id, "created");
        assertThat(lookUp("%2B41791112233").path("displayName").asText()).isEqualTo("Jean Muster");
        assertThat(lookUpResponse("%2B41791112233").headers().firstValue("Callbridge-Cache")).hasValue("hit");

        change(id, "{\"name\":\"Hans Muster\"}");

        await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(50))
                .until(() -> lookUp("%2B41791112233").path("displayName").asText().equals("Hans Muster"));
        await().atMost(Duration.ofSeconds(5)).until(() -> !changes(id).isEmpty());
        JsonNode event = Events.parse(changes(id).get(changes(id).size() - 1).value());
        assertThat(event.get("type").asText()).isEqualTo("crm.contact.changed");
        assertThat(event.get("source").asText()).isEqualTo("callbridge/crm/monday");
        assertThat(event.at("/data/recordId").asText()).isEqualTo(id);
        assertThat(event.at("/data/change").asText()).isEqualTo("updated");
        assertThat(event.at("/data/properties/0").asText()).isEqualTo("name");
        assertThat(event.toString()).as("the names of what changed, never the values").doesNotContain("Hans", "Jean", "41791112233");
    }

    @Test
    void aNumberGivenToAnItemIsFoundAtTheNextLookupThoughItWasUnknown() {
        String id = crms.seedCaller(MONDAY, "Rita", "Neu", "+41791114455", null);
        ChangeChecks.awaitNoted(broker, "monday", id, "created");
        assertThat(lookUpResponse("%2B41791116677").statusCode()).isEqualTo(404);
        assertThat(lookUpResponse("%2B41791116677").headers().firstValue("Callbridge-Cache")).hasValue("hit");

        change(id, "{\"phone\":{\"phone\":\"+41791116677\",\"countryShortName\":\"CH\"}}");

        await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(50))
                .until(() -> lookUpResponse("%2B41791116677").statusCode() == 200);
        assertThat(lookUp("%2B41791116677").path("displayName").asText()).isEqualTo("Rita Neu");
    }

    @Test
    void eventsWithoutTheAppsJwtOrWithAWrongOrExpiredOneAreRefused() throws Exception {
        long now = System.currentTimeMillis() / 1000;
        String body = "{\"event\":{\"app\":\"monday\",\"type\":\"update_name\",\"boardId\":" + MondayFixture.CONTACTS
                + ",\"pulseId\":424242,\"value\":{\"name\":\"x\"},\"triggerTime\":\"2026-11-28T09:00:00.000Z\"}}";

        assertRefused(notification(body, null), "not signed by monday");
        assertRefused(notification(body, "not-a-jwt"), "is not a JWT");
        assertRefused(notification(body, jwt("another-secret", "HS256", now + 300)), "does not match");
        assertRefused(notification(body, jwt(SECRET, "none", now + 300)), "not HS256");
        assertRefused(notification(body, jwt(SECRET, "HS256", now - 600)), "expired");
        HttpResponse<String> signed = notification(body, jwt(SECRET, "HS256", now + 300));
        assertThat(signed.statusCode()).as("the same, signed as monday signs an app's webhooks: %s", signed.body()).isEqualTo(204);
    }

    private static void change(String id, String columns) {
        ObjectNode v = Events.JSON.createObjectNode().put("board", MondayFixture.CONTACTS).put("item", id).put("columns", columns);
        JsonNode answer = account.graphql("mutation ($board: ID!, $item: ID!, $columns: JSON!) { change_multiple_column_values("
                + "board_id: $board, item_id: $item, column_values: $columns) { id } }", v);
        assertThat(answer.has("errors")).as(answer.toString()).isFalse();
    }

    private static List<JsonNode> webhooks() {
        JsonNode answer = account.graphql("query ($b: ID!) { webhooks(board_id: $b, app_webhooks_only: true) { id event } }",
                Events.JSON.createObjectNode().put("b", MondayFixture.CONTACTS));
        List<JsonNode> out = new java.util.ArrayList<>();
        answer.at("/data/webhooks").forEach(out::add);
        return out;
    }

    private static String jwt(String secret, String alg, long exp) throws Exception {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header = b64.encodeToString(("{\"alg\":\"" + alg + "\",\"typ\":\"JWT\"}").getBytes(StandardCharsets.UTF_8));
        String payload = b64.encodeToString(("{\"accountId\":30000001,\"userId\":60000001,\"aud\":\"" + url() + "\",\"exp\":" + exp
                + ",\"iat\":" + (exp - 300) + "}").getBytes(StandardCharsets.UTF_8));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return header + "." + payload + "." + b64.encodeToString(mac.doFinal((header + "." + payload).getBytes(StandardCharsets.UTF_8)));
    }

    private static String url() {
        return "http://localhost:" + port + "/v1/crm-changes/monday";
    }

    private static void assertRefused(HttpResponse<String> r, String reason) {
        ChangeChecks.assertRefused(r, reason);
    }

    private static HttpResponse<String> notification(String body, String authorization) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url())).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return Events.send(b.build());
    }

    private static List<ConsumerRecord<String, byte[]>> changes(String recordId) {
        return ChangeChecks.changes(broker, "monday", recordId);
    }

    private static JsonNode lookUp(String phone) {
        return ChangeChecks.lookUp(app, AGENT, phone);
    }

    private static HttpResponse<String> lookUpResponse(String phone) {
        return ChangeChecks.lookUpResponse(app, AGENT, phone);
    }
}
