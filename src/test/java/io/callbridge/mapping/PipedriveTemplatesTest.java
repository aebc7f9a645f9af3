package io.callbridge.mapping;

import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callbridge.crm.pipedrive.PipedriveFixture;
import io.callbridge.support.Samples;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The Pipedrive templates render what a Pipedrive user expects, and the Pipedrive sandbox accepts every rendered request. */
class PipedriveTemplatesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static PipedriveFixture.Account account;
    private Mappings mappings;
    private JsonNode contact;

    @BeforeAll
    static void startAccount() {
        account = PipedriveFixture.Account.start();
    }

    @AfterAll
    static void stopAccount() {
        account.close();
    }

    @BeforeEach
    void seedPerson() throws Exception {
        account.reset();
        mappings = Mappings.load(Path.of("mappings"), CrmNames.templated(List.of("pipedrive")), k -> null, ZoneId.of("Europe/Zurich"), Clock.systemUTC());
        JsonNode person = account.json("POST", "/api/v2/persons", JSON.readTree(
                "{\"name\":\"Dupont\",\"owner_id\":13053568,\"phones\":[{\"value\":\"+41 79 123 45 67\",\"primary\":true,\"label\":\"work\"}]}"))
                .get("data");
        contact = JSON.createObjectNode().put("id", person.get("id").asText()).put("type", "contact")
                .put("ownerId", person.get("owner_id").asText()).set("record", person);
    }

    private void applyAll(ObjectNode event, JsonNode who) throws Exception {
        RenderedRequests.applyAll(mappings, account, event, who);
    }

    @Test
    void theDesignExampleLandsAsTheRecordsAUserExpects() throws Exception {
        applyAll(Samples.designExample(), contact);
        long who = contact.get("id").asLong();

        JsonNode activities = account.json("GET", "/api/v2/activities?person_id=" + who + "&limit=100", null).get("data");
        JsonNode call = find(activities, "type", "call");
        assertThat(call.get("subject").asText()).isEqualTo("Appel entrant - 28.11.2026 10:14");
        assertThat(call.get("done").asBoolean()).isTrue();
        assertThat(call.get("due_date").asText()).isEqualTo("2026-11-28");
        assertThat(call.get("duration").asText()).isEqualTo("00:04");
        assertThat(call.get("note").asText()).startsWith("Client Gold");

        JsonNode person = account.json("GET", "/api/v2/persons/" + who, null).get("data");
        assertThat(person.at("/emails/0/value").asText()).isEqualTo("jean.dupont@example.ch");
        assertThat(person.at("/custom_fields/callbridge_lead_score").asInt()).isEqualTo(86);
        assertThat(person.at("/phones/0/value").asText()).as("stored as typed, untouched").isEqualTo("+41 79 123 45 67");

        JsonNode deal = account.json("GET", "/api/v2/deals?person_id=" + who, null).get("data").get(0);
        assertThat(deal.get("title").asText()).isEqualTo("Dupont SA - Produit X");
        assertThat(deal.get("value").asInt()).isEqualTo(20000);
        assertThat(deal.get("expected_close_date").asText()).isEqualTo("2027-03-31");

        assertThat(activities).filteredOn(a -> a.path("type").asText().equals("task"))
                .extracting(a -> a.get("subject").asText())
                .containsExactlyInAnyOrder("Opportunité chaude - Jean Dupont intéressé par Produit X", "Rappeler Jean Dupont - envoyer une offre");
    }

    @Test
    void aComplaintWithAnAppointmentLandsAsTaskFlagAndMeeting() throws Exception {
        applyAll(Samples.event("complaint-with-appointment"), contact);
        long who = contact.get("id").asLong();
        JsonNode activities = account.json("GET", "/api/v2/activities?person_id=" + who + "&limit=100", null).get("data");
        JsonNode meeting = find(activities, "type", "meeting");
        assertThat(meeting.get("subject").asText()).isEqualTo("Visite technique");
        assertThat(meeting.get("duration").asText()).isEqualTo("00:45");
        assertThat(account.json("GET", "/api/v2/persons/" + who, null).at("/data/custom_fields/callbridge_at_risk").asBoolean()).isTrue();
    }

    @Test
    void everyEventIsAcceptedWithoutAPersonToo() throws Exception {
        for (String sample : List.of("design-example", "complaint-with-appointment", "minimal")) {
            applyAll(Samples.event(sample), null);
        }
    }

    private static JsonNode find(JsonNode list, String field, String value) {
        for (JsonNode n : list) {
            if (n.path(field).asText().equals(value)) {
                return n;
            }
        }
        throw new AssertionError("no " + field + "=" + value + " in " + list);
    }
}
