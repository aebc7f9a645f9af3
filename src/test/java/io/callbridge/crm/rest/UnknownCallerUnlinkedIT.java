package io.callbridge.crm.rest;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callbridge.delivery.CommandLedger;
import io.callbridge.sandbox.hubspot.HubSpotSandbox;
import io.callbridge.sandbox.pipedrive.PipedriveSandbox;
import io.callbridge.support.CallbridgeApp;
import io.callbridge.support.Events;
import io.callbridge.support.TestBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code unknown-caller=log-unlinked}: an unknown caller's call is logged without a contact, and nothing creates one. */
class UnknownCallerUnlinkedIT {

    private static RestCrms crms;
    private static CallbridgeApp app;

    @BeforeAll
    static void start() {
        crms = new RestCrms(Map.of());
        app = CallbridgeApp.on(TestBroker.shared())
                .with("callbridge.crm.hubspot.enabled", "true")
                .with("callbridge.crm.hubspot.base-url", crms.sandbox.baseUrl("hubspot"))
                .with("callbridge.crm.hubspot.token", HubSpotSandbox.DEFAULT_TOKEN)
                .with("callbridge.crm.hubspot.unknown-caller", "log-unlinked")
                .with("callbridge.crm.pipedrive.enabled", "true")
                .with("callbridge.crm.pipedrive.base-url", crms.sandbox.baseUrl("pipedrive"))
                .with("callbridge.crm.pipedrive.token", PipedriveSandbox.DEFAULT_API_TOKEN)
                .with("callbridge.crm.pipedrive.unknown-caller", "log-unlinked")
                .start();
    }

    @AfterAll
    static void stop() {
        app.close();
        crms.close();
    }

    @Test
    void theCallIsLoggedUnlinkedAndNoContactIsCreated() {
        ObjectNode event = Events.exampleWithNewId();
        ((ObjectNode) event.get("data")).put("from", "+41792999001");
        String id = event.get("id").asText();

        HttpResponse<String> r = Events.post(app.uri("/v1/call-events"), "application/cloudevents+json", Events.bytes(event));
        assertThat(r.statusCode()).isEqualTo(202);

        CommandLedger ledger = app.context().getRegistry().lookupByNameAndType("commandLedger", CommandLedger.class);
        await().atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(200)).until(() -> List.of("hubspot", "pipedrive").stream()
                .allMatch(crm -> List.of("log-call:0", "enrich-contact:0", "hot-lead:0", "hot-lead:1", "callback:0").stream()
                        .allMatch(c -> ledger.state(crm, id + ":" + c) == CommandLedger.State.DONE)));
        JsonNode calls = crms.hubspot.json("GET", "/crm/v3/objects/calls?associations=contacts&properties=hs_call_title", null)
                .get("results");
        assertThat(calls).hasSize(1);
        assertThat(calls.get(0).at("/associations/contacts/results")).as("not linked").isEmpty();
        assertThat(crms.hubspot.json("GET", "/crm/v3/objects/contacts", null).get("results")).isEmpty();
        assertThat(crms.hubspot.json("GET", "/crm/v3/objects/deals", null).get("results")).hasSize(1);
        assertThat(RestCrms.list(crms.pipedrive.json("GET", "/api/v2/persons", null).get("data"))).isEmpty();
        List<JsonNode> activities = RestCrms.list(crms.pipedrive.json("GET", "/api/v2/activities?limit=100", null).get("data"));
        assertThat(activities).extracting(a -> a.get("type").asText()).containsExactlyInAnyOrder("call", "task", "task");
        assertThat(activities).allSatisfy(a -> assertThat(a.path("person_id").isNull() || a.path("person_id").isMissingNode()).isTrue());
    }
}
