package io.callbridge.crm.zoho;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callbridge.delivery.CommandLedger;
import io.callbridge.delivery.Pacer;
import io.callbridge.support.ConnectorHarness;
import io.callbridge.support.Events;
import io.callbridge.support.Samples;
import io.callbridge.support.Topics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Zoho CRM end to end: POST /v1/call-events → rules → callbridge.crm.zoho → the shared REST connector with Zoho's
 * dialect → the Zoho sandbox over HTTP (OAuth refresh at its accounts server, the v8 API at the api_domain it
 * answers), with Zoho's default credits and concurrency.
 */
class ZohoConnectorIT {

    private static final List<String> DESIGN_COMMANDS = List.of("log-call:0", "enrich-contact:0", "hot-lead:0", "hot-lead:1", "callback:0");
    private static ZohoFixture.Org org;
    private static ConnectorHarness cb;

    @BeforeAll
    static void start() {
        org = ZohoFixture.Org.start(Map.of());
        cb = ConnectorHarness.start("zoho", org.connectorSettings(), org, "+417930");
    }

    @AfterAll
    static void stop() throws Exception {
        if (cb != null) {
            cb.close();
        }
    }

    /** A contact owned by the org's first user, the number typed as a sales rep would. */
    private static String knownContact(String e164) {
        String typed = "+41 79 " + e164.substring(5, 8) + " " + e164.substring(8, 10) + " " + e164.substring(10);
        return org.insert("Contacts", Events.JSON.createObjectNode().put("Last_Name", "Dupont").put("Phone", typed)
                .put("Email", "old." + e164.substring(1) + "@example.ch"));
    }

    /** A sample call from the number; every caller of these tests has an e-mail of their own (Zoho keeps them unique). */
    private static ObjectNode event(String sample, String e164) {
        ObjectNode event = Samples.call(sample, e164);
        if (event.at("/data/caller").isObject()) {
            ((ObjectNode) event.at("/data/caller")).put("email", "jean.dupont." + e164.substring(1) + "@example.ch");
        }
        return event;
    }

    private static void post(ObjectNode event) {
        cb.app().post(event);
    }

    private static CommandLedger ledger() {
        return cb.app().ledger();
    }

    private static void awaitDelivered(ObjectNode event, List<String> commands) {
        cb.awaitDelivered(event, commands);
    }

    private static long requests(String method, String path) {
        long n = 0;
        for (JsonNode r : org.requests()) {
            n += r.path("method").asText().equals(method) && r.path("path").asText().equals(path) ? 1 : 0;
        }
        return n;
    }

    @Test
    void theDesignExampleBecomesExactlyTheExpectedZohoRecords() {
        String e164 = cb.newNumber();
        String contact = knownContact(e164);
        ObjectNode event = event("design-example", e164);
        String id = event.get("id").asText();

        post(event);

        awaitDelivered(event, DESIGN_COMMANDS);
        List<JsonNode> calls = org.of("Calls", contact);
        assertThat(calls).hasSize(1);
        JsonNode call = calls.get(0);
        assertThat(call.get("Subject").asText()).isEqualTo("Appel entrant - 28.11.2026 10:14");
        assertThat(call.get("Call_Type").asText()).isEqualTo("Inbound");
        assertThat(call.get("Call_Start_Time").asText()).isEqualTo("2026-11-28T10:14:03+01:00");
        assertThat(call.get("Call_Duration").asText()).isEqualTo("04:02");
        assertThat(call.get("Description").asText()).startsWith("Client Gold, question sur la commande 4411");
        assertThat(call.at("/Who_Id/id").asText()).isEqualTo(contact);
        assertThat(call.get("Callbridge_Command_Id").asText()).isEqualTo(id + ":log-call:0");

        JsonNode person = org.record("Contacts", contact);
        assertThat(person.get("First_Name").asText()).as("filled because empty").isEqualTo("Jean");
        assertThat(person.get("Last_Name").asText()).as("kept").isEqualTo("Dupont");
        assertThat(person.get("Email").asText()).isEqualTo("jean.dupont." + e164.substring(1) + "@example.ch");
        assertThat(person.get("Callbridge_Lead_Score").asText()).startsWith("86");
        assertThat(person.get("Callbridge_Last_Call").asText()).isEqualTo("2026-11-28T10:14:03+01:00");
        assertThat(person.get("Callbridge_Last_Summary").asText()).startsWith("Client Gold");

        List<JsonNode> deals = org.of("Deals", contact);
        assertThat(deals).hasSize(1);
        JsonNode deal = deals.get(0);
        assertThat(deal.get("Deal_Name").asText()).isEqualTo("Dupont SA - Produit X");
        assertThat(deal.get("Stage").asText()).isEqualTo("Qualification");
        assertThat(deal.get("Amount").asDouble()).isEqualTo(20000.0);
        assertThat(deal.get("Closing_Date").asText()).isEqualTo("2027-03-31");
        assertThat(deal.get("Callbridge_Command_Id").asText()).isEqualTo(id + ":hot-lead:0");

        List<JsonNode> tasks = org.of("Tasks", contact);
        assertThat(tasks).extracting(t -> t.get("Subject").asText()).containsExactlyInAnyOrder(
                "Opportunité chaude - Jean Dupont intéressé par Produit X", "Rappeler Jean Dupont - envoyer une offre");
        JsonNode callback = tasks.stream().filter(t -> t.get("Subject").asText().startsWith("Rappeler")).findFirst().orElseThrow();
        assertThat(callback.get("Due_Date").asText()).isEqualTo("2026-11-30");
        assertThat(callback.get("Description").asText()).startsWith("Échéance : 30.11.2026 10:00\nMotif : envoyer une offre");
        JsonNode hot = tasks.stream().filter(t -> t.get("Subject").asText().startsWith("Opportunité")).findFirst().orElseThrow();
        assertThat(hot.get("Priority").asText()).isEqualTo("High");
        assertThat(hot.get("Due_Date").asText()).isEqualTo("2026-11-28");

        assertThat(org.of("Cases", contact)).isEmpty();
        assertThat(org.of("Events", contact)).isEmpty();
        assertThat(org.all("Leads")).as("no lead created for a known caller")
                .noneMatch(l -> e164.equals(l.path("Phone").asText()));
    }

    @Test
    void aCallersNextCallNeedsNoNewSearchAfterTheContactWasUpdated() {
        String e164 = cb.newNumber();
        String contact = knownContact(e164);
        ObjectNode first = event("design-example", e164);
        post(first);
        awaitDelivered(first, DESIGN_COMMANDS);
        long searches = requests("GET", "/crm/v8/Contacts/search") + requests("GET", "/crm/v8/Leads/search");

        ObjectNode second = event("design-example", e164);
        ((ObjectNode) second.get("data")).put("summary", "the second call");
        post(second);
        awaitDelivered(second, DESIGN_COMMANDS);

        assertThat(requests("GET", "/crm/v8/Contacts/search") + requests("GET", "/crm/v8/Leads/search"))
                .as("the cached caller took the fields Zoho accepted instead of being dropped").isEqualTo(searches);
        assertThat(org.record("Contacts", contact).get("Callbridge_Last_Summary").asText()).isEqualTo("the second call");
        assertThat(org.of("Calls", contact)).hasSize(2);
    }

    @Test
    void aComplaintWithAnAppointmentOpensACaseAMeetingAReminderAndFlagsTheContact() {
        String e164 = cb.newNumber();
        String contact = knownContact(e164);
        ObjectNode event = event("complaint-with-appointment", e164);

        post(event);

        awaitDelivered(event, List.of("log-call:0", "enrich-contact:0", "angry-complaint:0", "angry-complaint:1", "angry-complaint:2",
                "appointment:0", "appointment:1"));
        List<JsonNode> cases = org.of("Cases", contact);
        assertThat(cases).hasSize(1);
        assertThat(cases.get(0).get("Subject").asText()).isEqualTo("Réclamation - Jean Dupont - 28.11.2026 10:14");
        assertThat(cases.get(0).get("Priority").asText()).isEqualTo("High");
        assertThat(cases.get(0).get("Case_Origin").asText()).isEqualTo("Phone");

        List<JsonNode> meetings = org.of("Events", contact);
        assertThat(meetings).hasSize(1);
        assertThat(meetings.get(0).get("Event_Title").asText()).isEqualTo("Visite technique");
        assertThat(meetings.get(0).get("Start_DateTime").asText()).isEqualTo("2026-12-02T14:00:00+01:00");
        assertThat(meetings.get(0).get("End_DateTime").asText()).isEqualTo("2026-12-02T14:45:00+01:00");
        assertThat(meetings.get(0).get("Venue").asText()).isEqualTo("Lausanne");

        assertThat(org.of("Tasks", contact)).extracting(t -> t.get("Subject").asText()).containsExactlyInAnyOrder(
                "Réclamation - Jean Dupont", "Rappel rendez-vous - Jean Dupont");
        JsonNode reminder = org.of("Tasks", contact).stream().filter(t -> t.get("Subject").asText().startsWith("Rappel "))
                .findFirst().orElseThrow();
        assertThat(reminder.get("Due_Date").asText()).isEqualTo("2026-12-01");
        assertThat(org.record("Contacts", contact).get("Callbridge_At_Risk").asBoolean()).isTrue();
    }

    @Test
    void theSameEventThreeTimesCreatesNoNewRecords() {
        String e164 = cb.newNumber();
        String contact = knownContact(e164);
        ObjectNode event = event("design-example", e164);
        ObjectNode marker = cb.app().postThreeTimes(cb.broker(), event, e164);

        awaitDelivered(marker, List.of("log-call:0", "enrich-contact:0"));
        assertThat(org.of("Calls", contact)).hasSize(2);
        assertThat(org.of("Deals", contact)).hasSize(1);
        assertThat(org.of("Tasks", contact)).hasSize(2);
        assertThat(ledger().state("zoho", event.get("id").asText() + ":log-call:0")).isEqualTo(CommandLedger.State.DONE);
    }

    @Test
    void aCallThatReachedZohoBeforeACrashIsRefusedAsADuplicateAndCountedAsDone() {
        String e164 = cb.newNumber();
        String contact = knownContact(e164);
        ObjectNode event = event("design-example", e164);
        String id = event.get("id").asText();
        // the crash: Zoho has the call, the ledger only says pending
        String existing = org.insert("Calls", Events.JSON.createObjectNode().put("Subject", "Appel entrant - 28.11.2026 10:14")
                .put("Call_Type", "Inbound").put("Call_Start_Time", "2026-11-28T10:14:03+01:00").put("Call_Duration", "04:02")
                .put("Callbridge_Command_Id", id + ":log-call:0").set("Who_Id", Events.JSON.createObjectNode().put("id", contact)));
        ledger().pending("zoho", id + ":log-call:0");

        post(event);

        awaitDelivered(event, DESIGN_COMMANDS);
        assertThat(org.of("Calls", contact)).extracting(c -> c.get("id").asText()).containsExactly(existing);
    }

    @Test
    void anUnknownCallerCallingTwiceIsOneLeadWithBothCalls() {
        String e164 = cb.newNumber();
        ObjectNode first = event("design-example", e164);
        ObjectNode second = event("design-example", e164);

        post(first);
        post(second);

        awaitDelivered(second, DESIGN_COMMANDS);
        List<JsonNode> leads = org.all("Leads").stream().filter(l -> e164.equals(l.path("Phone").asText())).toList();
        assertThat(leads).hasSize(1);
        JsonNode lead = leads.get(0);
        assertThat(lead.get("First_Name").asText()).isEqualTo("Jean");
        assertThat(lead.get("Last_Name").asText()).isEqualTo("Dupont");
        assertThat(lead.get("Company").asText()).isEqualTo("Dupont SA");
        assertThat(lead.get("Callbridge_Command_Id").asText()).isEqualTo("callbridge-caller:" + e164);
        List<JsonNode> calls = org.of("Calls", lead.get("id").asText());
        assertThat(calls).hasSize(2).allSatisfy(c -> {
            assertThat(c.path("$se_module").asText()).isEqualTo("Leads");
            assertThat(c.path("Who_Id").isMissingNode() || c.path("Who_Id").isNull()).as("a lead is never Who_Id").isTrue();
        });
    }

    @Test
    void severalCallersCallsInOneWaveAreOneInsertOfUpTo100Records() {
        List<String> numbers = List.of(cb.newNumber(), cb.newNumber(), cb.newNumber(), cb.newNumber());
        List<String> contacts = numbers.stream().map(ZohoConnectorIT::knownContact).toList();
        cb.app().deliveryConsumer("zoho").stop();
        List<ObjectNode> events = new ArrayList<>();
        for (String e164 : numbers) {
            ObjectNode event = event("minimal", e164);
            events.add(event);
            post(event);
        }
        long insertsBefore = requests("POST", "/crm/v8/Calls");
        await().atMost(Duration.ofSeconds(30)).until(() -> Topics.readAll(cb.broker(), "callbridge.crm.zoho").stream()
                .map(r -> Events.parse(r.value()).path("commandId").asText())
                .filter(c -> events.stream().anyMatch(e -> c.equals(e.get("id").asText() + ":log-call:0"))).count() == events.size());
        cb.app().deliveryConsumer("zoho").start();

        events.forEach(e -> awaitDelivered(e, List.of("log-call:0")));
        for (String contact : contacts) {
            assertThat(org.of("Calls", contact)).hasSize(1);
        }
        assertThat(requests("POST", "/crm/v8/Calls") - insertsBefore).as("four callers' calls in one or two inserts").isBetween(1L, 2L);
        JsonNode writes = Events.parse(org.admin("GET", "/writes", null).body().getBytes(StandardCharsets.UTF_8));
        assertThat(writes).filteredOn(w -> w.get("module").asText().equals("Calls") && w.get("records").asInt() > 1)
                .as("the wave's insert").isNotEmpty().allSatisfy(w -> assertThat(w.get("trigger").toString())
                .as("the org's automations run, as callbridge.crm.zoho.trigger says by default")
                .isEqualTo("[\"workflow\",\"approval\",\"blueprint\"]"));
    }

    @Test
    void anAccessTokenExpiredMidStreamIsRefreshedOnceAndNothingIsLost() {
        String e164 = cb.newNumber();
        String contact = knownContact(e164);
        ObjectNode first = event("minimal", e164);
        post(first);
        awaitDelivered(first, List.of("log-call:0"));
        long refreshes = requests("POST", "/oauth/v2/token");

        org.admin("POST", "/tokens/expire", null);
        List<ObjectNode> more = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ObjectNode event = event("minimal", e164);
            more.add(event);
            post(event);
        }

        more.forEach(e -> awaitDelivered(e, List.of("log-call:0")));
        assertThat(org.of("Calls", contact)).hasSize(4);
        assertThat(requests("POST", "/oauth/v2/token") - refreshes).as("one refresh for everyone").isEqualTo(1);
        assertThat(org.requests().toString()).as("Zoho refused the expired token").contains("\"status\":401");
    }

    @Test
    void spentCreditsOpenTheBreakerAndTheRecordsLandOnceCreditsReturnNothingDeadLettered() {
        Pacer pacer = cb.app().context().getRegistry().lookupByNameAndType("pacer-zoho", Pacer.class);
        long openings = pacer.breakerOpenings();
        String e164 = cb.newNumber();
        String contact = knownContact(e164);
        org.admin("POST", "/credits", "{\"remaining\":0}");
        ObjectNode event = event("design-example", e164);
        try {
            post(event);

            await().atMost(Duration.ofSeconds(20)).until(() -> pacer.breakerOpenings() > openings);
            assertThat(org.of("Calls", contact)).isEmpty();
        } finally {
            org.admin("POST", "/credits", "{\"remaining\":50000}");
        }
        awaitDelivered(event, DESIGN_COMMANDS);
        assertThat(org.of("Calls", contact)).hasSize(1);
        assertThat(org.of("Deals", contact)).hasSize(1);
        assertThat(org.requests().toString()).as("Zoho refused requests while no credit was left").contains("\"status\":429");
        assertThat(deadLetters(event)).as("nothing set aside while the credits were spent").isEmpty();
        await().atMost(Duration.ofSeconds(5)).until(() -> !pacer.breakerOpen());
    }

    private static List<JsonNode> deadLetters(ObjectNode event) {
        return cb.deadLetters(cb.app(), event);
    }
}
