package io.callbridge.delivery;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callbridge.crm.notion.NotionFixture;
import io.callbridge.support.ConnectorHarness;
import io.callbridge.support.Events;
import io.callbridge.support.OffsetClock;
import io.callbridge.support.Samples;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Readiness reports the broker and each enabled CRM: up; degraded (still ready) while the CRM's breaker is open;
 * down while the CRM refuses Callbridge's credentials. Liveness never depends on a CRM. Notion's sandbox stands for any CRM.
 */
class ReadinessIT {

    private NotionFixture.Workspace workspace;
    private ConnectorHarness cb;

    @BeforeEach
    void start() {
        workspace = NotionFixture.Workspace.start(Map.of(), new OffsetClock());
        cb = ConnectorHarness.start("notion", workspace.connectorSettings(), workspace, "+417962");
    }

    @AfterEach
    void stop() throws Exception {
        cb.close();
    }

    private HttpResponse<String> get(String path) {
        return Events.send(HttpRequest.newBuilder(URI.create(cb.app().uri(path).toString())).GET().build());
    }

    private static JsonNode check(HttpResponse<String> r, String name) {
        for (JsonNode c : Events.parse(r.body().getBytes(StandardCharsets.UTF_8)).path("checks")) {
            if (name.equals(c.path("name").asText())) {
                return c;
            }
        }
        throw new AssertionError("no check " + name + " in " + r.body());
    }

    private void postACall() {
        ObjectNode event = Samples.call("minimal", cb.newNumber());
        cb.app().post(event);
    }

    @Test
    void aHealthyInstanceIsReadyWithItsBrokerAndCrmUp() {
        await().atMost(Duration.ofSeconds(20)).until(() -> get("/observe/health/ready?data=true").statusCode() == 200);
        HttpResponse<String> ready = get("/observe/health/ready?data=true");
        assertThat(check(ready, "broker").path("status").asText()).isEqualTo("UP");
        assertThat(check(ready, "crm-notion").at("/data/state").asText()).isEqualTo("up");
        HttpResponse<String> live = get("/observe/health/live");
        assertThat(live.statusCode()).isEqualTo(200);
        assertThat(live.body()).doesNotContain("crm-notion").doesNotContain("broker");
    }

    @Test
    void aCrmThatIsDownLeavesTheInstanceReadyButDegradedUntilItAnswersAgain() {
        workspace.faults("{\"outage\":{\"startsInMs\":0,\"durationMs\":600000,\"status\":503}}");
        postACall();

        await().atMost(Duration.ofSeconds(30)).until(() -> "degraded".equals(check(get("/observe/health/ready?data=true"), "crm-notion").at("/data/state").asText()));
        assertThat(get("/observe/health/ready?data=true").statusCode()).as("still ready: intake goes on, deliveries wait").isEqualTo(200);
        assertThat(get("/observe/health/live").statusCode()).isEqualTo(200);

        workspace.faults(null);
        await().atMost(Duration.ofSeconds(30)).until(() -> "up".equals(check(get("/observe/health/ready?data=true"), "crm-notion").at("/data/state").asText()));
    }

    @Test
    void aCrmRefusingTheCredentialsMakesTheInstanceNotReadyButStillLive() {
        workspace.revokeTokens();
        postACall();

        await().atMost(Duration.ofSeconds(30)).until(() -> get("/observe/health/ready?data=true").statusCode() == 503);
        JsonNode notion = check(get("/observe/health/ready?data=true"), "crm-notion");
        assertThat(notion.path("status").asText()).isEqualTo("DOWN");
        assertThat(notion.at("/data/state").asText()).isEqualTo("down");
        assertThat(notion.path("message").asText()).contains("credentials");
        assertThat(get("/observe/health/live").statusCode()).isEqualTo(200);
    }
}
