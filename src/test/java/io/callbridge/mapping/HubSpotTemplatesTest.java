package io.callbridge.mapping;

import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callbridge.crm.hubspot.HubSpotFixture;
import io.callbridge.support.Samples;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The HubSpot templates render what a HubSpot admin expects, and the HubSpot sandbox accepts every rendered request. */
class HubSpotTemplatesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static HubSpotFixture.Portal portal;
    private Mappings mappings;
    private JsonNode contact;

    @BeforeAll
    static void startPortal() {
        portal = HubSpotFixture.Portal.start();
    }

    @AfterAll
    static void stopPortal() {
        portal.close();
    }

    @BeforeEach
    void seedContact() throws Exception {
        portal.reset();
        mappings = Mappings.load(Path.of("mappings"), CrmNames.templated(List.of("hubspot")), k -> null, ZoneId.of("Europe/Zurich"), Clock.systemUTC());
        JsonNode created = portal.createContact("{\"properties\":{\"lastname\":\"Dupont\",\"phone\":\"+41 79 123 45 67\","
                + "\"hubspot_owner_id\":\"75000001\"}}");
        contact = JSON.createObjectNode().put("id", created.get("id").asText()).put("type", "contact")
                .put("ownerId", "75000001").set("record", created.get("properties"));
    }

    private void applyAll(ObjectNode event, JsonNode who) throws Exception {
        RenderedRequests.applyAll(mappings, portal, event, who);
    }

    @Test
    void theDesignExampleLandsAsTheRecordsAnAdminExpects() throws Exception {
        applyAll(Samples.designExample(), contact);
        String who = contact.get("id").asText();

        JsonNode call = portal.list("calls", "hs_call_title,hs_call_direction,hs_call_duration,hs_call_status,hs_timestamp,hs_call_body").get(0);
        assertThat(call.at("/properties/hs_call_title").asText()).isEqualTo("Appel entrant - 28.11.2026 10:14");
        assertThat(call.at("/properties/hs_call_direction").asText()).isEqualTo("INBOUND");
        assertThat(call.at("/properties/hs_call_duration").asText()).isIn("242000", "242000.0");
        assertThat(call.at("/properties/hs_call_status").asText()).isEqualTo("COMPLETED");
        assertThat(call.at("/associations/contacts/results/0/id").asText()).isEqualTo(who);

        JsonNode updated = portal.json("GET", "/crm/v3/objects/contacts/" + who
                + "?properties=firstname,lastname,email,callbridge_lead_score,callbridge_last_call", null).get("properties");
        assertThat(updated.get("firstname").asText()).isEqualTo("Jean");
        assertThat(updated.get("lastname").asText()).isEqualTo("Dupont");
        assertThat(updated.get("email").asText()).isEqualTo("jean.dupont@example.ch");
        assertThat(updated.get("callbridge_lead_score").asText()).startsWith("86");

        JsonNode deal = portal.list("deals", "dealname,dealstage,pipeline,amount,closedate").get(0);
        assertThat(deal.at("/properties/dealname").asText()).isEqualTo("Dupont SA - Produit X");
        assertThat(deal.at("/properties/dealstage").asText()).isEqualTo("qualifiedtobuy");
        assertThat(deal.at("/properties/closedate").asText()).startsWith("2027-03-31");
        assertThat(deal.at("/associations/contacts/results/0/id").asText()).isEqualTo(who);

        JsonNode tasks = portal.list("tasks", "hs_task_subject,hubspot_owner_id,hs_timestamp,hs_task_priority");
        assertThat(tasks).extracting(t -> t.at("/properties/hs_task_subject").asText())
                .containsExactlyInAnyOrder("Opportunité chaude - Jean Dupont intéressé par Produit X", "Rappeler Jean Dupont - envoyer une offre");
        assertThat(tasks).allSatisfy(t -> assertThat(t.at("/properties/hubspot_owner_id").asText()).isEqualTo("75000001"));
    }

    @Test
    void aComplaintWithAnAppointmentLandsAsTicketFlagMeetingAndReminder() throws Exception {
        applyAll(Samples.event("complaint-with-appointment"), contact);
        String who = contact.get("id").asText();
        JsonNode ticket = portal.list("tickets", "hs_ticket_priority,hs_pipeline_stage,subject").get(0);
        assertThat(ticket.at("/properties/hs_ticket_priority").asText()).isEqualTo("HIGH");
        assertThat(ticket.at("/associations/contacts/results/0/id").asText()).isEqualTo(who);
        assertThat(portal.json("GET", "/crm/v3/objects/contacts/" + who + "?properties=callbridge_at_risk", null)
                .at("/properties/callbridge_at_risk").asText()).isEqualTo("true");
        JsonNode meeting = portal.list("meetings", "hs_meeting_title,hs_meeting_start_time,hs_meeting_end_time").get(0);
        assertThat(meeting.at("/properties/hs_meeting_title").asText()).isEqualTo("Visite technique");
        assertThat(meeting.at("/associations/contacts/results/0/id").asText()).isEqualTo(who);
    }

    @Test
    void everyEventIsAcceptedWithoutAContactToo() throws Exception {
        for (String sample : List.of("design-example", "complaint-with-appointment", "minimal")) {
            applyAll(Samples.event(sample), null);
        }
        assertThat(portal.list("calls", "hs_call_title")).hasSize(3);
    }

    @Test
    void aMinimalEventRendersOnlyWhatItHas() throws Exception {
        Command logCall = mappings.plan(Samples.minimal()).get(0);
        CrmRequest call = mappings.render(logCall, null);
        assertThat(call.body().toString()).doesNotContain("null").doesNotContain("hs_call_body").doesNotContain("associations");
        assertThat(call.body().at("/properties/hs_call_direction").asText()).isEqualTo("OUTBOUND");
        assertThat(call.body().at("/properties/hs_call_to_number").asText()).isEqualTo("+41215550000");
    }
}
