package io.callbridge.crm.salesforce;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callbridge.broker.EmbeddedKafkaBroker;
import io.callbridge.delivery.CommandLedger;
import io.callbridge.support.CallbridgeApp;
import io.callbridge.support.Events;
import io.callbridge.support.Samples;
import io.callbridge.support.TestBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * callbridge.crm.salesforce.unknown-caller = contact and = unlinked (lead, the default, is in
 * SalesforceConnectorIT): the design example from a number nobody has, end to end.
 */
class SalesforceUnknownCallerIT {

    private static final List<String> COMMANDS = List.of("log-call:0", "enrich-contact:0", "hot-lead:0", "hot-lead:1", "callback:0");
    private static EmbeddedKafkaBroker broker;
    private static SalesforceFixture.Org org;

    @BeforeAll
    static void start() {
        broker = TestBroker.fresh();
        org = SalesforceFixture.Org.start();
    }

    @AfterAll
    static void stop() {
        org.close();
        broker.close();
    }

    @BeforeEach
    void emptyOrg() {
        org.reset();
    }

    @Test
    void contactPolicyCreatesOneContactFromTheCreateContactTemplateAndLinksEverythingToIt() {
        try (CallbridgeApp app = app("contact")) {
            ObjectNode event = event("+41795550101");
            post(app, event);
            ObjectNode again = event("+41795550101");
            post(app, again);
            awaitDone(app, event);
            awaitDone(app, again);

            JsonNode contacts = org.query("SELECT Id, FirstName, LastName, Email, Phone, LeadSource, Description, "
                    + "Callbridge_Command_Id__c, Callbridge_Lead_Score__c FROM Contact");
            assertThat(contacts).as("one contact for the number, two calls").hasSize(1);
            JsonNode contact = contacts.get(0);
            String id = contact.get("Id").asText();
            assertThat(contact.get("FirstName").asText()).isEqualTo("Jean");
            assertThat(contact.get("LastName").asText()).isEqualTo("Dupont");
            assertThat(contact.get("Email").asText()).isEqualTo("jean.dupont@example.ch");
            assertThat(contact.get("Phone").asText()).isEqualTo("+41795550101");
            assertThat(contact.get("Description").asText()).isEqualTo("Société : Dupont SA");
            assertThat(contact.get("Callbridge_Command_Id__c").asText()).isEqualTo("caller:41795550101");
            assertThat(contact.get("Callbridge_Lead_Score__c").asDouble()).isEqualTo(86.0);
            assertThat(org.query("SELECT Id FROM Lead")).isEmpty();
            assertThat(org.query("SELECT WhoId FROM Task")).hasSize(6)
                    .allSatisfy(t -> assertThat(t.get("WhoId").asText()).isEqualTo(id));
            assertThat(org.query("SELECT ContactId FROM Opportunity")).hasSize(2)
                    .allSatisfy(o -> assertThat(o.get("ContactId").asText()).isEqualTo(id));
        }
    }

    @Test
    void unlinkedPolicyLogsTheCallWithoutCreatingAnyone() {
        try (CallbridgeApp app = app("unlinked")) {
            ObjectNode event = event("+41795550202");
            post(app, event);
            awaitDone(app, event);

            assertThat(org.query("SELECT Id FROM Lead")).isEmpty();
            assertThat(org.query("SELECT Id FROM Contact")).isEmpty();
            JsonNode tasks = org.query("SELECT WhoId, Subject FROM Task");
            assertThat(tasks).hasSize(3).allSatisfy(t -> assertThat(t.path("WhoId").isNull() || t.path("WhoId").isMissingNode())
                    .as("unlinked: " + t).isTrue());
            assertThat(org.query("SELECT Name FROM Opportunity")).hasSize(1);
        }
    }

    private static CallbridgeApp app(String policy) {
        return CallbridgeApp.on(broker)
                .with(org.connectorSettings())
                .with("callbridge.crm.salesforce.unknown-caller", policy)
                .with("callbridge.delivery.retry.initial-ms", "200")
                .start();
    }

    private static ObjectNode event(String e164) {
        ObjectNode event = Samples.designExample();
        event.put("id", UUID.randomUUID().toString());
        ObjectNode data = (ObjectNode) event.get("data");
        data.remove("customerE164");
        data.put("from", e164);
        return event;
    }

    private static void post(CallbridgeApp app, ObjectNode event) {
        HttpResponse<String> r = Events.post(app.uri("/v1/call-events"), "application/cloudevents+json", Events.bytes(event));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    }

    private static void awaitDone(CallbridgeApp app, ObjectNode event) {
        CommandLedger ledger = app.context().getRegistry().lookupByNameAndType("commandLedger", CommandLedger.class);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> COMMANDS.stream()
                .allMatch(c -> ledger.state("salesforce", event.get("id").asText() + ":" + c) == CommandLedger.State.DONE));
    }
}
