package io.callbridge.sandbox.hubspot;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.callbridge.sandbox.CrmSandbox;
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
 * The portal's contact webhooks, received over real HTTP as an app's endpoint receives them: one JSON array of events
 * per change, signed v3 with the app's client secret over method, URI, body and timestamp.
 */
class HubSpotWebhooksTest {

    private static final String SECRET = "hs-webhook-secret";
    private static final String TOKEN = "pat-na1-webhook-token";

    private CrmWebhookReceiver receiver;
    private CrmSandbox sandbox;
    private String target;

    @BeforeEach
    void start() {
        receiver = CrmWebhookReceiver.start("/hooks/hubspot", request -> new Answer(204, ""));
        target = receiver.url();
        sandbox = CrmSandbox.start(SandboxSettings.builder().port(0).seed(7).clock(new MutableClock(Instant.parse("2026-12-01T09:00:00Z")))
                .config("hubspot", Map.of("token", TOKEN, "client-secret", SECRET, "webhook-url", target)).build());
    }

    @AfterEach
    void stop() {
        sandbox.close();
        receiver.close();
    }

    @Test
    void everyContactChangeIsPostedSignedAsHubSpotSignsIt() throws Exception {
        String base = sandbox.baseUrl("hubspot");
        SandboxHttp.Resp created = SandboxHttp.json("POST", base + "/crm/v3/objects/contacts", TOKEN,
                "{\"properties\":{\"firstname\":\"Jean\",\"phone\":\"+41791234567\"}}");
        String id = created.json().get("id").asText();
        SandboxHttp.json("PATCH", base + "/crm/v3/objects/contacts/" + id, TOKEN,
                "{\"properties\":{\"firstname\":\"Jeanne\",\"phone\":\"+41791234567\"}}");
        SandboxHttp.json("POST", base + "/crm/v3/objects/companies", TOKEN, "{\"properties\":{\"name\":\"Not a contact\"}}");
        assertThat(SandboxHttp.send("DELETE", base + "/crm/v3/objects/contacts/" + id, TOKEN, null, null).status()).isEqualTo(204);

        await().atMost(Duration.ofSeconds(5)).until(() -> receiver.received().size() >= 3);
        List<Request> received = receiver.received();
        List<JsonNode> events = received.stream().map(r -> parse(r.text()).get(0)).toList();
        assertThat(events).extracting(e -> e.get("subscriptionType").asText())
                .as("a creation, the one property that changed, a deletion; nothing for the company")
                .containsExactlyInAnyOrder("contact.creation", "contact.propertyChange", "contact.deletion");
        assertThat(events).allSatisfy(e -> {
            assertThat(e.get("objectId").asText()).isEqualTo(id);
            assertThat(e.get("occurredAt").asLong()).isEqualTo(Instant.parse("2026-12-01T09:00:00Z").toEpochMilli());
            assertThat(e.has("eventId") && e.has("portalId") && e.has("appId")).isTrue();
        });
        JsonNode change = events.stream().filter(e -> e.get("subscriptionType").asText().equals("contact.propertyChange")).findFirst().orElseThrow();
        assertThat(change.get("propertyName").asText()).isEqualTo("firstname");
        assertThat(change.get("propertyValue").asText()).isEqualTo("Jeanne");
        for (Request r : received) {
            String timestamp = r.headers("X-HubSpot-Request-Timestamp").get(0);
            assertThat(r.method()).isEqualTo("POST");
            assertThat(r.headers("Content-Type")).containsExactly("application/json");
            assertThat(r.headers("X-HubSpot-Signature-v3")).as("HMAC-SHA256 of method, URI, body and timestamp")
                    .containsExactly(v3("POST", target, r.text(), timestamp));
            assertThat(r.headers("X-HubSpot-Signature-v3").get(0)).isNotEqualTo(v3("POST", target, r.text() + " ", timestamp));
        }
    }

    private static String v3(String method, String uri, String body, String timestamp) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return Base64.getEncoder().encodeToString(mac.doFinal((method + uri + body + timestamp).getBytes(StandardCharsets.UTF_8)));
    }

    private static JsonNode parse(String body) {
        try {
            return new ObjectMapper().readTree(body);
        } catch (IOException e) {
            throw new IllegalStateException(body, e);
        }
    }
}
