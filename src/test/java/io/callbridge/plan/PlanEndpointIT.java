package io.callbridge.plan;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import io.callbridge.crm.salesforce.SalesforceFixture;
import io.callbridge.mapping.LiveMappings;
import io.callbridge.support.CallbridgeApp;
import io.callbridge.support.Events;
import io.callbridge.support.MappingsCopy;
import io.callbridge.support.Samples;
import io.callbridge.support.TestBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** POST /v1/plan: what an event would do, per CRM, in order, with nothing written; and mappings edited live. */
class PlanEndpointIT {

    private static final String ADMIN = "admin-key-1";
    private static final String AGENT = "agent-key-1";
    private static SalesforceFixture.Org org;
    private static MappingsCopy mappings;
    private static CallbridgeApp app;

    @BeforeAll
    static void start() {
        org = SalesforceFixture.Org.start();
        mappings = MappingsCopy.of(java.nio.file.Path.of("mappings"));
        app = CallbridgeApp.on(TestBroker.shared())
                .with("callbridge.api-keys", ADMIN + ":admin," + AGENT + ":agent")
                .with(org.connectorSettings())
                .with("callbridge.crm.webhook.enabled", "true")
                .with("callbridge.crm.webhook.url", "https://hooks.example/callbridge")
                .with("callbridge.mappings.dir", mappings.dir().toString())
                .with("callbridge.mappings.reload-interval-ms", "100")
                .start();
    }

    @AfterAll
    static void stop() {
        app.close();
        org.close();
    }

    @Test
    void theDesignExampleIsPlannedPerCrmInOrderWithNothingWritten() {
        org.sandbox().crm("salesforce");
        HttpResponse<String> response = plan(ADMIN, Samples.designExample().toString());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode plan = Events.parse(response.body().getBytes(StandardCharsets.UTF_8));
        assertThat(plan).extracting(s -> s.get("crm").asText() + " " + s.get("action").asText()).containsExactly(
                "salesforce log-call", "webhook log-call",
                "salesforce update-contact", "webhook update-contact",
                "salesforce create-deal", "webhook create-deal",
                "salesforce notify-owner", "webhook notify-owner",
                "salesforce create-task", "webhook create-task");
        JsonNode logCall = plan.get(0);
        assertThat(logCall.get("commandId").asText()).isEqualTo("0d6e4f3a-8a4b-4d0f-9f2e-3c1b7a9e5d21:log-call:0");
        assertThat(logCall.get("method").asText()).isEqualTo("PATCH");
        assertThat(logCall.get("url").asText()).isEqualTo(org.baseUrl()
                + "/services/data/v60.0/sobjects/Task/Callbridge_Command_Id__c/0d6e4f3a-8a4b-4d0f-9f2e-3c1b7a9e5d21%3Alog-call%3A0");
        assertThat(logCall.at("/body/Subject").asText()).isEqualTo("Appel entrant - 28.11.2026 10:14");
        assertThat(plan.get(1).get("url").asText()).isEqualTo("https://hooks.example/callbridge");
        assertThat(plan.get(1).at("/body/commandId").asText()).isEqualTo("0d6e4f3a-8a4b-4d0f-9f2e-3c1b7a9e5d21:log-call:0");
        assertThat(org.query("SELECT Id FROM Task")).as("a dry run writes nothing").isEmpty();
    }

    @Test
    void thePlanNeedsAnAdminKey() {
        assertThat(plan(null, Samples.minimal().toString()).statusCode()).isEqualTo(401);
        assertThat(plan("not-a-key", Samples.minimal().toString()).statusCode()).isEqualTo(401);
        HttpResponse<String> agent = plan(AGENT, Samples.minimal().toString());
        assertThat(agent.statusCode()).isEqualTo(403);
        assertThat(agent.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    }

    @Test
    void anInvalidEventIsAProblemToo() {
        HttpResponse<String> response = plan(ADMIN, "{\"specversion\":\"1.0\"}");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("/data");
    }

    @Test
    void anEditedRuleTakesEffectWithoutARestartAndABrokenEditIsRefused() {
        mappings.replace("rules.yaml", "      - update-contact\n",
                "      - update-contact\n      - action: create-task\n        with:\n          subject: Vérifier la fiche\n          due: P1D\n");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(plan(ADMIN, Samples.minimal().toString()).body())
                .contains("Vérifier la fiche"));

        mappings.replace("salesforce/create-task.jsonata", "\"method\": \"PATCH\",", "\"method\": \"PATCH\" \"oops\",");
        await().atMost(Duration.ofSeconds(10)).until(() -> app.context().getRegistry()
                .lookupByNameAndType("mappings", LiveMappings.class).lastRefusal() != null);
        assertThat(plan(ADMIN, Samples.minimal().toString()).body()).as("the last good version stays in use")
                .contains("Vérifier la fiche");
        mappings.replace("salesforce/create-task.jsonata", "\"method\": \"PATCH\" \"oops\",", "\"method\": \"PATCH\",");
        mappings.replace("rules.yaml", "      - action: create-task\n        with:\n          subject: Vérifier la fiche\n          due: P1D\n", "");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(plan(ADMIN, Samples.minimal().toString()).body())
                .doesNotContain("Vérifier la fiche"));
    }

    private static HttpResponse<String> plan(String key, String event) {
        return key == null
                ? Events.post(app.uri("/v1/plan"), "application/json", event.getBytes(StandardCharsets.UTF_8))
                : Events.post(app.uri("/v1/plan"), "application/json", event.getBytes(StandardCharsets.UTF_8),
                        "Authorization", "Bearer " + key);
    }
}
