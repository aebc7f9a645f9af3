package io.callbridge.crm.monday;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callbridge.delivery.CommandLedger;
import io.callbridge.support.ConnectorHarness;
import io.callbridge.support.Events;
import io.callbridge.support.OffsetClock;
import io.callbridge.support.Samples;
import io.callbridge.support.Topics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static io.callbridge.crm.monday.MondayFixture.CALLS;
import static io.callbridge.crm.monday.MondayFixture.CASES;
import static io.callbridge.crm.monday.MondayFixture.CONTACTS;
import static io.callbridge.crm.monday.MondayFixture.DEALS;
import static io.callbridge.crm.monday.MondayFixture.MEETINGS;
import static io.callbridge.crm.monday.MondayFixture.TASKS;
import static io.callbridge.crm.monday.MondayFixture.linked;
import static io.callbridge.crm.monday.MondayFixture.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * monday.com end to end: POST /v1/call-events → rules → callbridge.crm.monday → the shared REST connector with
 * monday's dialect (GraphQL operations, aliases, complexity) → the monday sandbox over HTTP, whose default workspace
 * is the boards of {@code mappings/monday/settings.yaml}.
 */
class MondayConnectorIT {

    private static final List<String> DESIGN_COMMANDS = List.of("log-call:0", "enrich-contact:0", "hot-lead:0", "hot-lead:1", "callback:0");
    private static final OffsetClock CLOCK = new OffsetClock();
    private static MondayFixture.Account account;
    private static ConnectorHarness cb;

    @BeforeAll
    static void start() {
        account = MondayFixture.Account.start(Map.of(), CLOCK);
        cb = ConnectorHarness.start("monday", account.connectorSettings(), account, "+417940");
    }

    @AfterAll
    static void stop() throws Exception {
        if (cb != null) {
            cb.close();
        }
    }

    /** A contact item owned by Claire Martin, the number typed as a sales rep would. */
    private static String knownContact(String e164) {
        ObjectNode columns = Events.JSON.createObjectNode();
        columns.putObject("phone").put("phone", "0" + e164.substring(3)).put("countryShortName", "CH");
        columns.putObject("owner").putArray("personsAndTeams").addObject().put("id", 60000001).put("kind", "person");
        return account.create(CONTACTS, "Jean Dupont", columns);
    }

    private static ObjectNode event(String sample, String e164) {
        return Samples.call(sample, e164);
    }

    @Test
    void theDesignExampleBecomesExactlyTheExpectedMondayItems() {
        String e164 = cb.newNumber();
        String contact = knownContact(e164);
        ObjectNode event = event("design-example", e164);
        String id = event.get("id").asText();

        cb.app().post(event);

        cb.awaitDelivered(event, DESIGN_COMMANDS);
        List<JsonNode> calls = account.of(CALLS, contact);
        assertThat(calls).hasSize(1);
        JsonNode call = calls.get(0);
        assertThat(call.get("name").asText()).isEqualTo("Appel entrant - 28.11.2026 10:14");
        assertThat(text(call, "direction")).isEqualTo("Entrant");
        assertThat(text(call, "duration")).isEqualTo("242");
        assertThat(text(call, "summary")).startsWith("Client Gold, question sur la commande 4411");
        assertThat(call.at("/columns/call_date/date").asText()).isEqualTo("2026-11-28");
        assertThat(call.at("/columns/call_date/time").asText()).isEqualTo("09:14:03");
        assertThat(text(call, "command_id")).isEqualTo(id + ":log-call:0");
        assertThat(call.at("/columns/owner/personsAndTeams/0/id").asLong()).isEqualTo(60000001L);

        JsonNode person = account.item(CONTACTS, contact);
        assertThat(person.get("updates")).extracting(u -> u.get("body").asText())
                .containsExactly("Appel entrant - 28.11.2026 10:14 : Client Gold, question sur la commande 4411, intéressé par le produit X.");
        assertThat(text(person, "email")).isEqualTo("jean.dupont@example.ch");
        assertThat(text(person, "company")).isEqualTo("Dupont SA");
        assertThat(text(person, "lead_score")).isEqualTo("86");
        assertThat(text(person, "last_summary")).startsWith("Client Gold");
        assertThat(person.at("/columns/last_call/date").asText()).isEqualTo("2026-11-28");

        List<JsonNode> deals = account.of(DEALS, contact);
        assertThat(deals).hasSize(1);
        assertThat(deals.get(0).get("name").asText()).isEqualTo("Dupont SA - Produit X");
        assertThat(text(deals.get(0), "stage")).isEqualTo("Qualifié");
        assertThat(text(deals.get(0), "amount")).isEqualTo("20000");
        assertThat(deals.get(0).at("/columns/close_date/date").asText()).isEqualTo("2027-03-31");

        List<JsonNode> tasks = account.of(TASKS, contact);
        assertThat(tasks).extracting(t -> t.get("name").asText()).containsExactlyInAnyOrder(
                "Opportunité chaude - Jean Dupont intéressé par Produit X", "Rappeler Jean Dupont - envoyer une offre");
        JsonNode callback = tasks.stream().filter(t -> t.get("name").asText().startsWith("Rappeler")).findFirst().orElseThrow();
        assertThat(callback.at("/columns/due/date").asText()).isEqualTo("2026-11-30");
        assertThat(callback.at("/columns/due/time").asText()).isEqualTo("09:00:00");
        JsonNode hot = tasks.stream().filter(t -> t.get("name").asText().startsWith("Opportunité")).findFirst().orElseThrow();
        assertThat(text(hot, "priority")).isEqualTo("Haute");
        assertThat(hot.at("/columns/owner/personsAndTeams/0/id").asLong()).as("the owner is notified by the people column")
                .isEqualTo(60000001L);

        assertThat(account.of(CASES, contact)).isEmpty();
        assertThat(account.of(MEETINGS, contact)).isEmpty();
        assertThat(account.items(CONTACTS)).as("no contact item created for a known caller")
                .noneMatch(c -> e164.equals(c.at("/columns/phone/phone").asText()));
    }

    @Test
    void aComplaintWithAnAppointmentOpensACaseAMeetingAReminderAndFlagsTheContact() {
        String e164 = cb.newNumber();
        String contact = knownContact(e164);
        ObjectNode event = event("complaint-with-appointment", e164);

        cb.app().post(event);

        cb.awaitDelivered(event, List.of("log-call:0", "enrich-contact:0", "angry-complaint:0", "angry-complaint:1", "angry-complaint:2",
                "appointment:0", "appointment:1"));
        List<JsonNode> cases = account.of(CASES, contact);
        assertThat(cases).hasSize(1);
        assertThat(cases.get(0).get("name").asText()).isEqualTo("Réclamation - Jean Dupont - 28.11.2026 10:14");
        assertThat(text(cases.get(0), "priority")).isEqualTo("Haute");
        assertThat(text(cases.get(0), "status")).isEqualTo("Nouveau");

        List<JsonNode> meetings = account.of(MEETINGS, contact);
        assertThat(meetings).hasSize(1);
        assertThat(meetings.get(0).get("name").asText()).isEqualTo("Visite technique");
        assertThat(meetings.get(0).at("/columns/starts/date").asText()).isEqualTo("2026-12-02");
        assertThat(meetings.get(0).at("/columns/starts/time").asText()).isEqualTo("13:00:00");
        assertThat(text(meetings.get(0), "duration")).isEqualTo("45");
        assertThat(text(meetings.get(0), "location")).isEqualTo("Lausanne");

        assertThat(account.of(TASKS, contact)).extracting(t -> t.get("name").asText()).containsExactlyInAnyOrder(
                "Réclamation - Jean Dupont", "Rappel rendez-vous - Jean Dupont");
        assertThat(account.item(CONTACTS, contact).at("/columns/at_risk/checked").asText()).isEqualTo("true");
    }

    @Test
    void theSameEventThreeTimesCreatesNoNewItems() {
        String e164 = cb.newNumber();
        String contact = knownContact(e164);
        ObjectNode event = event("design-example", e164);
        ObjectNode marker = cb.app().postThreeTimes(cb.broker(), event, e164);

        cb.awaitDelivered(marker, List.of("log-call:0", "enrich-contact:0"));
        assertThat(account.of(CALLS, contact)).hasSize(2);
        assertThat(account.of(DEALS, contact)).hasSize(1);
        assertThat(account.of(TASKS, contact)).hasSize(2);
        assertThat(account.item(CONTACTS, contact).get("updates")).as("one summary per call").hasSize(2);
    }

    @Test
    void aCallThatReachedMondayBeforeACrashIsFoundNotCreatedAgain() {
        String e164 = cb.newNumber();
        String contact = knownContact(e164);
        ObjectNode event = event("design-example", e164);
        String id = event.get("id").asText();
        ObjectNode columns = Events.JSON.createObjectNode().put("command_id", id + ":log-call:0");
        columns.putObject("contact").putArray("item_ids").add(Long.parseLong(contact));
        String existing = account.create(CALLS, "Appel entrant - 28.11.2026 10:14", columns);
        cb.app().ledger().pending("monday", id + ":log-call:0");

        cb.app().post(event);

        cb.awaitDelivered(event, DESIGN_COMMANDS);
        assertThat(account.of(CALLS, contact)).extracting(c -> c.get("id").asText()).containsExactly(existing);
    }

    @Test
    void anUnknownCallerCallingTwiceIsOneContactItem() {
        String e164 = cb.newNumber();
        ObjectNode first = event("design-example", e164);
        ObjectNode second = event("design-example", e164);

        cb.app().post(first);
        cb.app().post(second);

        cb.awaitDelivered(second, DESIGN_COMMANDS);
        List<JsonNode> contacts = account.items(CONTACTS).stream().filter(c -> e164.equals(c.at("/columns/phone/phone").asText())).toList();
        assertThat(contacts).hasSize(1);
        assertThat(contacts.get(0).get("name").asText()).isEqualTo("Jean Dupont");
        assertThat(text(contacts.get(0), "command_id")).isEqualTo("callbridge-caller:" + e164);
        assertThat(account.of(CALLS, contacts.get(0).get("id").asText())).hasSize(2);
    }

    @Test
    void severalCallersCallsInOneWaveAreAliasesOfOneRequest() {
        List<String> numbers = Stream.generate(cb::newNumber).limit(6).toList();
        List<String> contacts = numbers.stream().map(MondayConnectorIT::knownContact).toList();
        cb.app().deliveryConsumer("monday").stop();
        List<ObjectNode> events = new ArrayList<>();
        for (String e164 : numbers) {
            ObjectNode event = event("minimal", e164);
            events.add(event);
            cb.app().post(event);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> Topics.readAll(cb.broker(), "callbridge.crm.monday").stream()
                .map(r -> Events.parse(r.value()).path("commandId").asText())
                .filter(c -> events.stream().anyMatch(e -> c.equals(e.get("id").asText() + ":log-call:0"))).count() == events.size());
        long before = lastSeq();
        cb.app().deliveryConsumer("monday").start();

        events.forEach(e -> cb.awaitDelivered(e, List.of("log-call:0")));
        for (String contact : contacts) {
            assertThat(account.of(CALLS, contact)).hasSize(1);
        }
        List<String> sent = new ArrayList<>();
        account.requests().forEach(r -> {
            if (r.path("seq").asLong() > before) {
                sent.add(r.path("note").asText("-") + " " + r.path("status").asInt());
            }
        });
        // One wave per poll, its calls with their summaries aliases of one request. A restarted consumer's first polls
        // may hold only the partitions whose positions it learnt first, so the six calls come in one to three waves.
        long creates = sent.stream().filter(n -> n.startsWith("create_item")).count();
        assertThat(creates).as("not one request per call: %s", sent).isBetween(1L, 3L);
        assertThat(sent.stream().filter(n -> n.startsWith("change_multiple_column_values")).count())
                .as("the contacts' updates aliased as well: %s", sent).isLessThanOrEqualTo(creates);
        assertThat(sent.stream().filter(n -> n.contains("query_params")).count())
                .as("a caller lookup at most per new number: %s", sent).isLessThanOrEqualTo(numbers.size());
        assertThat(sent).as("nothing but searches, calls and contact updates").allMatch(n -> n.startsWith("create_item")
                || n.startsWith("change_multiple_column_values") || n.contains("query_params"));
    }

    private static long lastSeq() {
        JsonNode requests = account.requests();
        return requests.isEmpty() ? 0 : requests.get(requests.size() - 1).path("seq").asLong();
    }

    @Test
    void aSpentComplexityBudgetPausesDeliveryAndNothingIsLost() {
        String e164 = cb.newNumber();
        String contact = knownContact(e164);
        // a fresh window whose budget is spent and resets 5 s from now
        CLOCK.advance(Duration.ofSeconds(61));
        account.admin("POST", "/limits", "{\"complexity\":{\"used\":10000000}}");
        CLOCK.advance(Duration.ofSeconds(55));
        ObjectNode event = event("design-example", e164);

        cb.app().post(event);

        cb.awaitDelivered(event, DESIGN_COMMANDS);
        assertThat(account.requests().toString()).as("monday refused while the budget was spent").contains("\"status\":429");
        assertThat(account.of(CALLS, contact)).hasSize(1);
        assertThat(account.of(DEALS, contact)).hasSize(1);
        assertThat(cb.deadLetters(cb.app(), event)).isEmpty();
    }

    @Test
    void anItemMondayRefusesIsADeadLetterWithMondaysMessageAndTheOthersLand() {
        // the same consumers, once with a deal stage the deals board does not have
        cb.with(Map.of("callbridge.crm.monday.deal-stage", "Inexistant"), strict -> {
            String e164 = cb.newNumber();
            String contact = knownContact(e164);
            ObjectNode event = event("design-example", e164);
            String id = event.get("id").asText();

            strict.post(event);

            await().atMost(Duration.ofSeconds(45)).until(() -> strict.ledger().state("monday", id + ":hot-lead:0") == CommandLedger.State.DEAD
                    && strict.ledger().state("monday", id + ":callback:0") == CommandLedger.State.DONE);
            JsonNode dead = cb.deadLetters(strict, event).stream().filter(d -> d.path("commandId").asText().equals(id + ":hot-lead:0"))
                    .findFirst().orElseThrow();
            assertThat(dead.get("errorClass").asText()).isEqualTo("rejected");
            assertThat(dead.get("reason").asText()).contains("ColumnValueException");
            assertThat(account.of(DEALS, contact)).isEmpty();
            assertThat(account.of(TASKS, contact)).as("the rest of the event").hasSize(2);
            assertThat(account.of(CALLS, contact)).hasSize(1);
        });
    }
}
