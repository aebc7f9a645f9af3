package io.callbridge.sandbox.notion;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
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
import io.callbridge.support.CrmWebhookReceiver.Request;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The integration's webhook subscription over real HTTP, as its endpoint meets it: first the one-time
 * {@code {"verification_token"}}, then every page event, sparse (ids only) and signed
 * {@code X-Notion-Signature: sha256=<hex HMAC-SHA256(body, verification token)>}.
 */
class NotionWebhooksTest {

    private static final String TOKEN = "ntn_webhook_test_secret";
    private static final String VERIFICATION = "secret_tMrlL1qK5vuQAh1b6cZGhFChZTSYJlce98V0pYn7yBl";
    private static final String CONTACTS = NotionSandbox.CONTACTS_DATA_SOURCE_ID;

    private CrmWebhookReceiver receiver;
    private CrmSandbox sandbox;

    @BeforeEach
    void start() {
        receiver = CrmWebhookReceiver.start("/hooks/notion");
        sandbox = CrmSandbox.start(SandboxSettings.builder().port(0).seed(9).clock(new MutableClock(Instant.parse("2026-11-28T09:00:00Z")))
                .config("notion", Map.of("token", TOKEN, "burst", "100", "verification-token", VERIFICATION,
                        "webhook-url", receiver.url())).build());
    }

    @AfterEach
    void stop() {
        sandbox.close();
        receiver.close();
    }

    @Test
    void theSubscriptionIsVerifiedOnceThenEveryPageEventIsSentSparseAndSigned() throws Exception {
        await().atMost(Duration.ofSeconds(5)).until(() -> receiver.received().size() == 1);
        assertThat(receiver.received().get(0).json()).isEqualTo(Json.object().put("verification_token", VERIFICATION));
        assertThat(receiver.received().get(0).header("X-Notion-Signature")).as("nothing to sign with yet, for Notion's subscriber").isNull();
        receiver.clear();

        String id = api("POST", "/v1/pages", "{\"parent\":{\"data_source_id\":\"" + CONTACTS + "\"},\"properties\":{"
                + "\"Name\":{\"title\":[{\"text\":{\"content\":\"Jean Muster\"}}]},\"Phone\":{\"phone_number\":\"+41791234567\"}}}").get("id").asText();
        api("PATCH", "/v1/pages/" + id, "{\"properties\":{\"Name\":{\"title\":[{\"text\":{\"content\":\"Hans Muster\"}}]},"
                + "\"Phone\":{\"phone_number\":\"+41791234567\"}}}");
        api("PATCH", "/v1/pages/" + id, "{\"in_trash\":true}");

        await().atMost(Duration.ofSeconds(5)).until(() -> receiver.received().size() >= 3);
        List<Request> received = receiver.received();
        List<JsonNode> events = received.stream().map(Request::json).toList();
        assertThat(events).extracting(e -> e.get("type").asText())
                .containsExactlyInAnyOrder("page.created", "page.properties_updated", "page.deleted");
        assertThat(events).allSatisfy(e -> {
            assertThat(e.at("/entity/id").asText()).isEqualTo(id);
            assertThat(e.at("/entity/type").asText()).isEqualTo("page");
            assertThat(e.at("/data/parent/data_source_id").asText()).isEqualTo(CONTACTS);
            assertThat(e.at("/data/parent/id").asText()).isEqualTo(NotionSandbox.CONTACTS_DATABASE_ID);
            assertThat(e.get("timestamp").asText()).isEqualTo("2026-11-28T09:00:00.000Z");
            assertThat(e.has("id") && e.has("workspace_id") && e.has("subscription_id") && e.has("integration_id")).isTrue();
            assertThat(e.toString()).as("ids, never values").doesNotContain("Muster", "41791234567");
        });
        JsonNode updated = events.stream().filter(e -> e.get("type").asText().equals("page.properties_updated")).findFirst().orElseThrow();
        assertThat(updated.at("/data/updated_properties")).as("the title's id only: the phone did not change").hasSize(1);
        assertThat(updated.at("/data/updated_properties/0").asText()).isEqualTo("title");
        for (Request r : received) {
            assertThat(r.headers("X-Notion-Signature")).containsExactly("sha256=" + hmacHex(VERIFICATION, r.text()));
            assertThat(r.headers("X-Notion-Signature").get(0)).isNotEqualTo("sha256=" + hmacHex(VERIFICATION, r.text() + " "));
        }
    }

    private JsonNode api(String method, String path, String body) {
        SandboxHttp.Resp r = SandboxHttp.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(sandbox.baseUrl("notion") + path))
                .header("Authorization", "Bearer " + TOKEN).header("Notion-Version", "2025-09-03").header("Content-Type", "application/json")
                .method(method, java.net.http.HttpRequest.BodyPublishers.ofString(body)).build());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    private static String hmacHex(String key, String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    }
}
