package io.callbridge.crm.salesforce;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.callbridge.broker.EmbeddedKafkaBroker;
import io.callbridge.support.CallbridgeApp;
import io.callbridge.support.ChangeChecks;
import io.callbridge.support.Events;
import io.callbridge.support.TestBroker;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Salesforce tells Callbridge when a Contact or Lead changes (Change Data Capture, consumed by camel-salesforce from the
 * sandbox's Streaming API over real HTTP): a contact renamed in Salesforce is greeted by the new name at the next lookup
 * within two seconds rather than at the end of the cache's ten minutes, a deleted lead is no longer greeted, a number given
 * to a new contact no longer counts as unknown; each change is on {@code callbridge.crm-changes} without the values.
 */
class SalesforceChangesIT {

    private static final String AGENT = "agent-sf-changes-key";

    private static EmbeddedKafkaBroker broker;
    private static SalesforceFixture.Org org;
    private static CallbridgeApp app;

    @BeforeAll
    static void start() {
        broker = TestBroker.shared();
        org = SalesforceFixture.Org.start();
        app = CallbridgeApp.on(broker).with(org.connectorSettings()).with("callbridge.crm.salesforce.change-events", "true")
                .with("callbridge.api-keys", AGENT + ":agent")
                // what is tested is which name is greeted, not how fast: a cold first search may miss the 150 ms deadline
                .with("callbridge.identify.deadline-ms", "1000").start();
        // the subscription is made in the background once Callbridge runs: a change made before it would not be seen
        String probe = org.create("Lead", Events.JSON.createObjectNode().put("LastName", "Probe").put("Company", "Probe AG"));
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
            org.call("PATCH", "/services/data/v60.0/sobjects/Lead/" + probe, Events.JSON.createObjectNode().put("Title",
                    "t" + System.nanoTime()));
            return !changes(probe).isEmpty();
        });
    }

    @AfterAll
    static void stop() {
        app.close();
        org.close();
    }

    @Test
    void aContactRenamedInSalesforceIsGreetedByItsNewNameAtTheNextLookup() {
        String id = org.create("Contact", Events.JSON.createObjectNode().put("FirstName", "Jean").put("LastName", "Muster")
                .put("MobilePhone", "+41791112233").put("Email", "jean.muster@example.ch"));
        awaitChange(id, "created");
        assertThat(lookUp("%2B41791112233").path("firstName").asText()).isEqualTo("Jean");
        assertThat(lookUpResponse("%2B41791112233").headers().firstValue("Callbridge-Cache")).hasValue("hit");

        HttpResponse<String> renamed = org.call("PATCH", "/services/data/v60.0/sobjects/Contact/" + id,
                Events.JSON.createObjectNode().put("FirstName", "Hans"));
        assertThat(renamed.statusCode()).as(renamed.body()).isEqualTo(204);

        await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(50))
                .until(() -> lookUp("%2B41791112233").path("firstName").asText().equals("Hans"));
        awaitChange(id, "updated");
        JsonNode event = changes(id).stream().map(SalesforceChangesIT::parse).filter(e -> e.at("/data/change").asText()
                .equals("updated")).findFirst().orElseThrow();
        assertThat(event.get("type").asText()).isEqualTo("crm.contact.changed");
        assertThat(event.get("source").asText()).isEqualTo("callbridge/crm/salesforce");
        assertThat(event.at("/data/recordId").asText()).isEqualTo(id);
        assertThat(event.at("/data/properties").toString()).isEqualTo("[\"FirstName\"]");
        assertThat(event.toString()).as("the names of what changed, never the values").doesNotContain("Hans", "Jean", "41791112233");
    }

    @Test
    void aLeadDeletedInSalesforceIsNoLongerGreeted() {
        String id = org.create("Lead", Events.JSON.createObjectNode().put("FirstName", "Lea").put("LastName", "Geht")
                .put("Company", "Geht AG").put("Phone", "+41791113344"));
        awaitChange(id, "created");
        assertThat(lookUp("%2B41791113344").path("recordId").asText()).isEqualTo(id);
        assertThat(lookUpResponse("%2B41791113344").headers().firstValue("Callbridge-Cache")).hasValue("hit");

        HttpResponse<String> deleted = org.call("DELETE", "/services/data/v60.0/sobjects/Lead/" + id, null);
        assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(204);

        await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(50))
                .until(() -> lookUpResponse("%2B41791113344").statusCode() == 404);
        awaitChange(id, "deleted");
    }

    @Test
    void aNumberGivenToANewContactNoLongerCountsAsUnknown() {
        assertThat(lookUpResponse("%2B41791115566").statusCode()).isEqualTo(404);
        assertThat(lookUpResponse("%2B41791115566").headers().firstValue("Callbridge-Cache")).hasValue("hit");

        String id = org.create("Contact", Events.JSON.createObjectNode().put("FirstName", "Neu").put("LastName", "Kunde")
                .put("Phone", "079 111 55 66"));

        await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(50))
                .until(() -> lookUpResponse("%2B41791115566").statusCode() == 200);
        assertThat(lookUp("%2B41791115566").path("recordId").asText()).isEqualTo(id);
    }

    /**
     * Until the change is applied (it is published after the cache is told): a creation's event names the record's numbers,
     * which it drops from the cache, so a lookup made before it arrived would be dropped with them.
     */
    private static void awaitChange(String recordId, String kind) {
        await().atMost(Duration.ofSeconds(5)).until(() -> changes(recordId).stream().anyMatch(c -> kind(c).equals(kind)));
    }

    private static List<ConsumerRecord<String, byte[]>> changes(String recordId) {
        return ChangeChecks.changes(broker, "salesforce", recordId);
    }

    private static String kind(ConsumerRecord<String, byte[]> r) {
        return parse(r).at("/data/change").asText();
    }

    private static JsonNode parse(ConsumerRecord<String, byte[]> r) {
        return Events.parse(r.value());
    }

    private static JsonNode lookUp(String phone) {
        return ChangeChecks.lookUp(app, AGENT, phone);
    }

    private static HttpResponse<String> lookUpResponse(String phone) {
        return ChangeChecks.lookUpResponse(app, AGENT, phone);
    }
}
