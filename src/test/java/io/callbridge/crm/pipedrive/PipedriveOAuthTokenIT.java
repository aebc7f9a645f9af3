package io.callbridge.crm.pipedrive;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callbridge.sandbox.CrmSandbox;
import io.callbridge.sandbox.SandboxSettings;
import io.callbridge.support.CallbridgeApp;
import io.callbridge.support.Events;
import io.callbridge.support.MappingsCopy;
import io.callbridge.support.Samples;
import io.callbridge.support.TestBroker;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * With only an OAuth access token configured ({@code callbridge.crm.pipedrive.oauth-token}, no API token),
 * caller lookups and delivery both authenticate with it: one authentication for the CRM.
 */
class PipedriveOAuthTokenIT {

    @Test
    void lookupsAndDeliveryUseTheOAuthToken() {
        String agent = "oauth-agent-key";
        try (CrmSandbox sandbox = CrmSandbox.start(SandboxSettings.builder().port(0).seed(17)
                .config("pipedrive", Map.of("api-token", "an-api-token-callbridge-is-not-given", "oauth-tokens", "oauth-access-1"))
                .build());
             CallbridgeApp app = CallbridgeApp.on(TestBroker.shared())
                     .with("callbridge.api-keys", agent + ":agent")
                     .with("callbridge.mappings.dir", MappingsCopy.logCallOnly().dir().toString())
                     .with("callbridge.crm.pipedrive.enabled", "true")
                     .with("callbridge.crm.pipedrive.base-url", sandbox.baseUrl("pipedrive"))
                     .with("callbridge.crm.pipedrive.oauth-token", "oauth-access-1")
                     .start()) {
            PipedriveFixture.Account account = new PipedriveFixture.Account(sandbox, "Bearer oauth-access-1");
            ObjectNode person = Events.JSON.createObjectNode().put("name", "Olivia Auth");
            person.putArray("phones").addObject().put("value", "+41 79 555 01 02").put("primary", true);
            String id = account.json("POST", "/api/v2/persons", person).at("/data/id").asText();

            HttpResponse<String> found = Events.send(HttpRequest.newBuilder(app.uri("/v1/callers/" + "+41795550102"))
                    .header("Authorization", "Bearer " + agent).GET().build());
            assertThat(found.statusCode()).as(found.body()).isEqualTo(200);
            assertThat(Events.parse(found.body().getBytes(StandardCharsets.UTF_8)).get("recordId").asText()).isEqualTo(id);

            ObjectNode call = Samples.shortCall("oauth-" + java.util.UUID.randomUUID(), "+41 79 555 01 02");
            assertThat(Events.post(app.uri("/v1/call-events"), "application/json", Events.bytes(call)).statusCode()).isEqualTo(202);
            await().atMost(Duration.ofSeconds(30)).until(() -> account.json("GET", "/api/v2/activities?person_id=" + id, null)
                    .get("data").size() == 1);
        }
    }
}
