package io.callbridge.mapping;

import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callbridge.crm.salesforce.SalesforceFixture;
import io.callbridge.support.Samples;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Salesforce templates render what a Salesforce admin expects, and the Salesforce sandbox (required
 * fields, picklists, date-only fields, references, unknown fields) accepts every rendered request.
 */
class SalesforceTemplatesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static SalesforceFixture.Org org;
    private Mappings mappings;
    private JsonNode contact;

    @BeforeAll
    static void startOrg() {
        org = SalesforceFixture.Org.start();
    }

    @AfterAll
    static void stopOrg() {
        org.close();
    }

    @BeforeEach
    void seedContact() throws Exception {
        org.reset();
        mappings = Mappings.load(Path.of("mappings"), CrmNames.templated(List.of("salesforce")), k -> null, ZoneId.of("Europe/Zurich"), Clock.systemUTC());
        ObjectNode fields = JSON.createObjectNode().put("LastName", "Dupont").put("Phone", "+41 79 123 45 67");
        String id = org.create("Contact", fields);
        JsonNode record = org.get("Contact", id);
        contact = JSON.createObjectNode().put("id", id).put("type", "contact")
                .put("ownerId", record.path("OwnerId").asText()).set("record", record);
    }

    private void applyAll(ObjectNode event, JsonNode who) throws Exception {
        RenderedRequests.applyAll(mappings, org, event, who);
    }

    @Test
    void theDesignExampleLandsAsTheRecordsAnAdminExpects() throws Exception {
        applyAll(Samples.designExample(), contact);
        String who = contact.get("id").asText();

        JsonNode call = org.query("SELECT Subject, TaskSubtype, CallType, CallDurationInSeconds, ActivityDate, Status, "
                + "Priority, WhoId, Description FROM Task WHERE TaskSubtype = 'Call'").get(0);
        assertThat(call.get("Subject").asText()).isEqualTo("Appel entrant - 28.11.2026 10:14");
        assertThat(call.get("CallType").asText()).isEqualTo("Inbound");
        assertThat(call.get("CallDurationInSeconds").asInt()).isEqualTo(242);
        assertThat(call.get("ActivityDate").asText()).isEqualTo("2026-11-28");
        assertThat(call.get("Status").asText()).isEqualTo("Completed");
        assertThat(call.get("WhoId").asText()).isEqualTo(who);
        assertThat(call.get("Description").asText()).startsWith("Client Gold");

        JsonNode updated = org.get("Contact", who);
        assertThat(updated.get("FirstName").asText()).as("empty name filled").isEqualTo("Jean");
        assertThat(updated.get("LastName").asText()).isEqualTo("Dupont");
        assertThat(updated.get("Email").asText()).isEqualTo("jean.dupont@example.ch");
        assertThat(updated.get("Callbridge_Lead_Score__c").asDouble()).isEqualTo(86.0);
        assertThat(updated.get("Callbridge_Last_Call__c").asText()).startsWith("2026-11-28T09:14:03");

        JsonNode deal = org.query("SELECT Name, StageName, CloseDate, Amount, ContactId FROM Opportunity").get(0);
        assertThat(deal.get("Name").asText()).isEqualTo("Dupont SA - Produit X");
        assertThat(deal.get("StageName").asText()).isEqualTo("Qualification");
        assertThat(deal.get("CloseDate").asText()).isEqualTo("2027-03-31");
        assertThat(deal.get("Amount").asDouble()).isEqualTo(20000.0);
        assertThat(deal.get("ContactId").asText()).isEqualTo(who);

        JsonNode tasks = org.query("SELECT Subject, OwnerId, ActivityDate, Priority FROM Task WHERE TaskSubtype = 'Task' ORDER BY Subject");
        assertThat(tasks).extracting(t -> t.get("Subject").asText())
                .containsExactly("Opportunité chaude - Jean Dupont intéressé par Produit X", "Rappeler Jean Dupont - envoyer une offre");
        assertThat(tasks.get(0).get("OwnerId").asText()).isEqualTo(contact.get("ownerId").asText());
        assertThat(tasks.get(1).get("ActivityDate").asText()).isEqualTo("2026-11-30");
    }

    @Test
    void applyingTheSameCommandsTwiceLeavesOneRecordEach() throws Exception {
        applyAll(Samples.designExample(), contact);
        applyAll(Samples.designExample(), contact);
        assertThat(org.query("SELECT Id FROM Task")).hasSize(3);
        assertThat(org.query("SELECT Id FROM Opportunity")).hasSize(1);
    }

    @Test
    void aComplaintWithAnAppointmentLandsAsCaseFlagMeetingAndReminder() throws Exception {
        applyAll(Samples.event("complaint-with-appointment"), contact);
        String who = contact.get("id").asText();
        JsonNode kase = org.query("SELECT Priority, Status, Origin, ContactId FROM Case").get(0);
        assertThat(kase.get("Priority").asText()).isEqualTo("High");
        assertThat(kase.get("Origin").asText()).isEqualTo("Phone");
        assertThat(kase.get("ContactId").asText()).isEqualTo(who);
        assertThat(org.get("Contact", who).get("Callbridge_At_Risk__c").asBoolean()).isTrue();
        JsonNode meeting = org.query("SELECT Subject, StartDateTime, EndDateTime, WhoId FROM Event").get(0);
        assertThat(meeting.get("Subject").asText()).isEqualTo("Visite technique");
        assertThat(meeting.get("WhoId").asText()).isEqualTo(who);
        JsonNode reminder = org.query("SELECT ActivityDate FROM Task WHERE Subject LIKE 'Rappel rendez-vous%'").get(0);
        assertThat(reminder.get("ActivityDate").asText()).isEqualTo("2026-12-01");
    }

    @Test
    void everyEventIsAcceptedWithoutAContactToo() throws Exception {
        for (String sample : List.of("design-example", "complaint-with-appointment", "minimal")) {
            applyAll(Samples.event(sample), null);
        }
        assertThat(org.query("SELECT Id FROM Task WHERE TaskSubtype = 'Call'")).hasSize(3);
        assertThat(org.query("SELECT SuppliedPhone FROM Case").get(0).get("SuppliedPhone").asText()).isEqualTo("+41791234567");
    }

    @Test
    void aMinimalEventRendersOnlyWhatItHas() throws Exception {
        List<Command> commands = mappings.plan(Samples.minimal());
        CrmRequest call = mappings.render(commands.get(0), null);
        assertThat(call.body().toString()).doesNotContain("null").doesNotContain("Description").doesNotContain("WhoId");
        assertThat(call.body().get("CallType").asText()).isEqualTo("Outbound");
        assertThat(mappings.render(commands.get(1), null)).as("nothing to update without a contact").isNull();
    }
}
