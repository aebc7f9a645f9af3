package io.callbridge.sandbox.pipedrive;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.callbridge.sandbox.SandboxHttp.Resp;
import io.callbridge.support.CrmWebhookReceiver;
import io.callbridge.support.CrmWebhookReceiver.Request;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The company's webhooks as Pipedrive's v1 document describes them (created, listed, deleted; refused with its error
 * bodies), and what they send, received over real HTTP as a subscriber receives it: one v2 payload per person added,
 * changed or deleted, with the HTTP Basic credentials the webhook was created with.
 */
class PipedriveWebhooksTest extends PipedriveTestSupport {

    private CrmWebhookReceiver receiver;
    private String target;

    @BeforeEach
    void startReceiver() {
        receiver = CrmWebhookReceiver.start("/hooks/pipedrive");
        target = receiver.url();
        // webhooks outlive a reset of the records: each test starts without any
        for (JsonNode h : ok(call("GET", "/v1/webhooks", null))) {
            call("DELETE", "/v1/webhooks/" + h.get("id").asText(), null);
        }
    }

    @AfterEach
    void stopReceiver() {
        receiver.close();
    }

    @Test
    void aWebhookIsCreatedListedAndDeletedAsTheDocumentSays() {
        Resp created = call("POST", "/v1/webhooks", "{\"subscription_url\":\"" + target + "\",\"event_action\":\"*\",\"event_object\":\"person\","
                + "\"name\":\"Callbridge\",\"http_auth_user\":\"callbridge\",\"http_auth_password\":\"s3cret\",\"version\":\"2.0\"}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        JsonNode hook = created.json().get("data");
        assertThat(created.json().get("status").asText()).isEqualTo("ok");
        assertThat(hook.get("subscription_url").asText()).isEqualTo(target);
        assertThat(hook.get("event_action").asText()).isEqualTo("*");
        assertThat(hook.get("event_object").asText()).isEqualTo("person");
        assertThat(hook.get("version").asText()).isEqualTo("2.0");
        assertThat(hook.get("is_active").asInt()).isEqualTo(1);
        assertThat(hook.get("type").asText()).isEqualTo("general");
        assertThat(hook.get("user_id").asLong()).isEqualTo(OWNER);
        assertThat(hook.get("http_auth_user").asText()).isEqualTo("callbridge");
        assertThat(hook.get("last_delivery_time").isNull()).isTrue();

        JsonNode listed = ok(call("GET", "/v1/webhooks", null));
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).get("id").asLong()).isEqualTo(hook.get("id").asLong());

        Resp deleted = call("DELETE", "/v1/webhooks/" + hook.get("id").asLong(), null);
        assertThat(deleted.status()).isEqualTo(200);
        assertThat(deleted.json().get("success").asBoolean()).isTrue();
        assertThat(ok(call("GET", "/v1/webhooks", null))).isEmpty();
        Resp again = call("DELETE", "/v1/webhooks/" + hook.get("id").asLong(), null);
        assertThat(again.status()).isEqualTo(404);
        assertThat(again.json().at("/errors/id/0").asText()).isEqualTo("not found");
    }

    @Test
    void aWebhookIsRefusedWithPipedrivesErrorBodies() {
        Resp noUrl = call("POST", "/v1/webhooks", "{\"event_action\":\"*\",\"event_object\":\"person\",\"name\":\"x\"}");
        assertThat(noUrl.status()).isEqualTo(400);
        assertThat(noUrl.json().get("success").asBoolean(true)).isFalse();
        assertThat(noUrl.json().at("/errors/subscription_url/0").asText()).isEqualTo("invalid or non-reachable URL");
        Resp badAction = call("POST", "/v1/webhooks", "{\"subscription_url\":\"" + target + "\",\"event_action\":\"added\","
                + "\"event_object\":\"person\",\"name\":\"x\"}");
        assertThat(badAction.status()).isEqualTo(400);
        assertThat(badAction.json().at("/errors/event_action/0").asText()).contains("create, change, delete");
        Resp anonymous = raw("GET", "/v1/webhooks", Map.of(), null);
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.json().get("errorCode").asInt()).isEqualTo(401);
    }

    @Test
    void everyPersonAddedChangedOrDeletedIsPostedInTheV2FormatWithTheWebhooksCredentials() {
        long hook = call("POST", "/v1/webhooks", "{\"subscription_url\":\"" + target + "\",\"event_action\":\"*\",\"event_object\":\"person\","
                + "\"name\":\"Callbridge\",\"http_auth_user\":\"callbridge\",\"http_auth_password\":\"s3cret\"}").json().at("/data/id").asLong();
        long person = createPerson("{\"name\":\"Jean Dupont\",\"phones\":[{\"value\":\"+41 79 123 45 67\",\"primary\":true,\"label\":\"mobile\"}]}");
        ok(call("PATCH", "/api/v2/persons/" + person, "{\"name\":\"Hans Dupont\"}"));
        ok(call("POST", "/api/v2/deals", "{\"title\":\"Not a person\"}"));
        ok(call("DELETE", "/api/v2/persons/" + person, null));

        await().atMost(Duration.ofSeconds(5)).until(() -> receiver.received().size() >= 3);
        assertThat(receiver.received()).extracting(r -> r.json().at("/meta/action").asText())
                .as("one per person change, nothing for the deal").containsExactlyInAnyOrder("create", "change", "delete");
        String basic = "Basic " + Base64.getEncoder().encodeToString("callbridge:s3cret".getBytes(StandardCharsets.UTF_8));
        for (Request r : receiver.received()) {
            assertThat(r.header("Authorization")).isEqualTo(basic);
            assertThat(r.header("Content-Type")).isEqualTo("application/json");
            JsonNode meta = r.json().get("meta");
            assertThat(meta.get("entity").asText()).isEqualTo("person");
            assertThat(meta.get("entity_id").asText()).isEqualTo(Long.toString(person));
            assertThat(meta.get("version").asText()).isEqualTo("2.0");
            assertThat(meta.get("webhook_id").asText()).isEqualTo(Long.toString(hook));
            assertThat(meta.get("timestamp").asText()).isEqualTo("2026-11-28T09:00:00.000Z");
            assertThat(meta.has("id") && meta.has("company_id") && meta.has("user_id") && meta.has("attempt")).isTrue();
        }
        JsonNode create = byAction("create");
        assertThat(create.at("/data/name").asText()).isEqualTo("Jean Dupont");
        assertThat(create.at("/data/phones/0/value").asText()).isEqualTo("+41 79 123 45 67");
        assertThat(create.get("previous").isNull()).isTrue();
        JsonNode change = byAction("change");
        assertThat(change.at("/data/name").asText()).isEqualTo("Hans Dupont");
        assertThat(change.at("/previous/name").asText()).as("what the name was").isEqualTo("Jean Dupont");
        assertThat(change.get("previous").has("phones")).as("only what changed").isFalse();
        JsonNode delete = byAction("delete");
        assertThat(delete.get("data").isNull()).isTrue();
        assertThat(delete.at("/previous/name").asText()).isEqualTo("Hans Dupont");

        await().atMost(Duration.ofSeconds(5)).until(() -> ok(call("GET", "/v1/webhooks", null)).get(0).get("last_http_status").asInt() == 200);
        assertThat(ok(call("GET", "/v1/webhooks", null)).get(0).get("last_delivery_time").asText()).isNotEmpty();
    }

    private JsonNode byAction(String action) {
        return receiver.received().stream().map(Request::json).filter(b -> b.at("/meta/action").asText().equals(action)).findFirst().orElseThrow();
    }
}
