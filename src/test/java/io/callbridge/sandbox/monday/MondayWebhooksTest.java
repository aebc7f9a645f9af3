package io.callbridge.sandbox.monday;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import io.callbridge.sandbox.CrmSandbox;
import io.callbridge.sandbox.Json;
import io.callbridge.sandbox.MutableClock;
import io.callbridge.sandbox.SandboxHttp;
import io.callbridge.sandbox.SandboxSettings;
import io.callbridge.support.CrmWebhookReceiver;
import io.callbridge.support.CrmWebhookReceiver.Answer;
import io.callbridge.support.CrmWebhookReceiver.Request;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The account's board webhooks over real HTTP, as an app's endpoint meets them: {@code create_webhook} first POSTs
 * {@code {"challenge"}} and makes the webhook only when the same JSON comes back; then each item event of the board is
 * POSTed as {@code {"event": {…}}} in monday's shapes, with the app's JWT (HS256, signing secret) in {@code Authorization}.
 */
class MondayWebhooksTest {

    private static final String TOKEN = "test-monday-token";
    private static final String SECRET = "monday-app-signing-secret";
    private static final String CONTACTS = MondaySandbox.CONTACTS_BOARD_ID;
    private static final Instant NOW = Instant.parse("2026-11-28T09:00:00Z");

    private CrmWebhookReceiver receiver;
    private CrmSandbox sandbox;
    private String echo;
    private String mute;

    @BeforeEach
    void start() {
        // /echo answers the challenge as an endpoint must; /mute answers 200 without it
        receiver = CrmWebhookReceiver.start("/", request -> {
            JsonNode body = request.json();
            return new Answer(200, request.uri().getPath().equals("/echo") && body.has("challenge") ? body.toString() : "{}");
        });
        echo = receiver.url() + "echo";
        mute = receiver.url() + "mute";
        sandbox = CrmSandbox.start(SandboxSettings.builder().port(0).seed(5).clock(new MutableClock(NOW))
                .config("monday", Map.of("token", TOKEN, "signing-secret", SECRET)).build());
    }

    @AfterEach
    void stop() {
        sandbox.close();
        receiver.close();
    }

    @Test
    void aWebhookIsMadeOnlyForAUrlThatEchoesTheChallengeAndIsListedAndDeletedAsMondayDoes() {
        JsonNode made = gql("mutation ($b: ID!, $u: String!) { create_webhook(board_id: $b, url: $u, event: change_name) "
                + "{ id board_id event config } }", Map.of("b", CONTACTS, "u", echo));
        JsonNode hook = made.at("/data/create_webhook");
        assertThat(hook.get("board_id").asText()).isEqualTo(CONTACTS);
        assertThat(hook.get("event").asText()).isEqualTo("change_name");
        assertThat(hook.get("config").isNull()).isTrue();
        assertThat(receiver.received()).hasSize(1);
        assertThat(receiver.received().get(0).json().fieldNames()).toIterable().containsExactly("challenge");
        assertThat(receiver.received().get(0).json().get("challenge").asText()).hasSizeGreaterThan(16);

        JsonNode refused = gql("mutation ($b: ID!, $u: String!) { create_webhook(board_id: $b, url: $u, event: create_item) { id } }",
                Map.of("b", CONTACTS, "u", mute));
        assertThat(refused.at("/data/create_webhook").isNull()).isTrue();
        assertThat(refused.at("/errors/0/message").asText()).isEqualTo("Failed to communicate with URL provided.");

        JsonNode specific = gql("mutation ($b: ID!, $u: String!, $c: JSON) { create_webhook(board_id: $b, url: $u, "
                + "event: change_specific_column_value, config: $c) { id config } }", Map.of("b", CONTACTS, "u", echo,
                "c", "{\"columnId\":\"phone\"}"));
        assertThat(specific.at("/data/create_webhook/config").asText()).isEqualTo("{\"columnId\":\"phone\"}");

        JsonNode listed = gql("query ($b: ID!) { webhooks(board_id: $b, app_webhooks_only: true) { id event } }", Map.of("b", CONTACTS));
        assertThat(listed.at("/data/webhooks")).extracting(w -> w.get("event").asText())
                .containsExactly("change_name", "change_specific_column_value");
        gql("mutation ($id: ID!) { delete_webhook(id: $id) { id board_id } }", Map.of("id", hook.get("id").asText()));
        assertThat(gql("query ($b: ID!) { webhooks(board_id: $b) { id event } }", Map.of("b", CONTACTS)).at("/data/webhooks"))
                .extracting(w -> w.get("event").asText()).containsExactly("change_specific_column_value");
    }

    @Test
    void eachItemEventOfTheBoardIsPostedInMondaysShapeSignedWithTheAppsJwt() throws Exception {
        for (String event : List.of("create_item", "change_column_value", "change_name", "item_deleted")) {
            gql("mutation ($b: ID!, $u: String!, $e: WebhookEventType!) { create_webhook(board_id: $b, url: $u, event: $e) { id } }",
                    Map.of("b", CONTACTS, "u", echo, "e", event));
        }
        receiver.clear();
        Map<String, Object> columns = new LinkedHashMap<>();
        columns.put("phone", Map.of("phone", "+41791234567", "countryShortName", "CH"));
        String id = gql("mutation ($b: ID!, $cv: JSON) { create_item(board_id: $b, item_name: \"Jean Muster\", column_values: $cv) { id } }",
                Map.of("b", CONTACTS, "cv", Json.MAPPER.writeValueAsString(columns))).at("/data/create_item/id").asText();
        String change = "mutation ($b: ID!, $i: ID!, $cv: JSON!) { change_multiple_column_values(board_id: $b, item_id: $i, column_values: $cv) { id } }";
        gql(change, Map.of("b", CONTACTS, "i", id, "cv", "{\"phone\":\"+41797654321 CH\",\"name\":\"Hans Muster\"}"));
        gql(change, Map.of("b", CONTACTS, "i", id, "cv", "{\"phone\":\"+41797654321 CH\"}"));
        gql("mutation ($b: ID!) { create_item(board_id: $b, item_name: \"A call\") { id } }", Map.of("b", MondaySandbox.CALLS_BOARD_ID));
        gql("mutation ($i: ID!) { delete_item(item_id: $i) { id } }", Map.of("i", id));

        await().atMost(Duration.ofSeconds(5)).until(() -> receiver.received().size() >= 4);
        List<Request> received = receiver.received();
        List<JsonNode> events = received.stream().map(r -> r.json().get("event")).toList();
        assertThat(events).extracting(e -> e.get("type").asText()).as("nothing for the same value again, nor for another board")
                .containsExactlyInAnyOrder("create_pulse", "update_column_value", "update_name", "delete_pulse");
        assertThat(events).allSatisfy(e -> {
            assertThat(e.get("boardId").asText()).isEqualTo(CONTACTS);
            assertThat(e.get("app").asText()).isEqualTo("monday");
            assertThat(e.get("triggerTime").asText()).isEqualTo("2026-11-28T09:00:00Z");
            assertThat(e.has("subscriptionId") && e.has("triggerUuid") && e.has("userId")).isTrue();
        });
        JsonNode created = type(events, "create_pulse");
        assertThat(created.get("pulseId").asText()).isEqualTo(id);
        assertThat(created.get("pulseName").asText()).isEqualTo("Jean Muster");
        assertThat(created.at("/columnValues/phone/phone").asText()).isEqualTo("+41791234567");
        JsonNode column = type(events, "update_column_value");
        assertThat(column.get("pulseId").asText()).isEqualTo(id);
        assertThat(column.get("columnId").asText()).isEqualTo("phone");
        assertThat(column.get("columnType").asText()).isEqualTo("phone");
        assertThat(column.at("/value/phone").asText()).isEqualTo("+41797654321");
        assertThat(column.at("/value/countryShortName").asText()).isEqualTo("CH");
        assertThat(column.at("/previousValue/phone").asText()).isEqualTo("+41791234567");
        JsonNode renamed = type(events, "update_name");
        assertThat(renamed.at("/value/name").asText()).isEqualTo("Hans Muster");
        assertThat(renamed.at("/previousValue/name").asText()).isEqualTo("Jean Muster");
        assertThat(type(events, "delete_pulse").get("itemId").asText()).isEqualTo(id);

        for (Request r : received) {
            String jwt = r.headers("Authorization").get(0);
            String[] parts = jwt.split("\\.");
            assertThat(parts).hasSize(3);
            assertThat(Json.parse(Base64.getUrlDecoder().decode(parts[0])).get("alg").asText()).isEqualTo("HS256");
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            assertThat(parts[2]).as("HS256 over header.payload with the app's signing secret").isEqualTo(Base64.getUrlEncoder()
                    .withoutPadding().encodeToString(mac.doFinal((parts[0] + "." + parts[1]).getBytes(StandardCharsets.UTF_8))));
            JsonNode claims = Json.parse(Base64.getUrlDecoder().decode(parts[1]));
            assertThat(claims.get("aud").asText()).isEqualTo(echo);
            assertThat(claims.get("exp").asLong()).isGreaterThan(NOW.getEpochSecond());
        }
    }

    private static JsonNode type(List<JsonNode> events, String type) {
        return events.stream().filter(e -> e.get("type").asText().equals(type)).findFirst().orElseThrow();
    }

    private JsonNode gql(String query, Map<String, Object> variables) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("query", query);
        body.put("variables", variables);
        try {
            SandboxHttp.Resp r = SandboxHttp.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(sandbox.baseUrl("monday") + "/v2"))
                    .header("Authorization", TOKEN).header("Content-Type", "application/json")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(Json.MAPPER.writeValueAsString(body))).build());
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            assertThat(r.json().has("errors") && !r.body().contains("Failed to communicate")).as(r.body()).isFalse();
            return r.json();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
