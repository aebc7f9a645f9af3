package io.callbridge.crm.notion;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callbridge.delivery.CommandLedger;
import io.callbridge.support.ConnectorHarness;
import io.callbridge.support.Events;
import io.callbridge.support.OffsetClock;
import io.callbridge.support.Samples;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static io.callbridge.crm.notion.NotionFixture.CALLS;
import static io.callbridge.crm.notion.NotionFixture.CASES;
import static io.callbridge.crm.notion.NotionFixture.CONTACTS;
import static io.callbridge.crm.notion.NotionFixture.DEALS;
import static io.callbridge.crm.notion.NotionFixture.MEETINGS;
import static io.callbridge.crm.notion.NotionFixture.OWNER;
import static io.callbridge.crm.notion.NotionFixture.TASKS;
import static io.callbridge.crm.notion.NotionFixture.body;
import static io.callbridge.crm.notion.NotionFixture.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Notion end to end: POST /v1/call-events → rules → callbridge.crm.notion → the shared REST connector with Notion's
 * dialect → the Notion sandbox over HTTP, at Notion's own rate (3 requests a second with bursts) and Callbridge's
 * default pace, whose workspace is the data sources of {@code mappings/notion/settings.yaml}.
 */
class NotionConnectorIT {

    private static final List<String> DESIGN_COMMANDS = List.of("log-call:0", "enrich-contact:0", "hot-lead:0", "hot-lead:1", "callback:0");
    private static final OffsetClock CLOCK = new OffsetClock();
    private static NotionFixture.Workspace workspace;
    private static ConnectorHarness cb;

    @BeforeAll
    static void start() {
        workspace = NotionFixture.Workspace.start(Map.of(), CLOCK);
        cb = ConnectorHarness.start("notion", workspace.connectorSettings(), workspace, "+417960");
    }

    @AfterAll
    static void stop() throws Exception {
        if (cb != null) {
            cb.close();
        }
    }

    /** A contact page owned by Claire Martin, the number typed as a sales rep would, without the E.164 property. */
    private static String knownContact(String e164) {
        ObjectNode p = Events.JSON.createObjectNode();
        p.putObject("Name").putArray("title").addObject().putObject("text").put("content", "Jean Dupont");
        p.putObject("Phone").put("phone_number", "0" + e164.substring(3, 5) + " " + e164.substring(5, 8) + " " + e164.substring(8, 10)
                + " " + e164.substring(10));
        p.putObject("Owner").putArray("people").addObject().put("id", OWNER);
        return workspace.create(CONTACTS, p);
    }

    private static ObjectNode event(String sample, String e164) {
        return Samples.call(sample, e164);
    }

    private static long refusals() {
        long n = 0;
        for (JsonNode r : workspace.requests()) {
            if (r.path("status").asInt() == 429) {
                n++;
            }
        }
        return n;
    }

    @Test
    void theDesignExampleBecomesExactlyTheExpectedNotionPagesWithoutA429() {
        String e164 = cb.newNumber();
        String contact = knownContact(e164);
        ObjectNode event = event("design-example", e164);
        String id = event.get("id").asText();
        long refusedBefore = refusals();

        cb.app().post(event);

        cb.awaitDelivered(event, DESIGN_COMMANDS);
        List<JsonNode> calls = workspace.of(CALLS, contact);
        assertThat(calls).hasSize(1);
        JsonNode call = calls.get(0);
        assertThat(text(call, "Name")).isEqualTo("Appel entrant - 28.11.2026 10:14");
        assertThat(text(call, "Direction")).isEqualTo("Entrant");
        assertThat(call.at("/properties/Duration/number").asInt()).isEqualTo(242);
        assertThat(call.at("/properties/Date/date/start").asText()).isEqualTo("2026-11-28T10:14:03+01:00");
        assertThat(text(call, "Command ID")).isEqualTo(id + ":log-call:0");
        assertThat(call.at("/properties/Owner/people/0/id").asText()).isEqualTo(OWNER);
        assertThat(body(call)).isEqualTo("Client Gold, question sur la commande 4411, intéressé par le produit X.");

        JsonNode person = workspace.page(CONTACTS, contact);
        assertThat(person.at("/properties/Email/email").asText()).isEqualTo("jean.dupont@example.ch");
        assertThat(text(person, "Company")).isEqualTo("Dupont SA");
        assertThat(person.at("/properties/Lead score/number").asInt()).isEqualTo(86);
        assertThat(text(person, "Last summary")).startsWith("Client Gold");
        assertThat(person.at("/properties/Last call/date/start").asText()).isEqualTo("2026-11-28T10:14:03+01:00");
        assertThat(text(person, "Phone E164")).as("kept for exact searches").isEqualTo(e164);

        List<JsonNode> deals = workspace.of(DEALS, contact);
        assertThat(deals).hasSize(1);
        assertThat(text(deals.get(0), "Name")).isEqualTo("Dupont SA - Produit X");
        assertThat(text(deals.get(0), "Stage")).isEqualTo("Qualifié");
        assertThat(deals.get(0).at("/properties/Amount/number").asInt()).isEqualTo(20000);
        assertThat(deals.get(0).at("/properties/Close date/date/start").asText()).isEqualTo("2027-03-31");

        List<JsonNode> tasks = workspace.of(TASKS, contact);
        assertThat(tasks).extracting(t -> text(t, "Name")).containsExactlyInAnyOrder(
                "Opportunité chaude - Jean Dupont intéressé par Produit X", "Rappeler Jean Dupont - envoyer une offre");
        JsonNode callback = tasks.stream().filter(t -> text(t, "Name").startsWith("Rappeler")).findFirst().orElseThrow();
        assertThat(callback.at("/properties/Due/date/start").asText()).isEqualTo("2026-11-30T10:00:00+01:00");
        assertThat(text(callback, "Status")).isEqualTo("À faire");
        assertThat(body(callback)).contains("Client Gold");
        JsonNode hot = tasks.stream().filter(t -> text(t, "Name").startsWith("Opportunité")).findFirst().orElseThrow();
        assertThat(text(hot, "Priority")).isEqualTo("Haute");
        assertThat(hot.at("/properties/Owner/people/0/id").asText()).as("the owner is notified by the people property").isEqualTo(OWNER);

        assertThat(workspace.of(CASES, contact)).isEmpty();
        assertThat(workspace.of(MEETINGS, contact)).isEmpty();
        assertThat(workspace.pages(CONTACTS)).as("no contact page created for a known caller")
                .noneMatch(c -> ("callbridge-caller:" + e164).equals(text(c, "Command ID")));
        assertThat(refusals() - refusedBefore).as("paced under Notion's limit").isZero();
    }

    @Test
    void aComplaintWithAnAppointmentOpensACaseAMeetingAReminderAndFlagsTheContact() {
        String e164 = cb.newNumber();
        String contact = knownContact(e164);
        ObjectNode event = event("complaint-with-appointment", e164);

        cb.app().post(event);

        cb.awaitDelivered(event, List.of("log-call:0", "enrich-contact:0", "angry-complaint:0", "angry-complaint:1", "angry-complaint:2",
                "appointment:0", "appointment:1"));
        List<JsonNode> cases = workspace.of(CASES, contact);
        assertThat(cases).hasSize(1);
        assertThat(text(cases.get(0), "Name")).isEqualTo("Réclamation - Jean Dupont - 28.11.2026 10:14");
        assertThat(text(cases.get(0), "Priority")).isEqualTo("Haute");
        assertThat(text(cases.get(0), "Status")).isEqualTo("Nouveau");
        assertThat(body(cases.get(0))).startsWith("Client Gold");

        List<JsonNode> meetings = workspace.of(MEETINGS, contact);
        assertThat(meetings).hasSize(1);
        assertThat(text(meetings.get(0), "Name")).isEqualTo("Visite technique");
        assertThat(meetings.get(0).at("/properties/When/date/start").asText()).isEqualTo("2026-12-02T14:00:00+01:00");
        assertThat(meetings.get(0).at("/properties/When/date/end").asText()).isEqualTo("2026-12-02T14:45:00+01:00");
        assertThat(text(meetings.get(0), "Location")).isEqualTo("Lausanne");

        assertThat(workspace.of(TASKS, contact)).extracting(t -> text(t, "Name")).containsExactlyInAnyOrder(
                "Réclamation - Jean Dupont", "Rappel rendez-vous - Jean Dupont");
        assertThat(workspace.page(CONTACTS, contact).at("/properties/At risk/checkbox").asBoolean()).isTrue();
    }

    @Test
    void theSameEventThreeTimesCreatesNoNewPages() {
        String e164 = cb.newNumber();
        String contact = knownContact(e164);
        ObjectNode event = event("design-example", e164);
        ObjectNode marker = cb.app().postThreeTimes(cb.broker(), event, e164);

        cb.awaitDelivered(marker, List.of("log-call:0", "enrich-contact:0"));
        assertThat(workspace.of(CALLS, contact)).hasSize(2);
        assertThat(workspace.of(DEALS, contact)).hasSize(1);
        assertThat(workspace.of(TASKS, contact)).hasSize(2);
    }

    @Test
    void aCallThatReachedNotionBeforeACrashIsFoundNotCreatedAgain() {
        String e164 = cb.newNumber();
        String contact = knownContact(e164);
        ObjectNode event = event("design-example", e164);
        String id = event.get("id").asText();
        ObjectNode p = Events.JSON.createObjectNode();
        p.putObject("Name").putArray("title").addObject().putObject("text").put("content", "Appel entrant - 28.11.2026 10:14");
        p.putObject("Command ID").putArray("rich_text").addObject().putObject("text").put("content", id + ":log-call:0");
        p.putObject("Contact").putArray("relation").addObject().put("id", contact);
        String existing = workspace.create(CALLS, p);
        cb.app().ledger().pending("notion", id + ":log-call:0");

        cb.app().post(event);

        cb.awaitDelivered(event, DESIGN_COMMANDS);
        assertThat(workspace.of(CALLS, contact)).extracting(c -> c.get("id").asText()).containsExactly(existing);
    }

    @Test
    void anUnknownCallerCallingTwiceIsOneContactPageFoundByItsE164() {
        String e164 = cb.newNumber();
        ObjectNode first = event("design-example", e164);
        ObjectNode second = event("design-example", e164);

        cb.app().post(first);
        cb.app().post(second);

        cb.awaitDelivered(second, DESIGN_COMMANDS);
        List<JsonNode> contacts = workspace.pages(CONTACTS).stream().filter(c -> e164.equals(text(c, "Phone E164"))).toList();
        assertThat(contacts).hasSize(1);
        assertThat(text(contacts.get(0), "Name")).isEqualTo("Jean Dupont");
        assertThat(contacts.get(0).at("/properties/Phone/phone_number").asText()).isEqualTo(e164);
        assertThat(text(contacts.get(0), "Command ID")).isEqualTo("callbridge-caller:" + e164);
        assertThat(workspace.of(CALLS, contacts.get(0).get("id").asText())).hasSize(2);
    }

    @Test
    void aSummaryOfTenThousandCharactersLandsWholeInTheCallPageAndTheContact() {
        String e164 = cb.newNumber();
        String contact = knownContact(e164);
        ObjectNode event = event("minimal", e164);
        StringBuilder summary = new StringBuilder();
        for (int i = 0; summary.length() < 10_000; i++) {
            summary.append("Phrase ").append(i).append(" du résumé, avec des accents éàü et un emoji 📞. ");
        }
        String text = summary.substring(0, 10_000);
        ((ObjectNode) event.get("data")).put("summary", text);

        cb.app().post(event);

        cb.awaitDelivered(event, List.of("log-call:0", "enrich-contact:0"));
        JsonNode call = workspace.of(CALLS, contact).get(0);
        assertThat(call.get("children")).hasSizeGreaterThanOrEqualTo(5).allSatisfy(b -> assertThat(b.get("text").asText().length()).isLessThanOrEqualTo(2000));
        assertThat(body(call)).isEqualTo(text);
        assertThat(text(workspace.page(CONTACTS, contact), "Last summary")).isEqualTo(text);
    }

    @Test
    void aBurstAboveNotionsLimitIsRefusedWith429AndDeliveryWaitsWithoutLosingAnything() {
        // the same consumers, once paced far above Notion's 3 requests a second: Notion answers 429 with Retry-After
        List<String> contacts = new ArrayList<>();
        List<ObjectNode> events = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String e164 = cb.newNumber();
            contacts.add(knownContact(e164));
            events.add(event("design-example", e164));
        }
        cb.with(Map.of("callbridge.crm.notion.rate-limit.max", "100000"), eager -> {
            long refusedBefore = refusals();
            events.forEach(eager::post);

            events.forEach(e -> eager.awaitDelivered("notion", e, DESIGN_COMMANDS));
            assertThat(refusals() - refusedBefore).as("Notion refused some").isPositive();
            for (int i = 0; i < events.size(); i++) {
                assertThat(workspace.of(CALLS, contacts.get(i))).hasSize(1);
                assertThat(workspace.of(DEALS, contacts.get(i))).hasSize(1);
                assertThat(workspace.of(TASKS, contacts.get(i))).hasSize(2);
                assertThat(cb.deadLetters(eager, events.get(i))).isEmpty();
            }
        });
    }

    @Test
    void aPageNotionRefusesIsADeadLetterWithNotionsMessageAndTheOthersLand() {
        // the same consumers, once with a deal stage the deals' status property does not have (Notion never adds status options)
        cb.with(Map.of("callbridge.crm.notion.deal-stage", "Inexistant"), strict -> {
            String e164 = cb.newNumber();
            String contact = knownContact(e164);
            ObjectNode event = event("design-example", e164);
            String id = event.get("id").asText();

            strict.post(event);

            await().atMost(Duration.ofSeconds(60)).until(() -> strict.ledger().state("notion", id + ":hot-lead:0") == CommandLedger.State.DEAD
                    && strict.ledger().state("notion", id + ":callback:0") == CommandLedger.State.DONE);
            JsonNode dead = cb.deadLetters(strict, event).stream().filter(d -> d.path("commandId").asText().equals(id + ":hot-lead:0"))
                    .findFirst().orElseThrow();
            assertThat(dead.get("errorClass").asText()).isEqualTo("rejected");
            assertThat(dead.get("reason").asText()).contains("validation_error");
            assertThat(workspace.of(DEALS, contact)).isEmpty();
            assertThat(workspace.of(TASKS, contact)).as("the rest of the event").hasSize(2);
            assertThat(workspace.of(CALLS, contact)).hasSize(1);
        });
    }
}
