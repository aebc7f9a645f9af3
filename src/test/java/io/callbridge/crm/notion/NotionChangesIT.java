package io.callbridge.crm.notion;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import io.callbridge.broker.EmbeddedKafkaBroker;
import io.callbridge.sandbox.notion.NotionSandbox;
import io.callbridge.support.CallbridgeApp;
import io.callbridge.support.ChangeChecks;
import io.callbridge.support.CapturedLog;
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
 * Notion tells Callbridge when a page changes (the integration's webhooks, set up in Notion's UI): its one-time
 * verification token is answered and written owner-only for the operator, never logged; each event is signed with that
 * token; a page of the contacts data source renamed in Notion is greeted by its new name at the next lookup within two
 * seconds; each change is on {@code callbridge.crm-changes}; unsigned or wrongly signed events are refused.
 */
class NotionChangesIT {

    private static final String VERIFICATION = "secret_tMrlL1qK5vuQAh1b6cZGhFChZTSYJlce98V0pYn7yBl";
    private static final String AGENT = "agent-changes-key";
    private static final CrmFixture NOTION = CrmFixture.of("notion");

    private static EmbeddedKafkaBroker broker;
    private static CrmSandboxes crms;
    private static CallbridgeApp app;
    private static CapturedLog log;
    private static int port;
    private static Path tokenFile;

    @BeforeAll
    static void start() throws Exception {
        broker = TestBroker.shared();
        port = EmbeddedKafkaBroker.freePort();
        tokenFile = Files.createTempDirectory("notion-changes").resolve("secrets/notion-verification-token");
        log = CapturedLog.start();
        crms = CrmSandboxes.start(85, true, List.of(NOTION), Map.of("notion", Map.of("verification-token", VERIFICATION,
                "webhook-url", url())));
        app = CallbridgeApp.on(broker).with(crms.settings()).with("callbridge.http.port", String.valueOf(port))
                .with("callbridge.crm.notion.verification-token", VERIFICATION)
                .with("callbridge.crm.notion.received-token-path", tokenFile.toString()).with("callbridge.primary-crm", "notion")
                .with("callbridge.api-keys", AGENT + ":agent").with("callbridge.identify.changes-per-second", "20").start();
    }

    @AfterAll
    static void stop() {
        app.close();
        crms.close();
        log.close();
    }

    @Test
    void theVerificationTokenNotionSendsIsWrittenForTheOperatorOwnerOnlyAndNeverLogged() throws Exception {
        await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(tokenFile));
        assertThat(Files.readString(tokenFile).trim()).isEqualTo(VERIFICATION);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tokenFile))).isEqualTo("rw-------");

        HttpResponse<String> again = notification("{\"verification_token\":\"secret_another0token\"}", null);
        assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
        assertThat(Files.readString(tokenFile).trim()).as("a new subscription's token replaces it").isEqualTo("secret_another0token");
        assertThat(log.text()).contains(tokenFile.toAbsolutePath().toString()).doesNotContain(VERIFICATION, "secret_another0token");
    }

    @Test
    void aPageRenamedInNotionIsGreetedByItsNewNameAtTheNextLookup() {
        String id = crms.seedCaller(NOTION, "Jean", "Muster", "+41791112233", "jean.muster@example.ch");
        ChangeChecks.awaitNoted(broker, "notion", id, "created");
        assertThat(lookUp("%2B41791112233").path("displayName").asText()).isEqualTo("Jean Muster");
        assertThat(lookUpResponse("%2B41791112233").headers().firstValue("Callbridge-Cache")).hasValue("hit");

        HttpResponse<String> renamed = Events.send(HttpRequest.newBuilder(URI.create(crms.sandbox().baseUrl("notion") + "/v1/pages/" + id))
                .header("Authorization", "Bearer " + NotionFixture.TOKEN).header("Notion-Version", "2025-09-03")
                .header("Content-Type", "application/json").method("PATCH", HttpRequest.BodyPublishers.ofString(
                        "{\"properties\":{\"Name\":{\"title\":[{\"text\":{\"content\":\"Hans Muster\"}}]}}}")).build());
        assertThat(renamed.statusCode()).as(renamed.body()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(50))
                .until(() -> lookUp("%2B41791112233").path("displayName").asText().equals("Hans Muster"));
        await().atMost(Duration.ofSeconds(5)).until(() -> changes(id).stream().anyMatch(r -> Events.parse(r.value())
                .at("/data/change").asText().equals("updated")));
        JsonNode event = Events.parse(changes(id).get(changes(id).size() - 1).value());
        assertThat(event.get("type").asText()).isEqualTo("crm.contact.changed");
        assertThat(event.get("source").asText()).isEqualTo("callbridge/crm/notion");
        assertThat(event.at("/data/recordId").asText()).isEqualTo(id);
        assertThat(event.at("/data/change").asText()).isEqualTo("updated");
        assertThat(event.toString()).as("Notion says no values; none published").doesNotContain("Hans", "Jean", "41791112233");
    }

    @Test
    void unsignedOrWronglySignedEventsAreRefused() throws Exception {
        String body = "{\"id\":\"367cba44-b6f3-4c92-81e7-6a2e9659efd4\",\"timestamp\":\"2026-11-28T09:00:00.000Z\",\"type\":"
                + "\"page.deleted\",\"entity\":{\"id\":\"153104cd-477e-809d-8dc4-ff2d96ae3090\",\"type\":\"page\"},\"data\":{\"parent\":"
                + "{\"id\":\"" + NotionSandbox.CONTACTS_DATABASE_ID + "\",\"type\":\"database\",\"data_source_id\":\""
                + NotionSandbox.CONTACTS_DATA_SOURCE_ID + "\"}}}";

        assertRefused(notification(body, null), "not signed by Notion");
        assertRefused(notification(body, "sha256=" + hmacHex("another-token", body)), "does not match");
        HttpResponse<String> signed = notification(body, "sha256=" + hmacHex(VERIFICATION, body));
        assertThat(signed.statusCode()).as("the same, signed as Notion signs: %s", signed.body()).isEqualTo(204);
        await().atMost(Duration.ofSeconds(5)).until(() -> !changes("153104cd-477e-809d-8dc4-ff2d96ae3090").isEmpty());
    }

    private static String url() {
        return "http://localhost:" + port + "/v1/crm-changes/notion";
    }

    private static String hmacHex(String key, String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    }

    private static void assertRefused(HttpResponse<String> r, String reason) {
        ChangeChecks.assertRefused(r, reason);
    }

    private static HttpResponse<String> notification(String body, String signature) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url())).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (signature != null) {
            b.header("X-Notion-Signature", signature);
        }
        return Events.send(b.build());
    }

    private static List<ConsumerRecord<String, byte[]>> changes(String recordId) {
        return ChangeChecks.changes(broker, "notion", recordId);
    }

    private static JsonNode lookUp(String phone) {
        return ChangeChecks.lookUp(app, AGENT, phone);
    }

    private static HttpResponse<String> lookUpResponse(String phone) {
        return ChangeChecks.lookUpResponse(app, AGENT, phone);
    }
}
