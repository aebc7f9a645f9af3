package io.callbridge.crm.rest;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callbridge.broker.EmbeddedKafkaBroker;
import io.callbridge.crm.salesforce.SalesforceFixture;
import io.callbridge.delivery.CommandLedger;
import io.callbridge.sandbox.hubspot.HubSpotSandbox;
import io.callbridge.sandbox.pipedrive.PipedriveSandbox;
import io.callbridge.support.CallbridgeApp;
import io.callbridge.support.Events;
import io.callbridge.support.TestBroker;
import io.callbridge.support.Topics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * HubSpot and Pipedrive end to end: POST /v1/call-events → rules → callbridge.crm.hubspot|pipedrive →
 * the shared REST connector → the sandboxes over HTTP, with the vendors' default rate limits and
 * HubSpot's search index delay (a new contact is not found by search for a second, as in a real portal).
 */
class RestConnectorsIT {

    private static final String ADMIN = "admin-rest-key";
    private static final List<String> DESIGN_COMMANDS = List.of("log-call:0", "enrich-contact:0", "hot-lead:0", "hot-lead:1", "callback:0");
    private static final AtomicInteger NUMBERS = new AtomicInteger(100);
    private static EmbeddedKafkaBroker broker;
    private static RestCrms crms;
    private static SalesforceFixture.Org salesforce;
    private static CallbridgeApp app;

    @BeforeAll
    static void start() {
        broker = TestBroker.shared();
        crms = new RestCrms(Map.of("search-index-delay-ms", "1000"));
        salesforce = SalesforceFixture.Org.start();
        app = CallbridgeApp.on(broker)
                .with(salesforce.connectorSettings())
                .with("callbridge.api-keys", ADMIN + ":admin")
                .with("callbridge.crm.hubspot.enabled", "true")
                .with("callbridge.crm.hubspot.base-url", crms.sandbox.baseUrl("hubspot"))
                .with("callbridge.crm.hubspot.token", HubSpotSandbox.DEFAULT_TOKEN)
                .with("callbridge.crm.pipedrive.enabled", "true")
                .with("callbridge.crm.pipedrive.base-url", crms.sandbox.baseUrl("pipedrive"))
                .with("callbridge.crm.pipedrive.token", PipedriveSandbox.DEFAULT_API_TOKEN)
                .with("callbridge.delivery.retry.initial-ms", "200")
                .with("callbridge.delivery.retry.max-ms", "1000")
                .with("callbridge.delivery.breaker.failure-threshold", "3")
                .with("callbridge.delivery.breaker.probe-interval-ms", "1000")
                .with("callbridge.delivery.max-attempts", "3")
                .start();
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
        crms.close();
        salesforce.close();
    }

    /** A caller known to both CRMs, owned by Claire Martin, as a sales rep typed the number. */
    private record Known(String e164, String hubspotId, String pipedriveId) { }

    private static Known knownCaller() {
        String e164 = newNumber();
        String typed = "+41 79 " + e164.substring(5, 8) + " " + e164.substring(8, 10) + " " + e164.substring(10);
        Known k = new Known(e164, crms.hubspotContact("Dupont", typed), crms.pipedrivePerson("Dupont", typed));
        // HubSpot's search shows a new contact only after its index delay
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(400)).until(() -> crms.hubspot.call("POST", "/crm/v3/objects/contacts/search",
                Events.parse(("{\"filterGroups\":[{\"filters\":[{\"propertyName\":\"hs_object_id\",\"operator\":\"EQ\",\"value\":\""
                        + k.hubspotId() + "\"}]}]}").getBytes())).body().contains("\"total\":1"));
        return k;
    }

    private static String newNumber() {
        return "+417920" + String.format("%05d", NUMBERS.incrementAndGet());
    }

    private static ObjectNode event(String e164) {
        ObjectNode event = Events.exampleWithNewId();
        ((ObjectNode) event.get("data")).put("from", e164);
        // HubSpot keeps e-mail addresses unique: every caller of these tests has their own
        ((ObjectNode) event.at("/data/caller")).put("email", "jean.dupont." + e164.substring(1) + "@example.ch");
        return event;
    }

    private static void post(ObjectNode event) {
        app.post(event);
    }

    private static CommandLedger ledger() {
        return app.ledger();
    }

    /** Every command of these events is on callbridge.crm.&lt;crm&gt;, waiting for its (stopped) consumer. */
    private static void awaitCommandsWaiting(String crm, List<String> eventIds) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
            Set<String> keys = new HashSet<>();
            Topics.readAll(broker, "callbridge.crm." + crm).forEach(r -> keys.add(Events.parse(r.value()).path("commandId").asText()));
            return eventIds.stream().allMatch(id -> DESIGN_COMMANDS.stream().allMatch(c -> keys.contains(id + ":" + c)));
        });
    }

    private static void awaitDelivered(String crm, String eventId, List<String> commands) {
        await().atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(200)).until(() -> commands.stream()
                .allMatch(c -> ledger().state(crm, eventId + ":" + c) == CommandLedger.State.DONE));
    }

    @Test
    void oneCallersContactUpdatesInOneBatchAreCoalescedToTheNewestCall() {
        Known caller = knownCaller();
        app.deliveryConsumer("hubspot").stop();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ObjectNode event = event(caller.e164());
            ((ObjectNode) event.get("data")).put("summary", "call number " + i).put("endedAt", "2026-11-2" + (i + 1) + "T10:00:00Z");
            ids.add(event.get("id").asText());
            post(event);
        }
        awaitCommandsWaiting("hubspot", ids);
        app.deliveryConsumer("hubspot").start();

        ids.forEach(id -> awaitDelivered("hubspot", id, DESIGN_COMMANDS));
        long updates = 0;
        for (JsonNode r : crms.requests("hubspot")) {
            String path = r.path("path").asText();
            if (r.path("method").asText().equals("PATCH") && path.startsWith("/crm/v3/objects/contacts/" + caller.hubspotId())) {
                updates++;
            }
        }
        assertThat(updates).as("one update of the caller's contact for three calls").isEqualTo(1);
        assertThat(crms.hubspotContact(caller.hubspotId()).path("callbridge_last_summary").asText())
                .as("the newest call's").isEqualTo("call number 2");
        assertThat(crms.hubspotRecordsOf("calls", caller.hubspotId(), "hs_call_title")).as("every call logged").hasSize(3);
    }

    @Test
    void severalCallersContactUpdatesInOneWaveGoOutAsOneHubSpotBatchUpdate() {
        List<Known> callers = List.of(knownCaller(), knownCaller(), knownCaller());
        app.deliveryConsumer("hubspot").stop();
        List<String> ids = new ArrayList<>();
        for (Known caller : callers) {
            ObjectNode event = event(caller.e164());
            ((ObjectNode) event.get("data")).put("summary", "summary of " + caller.hubspotId());
            ids.add(event.get("id").asText());
            post(event);
        }
        awaitCommandsWaiting("hubspot", ids);
        app.deliveryConsumer("hubspot").start();

        ids.forEach(id -> awaitDelivered("hubspot", id, DESIGN_COMMANDS));
        for (Known caller : callers) {
            assertThat(crms.hubspotContact(caller.hubspotId()).path("callbridge_last_summary").asText()).isEqualTo("summary of " + caller.hubspotId());
        }
        long batchUpdates = 0;
        for (JsonNode r : crms.requests("hubspot")) {
            if (r.path("path").asText().equals("/crm/v3/objects/contacts/batch/update")) {
                batchUpdates++;
            }
        }
        assertThat(batchUpdates).as("the three contact updates in batch updates").isBetween(1L, 2L);
    }

    @Test
    void aCallersNextCallNeedsNoNewHubSpotSearchAfterTheContactWasUpdatedInEveryCrm() {
        Known caller = knownCaller();
        ObjectNode first = event(caller.e164());
        post(first);
        for (String crm : List.of("hubspot", "pipedrive", "salesforce")) {
            awaitDelivered(crm, first.get("id").asText(), List.of("log-call:0", "enrich-contact:0"));
        }
        long searches = hubspotContactSearches();

        ObjectNode second = event(caller.e164());
        ((ObjectNode) second.get("data")).put("summary", "the second call");
        post(second);
        for (String crm : List.of("hubspot", "pipedrive", "salesforce")) {
            awaitDelivered(crm, second.get("id").asText(), List.of("log-call:0", "enrich-contact:0"));
        }
        assertThat(hubspotContactSearches()).as("HubSpot's cached contact outlived the contact updates in HubSpot, Pipedrive and "
                + "Salesforce").isEqualTo(searches);
        assertThat(crms.hubspotContact(caller.hubspotId()).path("callbridge_last_summary").asText()).isEqualTo("the second call");
    }

    private static long hubspotContactSearches() {
        long n = 0;
        for (JsonNode r : crms.requests("hubspot")) {
            n += r.path("path").asText().equals("/crm/v3/objects/contacts/search") ? 1 : 0;
        }
        return n;
    }

    @Test
    void theDesignExampleBecomesExactlyTheExpectedHubSpotRecords() {
        Known caller = knownCaller();
        ObjectNode event = event(caller.e164());
        String id = event.get("id").asText();

        post(event);

        awaitDelivered("hubspot", id, DESIGN_COMMANDS);
        List<JsonNode> calls = crms.hubspotRecordsOf("calls", caller.hubspotId(),
                "hs_call_title,hs_call_direction,hs_call_duration,hs_call_status,hs_timestamp,hs_call_body,hs_call_recording_url,"
                        + "hs_call_from_number,callbridge_command_id");
        assertThat(calls).hasSize(1);
        JsonNode call = calls.get(0).get("properties");
        assertThat(call.get("hs_call_title").asText()).isEqualTo("Appel entrant - 28.11.2026 10:14");
        assertThat(call.get("hs_call_direction").asText()).isEqualTo("INBOUND");
        assertThat(call.get("hs_call_duration").asText()).isIn("242000", "242000.0");
        assertThat(call.get("hs_call_status").asText()).isEqualTo("COMPLETED");
        assertThat(call.get("hs_timestamp").asText()).startsWith("2026-11-28T09:14:03");
        assertThat(call.get("hs_call_body").asText()).startsWith("Client Gold, question sur la commande 4411");
        assertThat(call.get("hs_call_recording_url").asText()).isEqualTo("https://assistant.example/r/c-20261128-0001.wav");
        assertThat(call.get("hs_call_from_number").asText()).isEqualTo(caller.e164());
        assertThat(call.get("callbridge_command_id").asText()).isEqualTo(id + ":log-call:0");

        JsonNode contact = crms.hubspotContact(caller.hubspotId());
        assertThat(contact.get("firstname").asText()).as("filled because empty").isEqualTo("Jean");
        assertThat(contact.get("lastname").asText()).as("kept").isEqualTo("Dupont");
        assertThat(contact.get("email").asText()).isEqualTo("jean.dupont." + caller.e164().substring(1) + "@example.ch");
        assertThat(contact.get("company").asText()).isEqualTo("Dupont SA");
        assertThat(contact.get("callbridge_lead_score").asText()).startsWith("86");
        assertThat(contact.get("callbridge_last_call").asText()).startsWith("2026-11-28T09:14:03");
        assertThat(contact.get("callbridge_last_summary").asText()).startsWith("Client Gold");

        List<JsonNode> deals = crms.hubspotRecordsOf("deals", caller.hubspotId(), "dealname,dealstage,pipeline,amount,closedate,"
                + "deal_currency_code,hubspot_owner_id");
        assertThat(deals).hasSize(1);
        JsonNode deal = deals.get(0).get("properties");
        assertThat(deal.get("dealname").asText()).isEqualTo("Dupont SA - Produit X");
        assertThat(deal.get("pipeline").asText()).isEqualTo("default");
        assertThat(deal.get("dealstage").asText()).isEqualTo("qualifiedtobuy");
        assertThat(deal.get("amount").asText()).startsWith("20000");
        assertThat(deal.get("deal_currency_code").asText()).isEqualTo("CHF");
        assertThat(deal.get("closedate").asText()).startsWith("2027-03-31");
        assertThat(deal.get("hubspot_owner_id").asText()).isEqualTo("75000001");

        List<JsonNode> tasks = crms.hubspotRecordsOf("tasks", caller.hubspotId(), "hs_task_subject,hs_timestamp,hs_task_priority,"
                + "hs_task_type,hubspot_owner_id");
        assertThat(tasks).extracting(t -> t.at("/properties/hs_task_subject").asText()).containsExactlyInAnyOrder(
                "Opportunité chaude - Jean Dupont intéressé par Produit X", "Rappeler Jean Dupont - envoyer une offre");
        JsonNode callback = tasks.stream().filter(t -> t.at("/properties/hs_task_subject").asText().startsWith("Rappeler"))
                .findFirst().orElseThrow().get("properties");
        assertThat(callback.get("hs_timestamp").asText()).startsWith("2026-11-30T09:00:00");
        assertThat(tasks).allSatisfy(t -> assertThat(t.at("/properties/hubspot_owner_id").asText()).isEqualTo("75000001"));
        JsonNode hot = tasks.stream().filter(t -> t.at("/properties/hs_task_subject").asText().startsWith("Opportunité"))
                .findFirst().orElseThrow().get("properties");
        assertThat(hot.get("hs_task_priority").asText()).isEqualTo("HIGH");
        assertThat(hot.get("hs_task_type").asText()).isEqualTo("TODO");

        assertThat(crms.hubspotRecordsOf("tickets", caller.hubspotId(), "subject")).isEmpty();
        assertThat(crms.hubspotRecordsOf("meetings", caller.hubspotId(), "hs_meeting_title")).isEmpty();
        assertThat(crms.hubspotContactsWithPhone(caller.e164())).as("no contact created for a known caller").isEmpty();
    }

    @Test
    void theDesignExampleBecomesExactlyTheExpectedPipedriveRecords() {
        Known caller = knownCaller();
        ObjectNode event = event(caller.e164());
        String id = event.get("id").asText();

        post(event);

        awaitDelivered("pipedrive", id, DESIGN_COMMANDS);
        List<JsonNode> activities = crms.pipedriveActivitiesOf(caller.pipedriveId());
        assertThat(activities).extracting(a -> a.get("type").asText()).containsExactlyInAnyOrder("call", "task", "task");
        JsonNode call = activities.stream().filter(a -> a.get("type").asText().equals("call")).findFirst().orElseThrow();
        assertThat(call.get("subject").asText()).isEqualTo("Appel entrant - 28.11.2026 10:14");
        assertThat(call.get("done").asBoolean()).isTrue();
        assertThat(call.get("due_date").asText()).isEqualTo("2026-11-28");
        assertThat(call.get("duration").asText()).isEqualTo("00:04");
        assertThat(call.get("owner_id").asLong()).isEqualTo(13053568L);
        assertThat(call.get("note").asText()).contains("Enregistrement : https://assistant.example/r/c-20261128-0001.wav")
                .contains("Réf. Callbridge : " + id + ":log-call:0");
        assertThat(activities).filteredOn(a -> a.get("type").asText().equals("task")).extracting(a -> a.get("subject").asText())
                .containsExactlyInAnyOrder("Opportunité chaude - Jean Dupont intéressé par Produit X", "Rappeler Jean Dupont - envoyer une offre");

        List<JsonNode> deals = crms.pipedriveDealsOf(caller.pipedriveId());
        assertThat(deals).hasSize(1);
        assertThat(deals.get(0).get("title").asText()).isEqualTo("Dupont SA - Produit X");
        assertThat(deals.get(0).get("value").asInt()).isEqualTo(20000);
        assertThat(deals.get(0).get("currency").asText()).isEqualTo("CHF");
        assertThat(deals.get(0).get("stage_id").asInt()).isEqualTo(2);
        assertThat(deals.get(0).get("expected_close_date").asText()).isEqualTo("2027-03-31");
        assertThat(deals.get(0).at("/custom_fields/callbridge_command_id").asText()).isEqualTo(id + ":hot-lead:0");

        JsonNode person = crms.pipedrivePerson(caller.pipedriveId());
        assertThat(person.at("/emails/0/value").asText()).isEqualTo("jean.dupont." + caller.e164().substring(1) + "@example.ch");
        assertThat(person.at("/custom_fields/callbridge_lead_score").asInt()).isEqualTo(86);
        assertThat(person.at("/custom_fields/callbridge_last_call").asText()).startsWith("2026-11-28T09:14:03");
        assertThat(person.at("/custom_fields/callbridge_last_summary").asText()).startsWith("Client Gold");
        assertThat(crms.pipedrivePersonsWithPhone(caller.e164())).as("no person created for a known caller").isEmpty();
    }

    @Test
    void theSameEventThreeTimesCreatesNoNewRecords() {
        Known caller = knownCaller();
        ObjectNode event = event(caller.e164());
        String id = event.get("id").asText();
        ObjectNode marker = app.postThreeTimes(broker, event, caller.e164());

        awaitDelivered("hubspot", marker.get("id").asText(), List.of("log-call:0", "enrich-contact:0"));
        awaitDelivered("pipedrive", marker.get("id").asText(), List.of("log-call:0", "enrich-contact:0"));
        assertThat(crms.hubspotRecordsOf("calls", caller.hubspotId(), "hs_call_title")).hasSize(2);
        assertThat(crms.hubspotRecordsOf("deals", caller.hubspotId(), "dealname")).hasSize(1);
        assertThat(crms.hubspotRecordsOf("tasks", caller.hubspotId(), "hs_task_subject")).hasSize(2);
        assertThat(crms.pipedriveActivitiesOf(caller.pipedriveId())).extracting(a -> a.get("type").asText())
                .containsExactlyInAnyOrder("call", "call", "task", "task");
        assertThat(crms.pipedriveDealsOf(caller.pipedriveId())).hasSize(1);
        assertThat(ledger().state("hubspot", id + ":log-call:0")).isEqualTo(CommandLedger.State.DONE);
    }

    @Test
    void anUnknownCallerCallingTwiceIsOneContactAndOnePerson() {
        String e164 = newNumber();
        ObjectNode first = event(e164);
        ObjectNode second = event(e164);

        post(first);
        post(second);

        awaitDelivered("hubspot", second.get("id").asText(), DESIGN_COMMANDS);
        awaitDelivered("pipedrive", second.get("id").asText(), DESIGN_COMMANDS);
        List<JsonNode> contacts = crms.hubspotContactsWithPhone(e164);
        assertThat(contacts).as("one HubSpot contact, though search shows it only a second after its creation").hasSize(1);
        JsonNode contact = contacts.get(0).get("properties");
        assertThat(contact.get("firstname").asText()).isEqualTo("Jean");
        assertThat(contact.get("lastname").asText()).isEqualTo("Dupont");
        assertThat(contact.get("email").asText()).isEqualTo("jean.dupont." + e164.substring(1) + "@example.ch");
        assertThat(contact.get("company").asText()).isEqualTo("Dupont SA");
        assertThat(contact.get("callbridge_command_id").asText()).isEqualTo("callbridge-caller:" + e164);
        String hubspotId = contacts.get(0).get("id").asText();
        assertThat(crms.hubspotRecordsOf("calls", hubspotId, "hs_call_title")).hasSize(2);
        assertThat(crms.hubspotRecordsOf("deals", hubspotId, "dealname")).hasSize(2);

        List<JsonNode> persons = crms.pipedrivePersonsWithPhone(e164);
        assertThat(persons).hasSize(1);
        assertThat(persons.get(0).get("name").asText()).isEqualTo("Jean Dupont");
        String personId = persons.get(0).get("id").asText();
        assertThat(crms.pipedriveActivitiesOf(personId)).filteredOn(a -> a.get("type").asText().equals("call")).hasSize(2);
    }

    @Test
    void aCommandThatMayHaveReachedHubSpotBeforeACrashIsFoundNotSentAgain() {
        Known caller = knownCaller();
        ObjectNode event = event(caller.e164());
        String id = event.get("id").asText();
        // the crash: HubSpot has the call, the ledger only says pending
        crms.hubspot.json("POST", "/crm/v3/objects/calls", Events.parse(("{\"properties\":{\"hs_timestamp\":\"2026-11-28T09:14:03Z\","
                + "\"hs_call_title\":\"Appel entrant - 28.11.2026 10:14\",\"callbridge_command_id\":\"" + id + ":log-call:0\"},"
                + "\"associations\":[{\"to\":{\"id\":\"" + caller.hubspotId() + "\"},\"types\":[{\"associationCategory\":"
                + "\"HUBSPOT_DEFINED\",\"associationTypeId\":194}]}]}").getBytes(StandardCharsets.UTF_8)));
        ledger().pending("hubspot", id + ":log-call:0");

        post(event);

        awaitDelivered("hubspot", id, DESIGN_COMMANDS);
        assertThat(crms.hubspotRecordsOf("calls", caller.hubspotId(), "hs_call_title")).hasSize(1);
    }

    @Test
    void aRecordHubSpotRefusesIsADeadLetterWithHubSpotsMessage() {
        Known caller = knownCaller();
        crms.faults("hubspot", "{\"script\":[{\"match\":\"POST .*/crm/v3/objects/deals$\",\"status\":400,\"body\":{\"status\":\"error\","
                + "\"message\":\"Property values were not valid: dealstage 'qualifiedtobuy' is not a valid stage\","
                + "\"category\":\"VALIDATION_ERROR\",\"correlationId\":\"4f2b\"}}]}");
        ObjectNode event = event(caller.e164());
        String id = event.get("id").asText();

        post(event);

        await().atMost(Duration.ofSeconds(45)).until(() -> ledger().state("hubspot", id + ":hot-lead:0") == CommandLedger.State.DEAD
                && ledger().state("hubspot", id + ":callback:0") == CommandLedger.State.DONE);
        JsonNode listed = dlqList("hubspot").stream().filter(d -> d.path("commandId").asText().equals(id + ":hot-lead:0"))
                .findFirst().orElseThrow();
        assertThat(listed.get("errorClass").asText()).isEqualTo("rejected");
        assertThat(listed.get("httpStatus").asText()).isEqualTo("400");
        assertThat(listed.get("reason").asText()).contains("dealstage 'qualifiedtobuy' is not a valid stage");
        assertThat(crms.hubspotRecordsOf("deals", caller.hubspotId(), "dealname")).isEmpty();
        assertThat(crms.hubspotRecordsOf("tasks", caller.hubspotId(), "hs_task_subject")).as("the rest of the event").hasSize(2);
    }

    @Test
    void aRare429IsWaitedOutAndTheRecordWrittenOnce() {
        Known caller = knownCaller();
        // HubSpot's own 429 body (policy TEN_SECONDLY_ROLLING) for the next call engagement
        crms.faults("hubspot", "{\"script\":[{\"match\":\"POST .*/crm/v3/objects/calls$\",\"status\":429}]}");
        ObjectNode event = event(caller.e164());
        String id = event.get("id").asText();

        post(event);

        awaitDelivered("hubspot", id, DESIGN_COMMANDS);
        assertThat(crms.hubspotRecordsOf("calls", caller.hubspotId(), "hs_call_title")).hasSize(1);
        assertThat(dlqList("hubspot")).noneMatch(d -> d.path("commandId").asText().startsWith(id));
        RestConnector hubspot = app.context().getRegistry().lookupByNameAndType("hubspotConnector", RestConnector.class);
        assertThat(hubspot.refusedWith429()).isGreaterThanOrEqualTo(1);
        assertThat(hubspot.generalWindow().blocks()).as("the 429 stopped the window").isGreaterThanOrEqualTo(1);
    }

    @Test
    void withHubSpotDownPipedriveRecordsLandOnTimeAndHubSpotCatchesUpAfterwards() {
        Known caller = knownCaller();
        crms.faults("hubspot", "{\"outage\":{\"startsInMs\":0,\"durationMs\":600000,\"status\":503}}");
        try {
            ObjectNode event = event(caller.e164());
            String id = event.get("id").asText();
            long posted = System.nanoTime();

            post(event);

            awaitDelivered("pipedrive", id, DESIGN_COMMANDS);
            awaitDelivered("salesforce", id, DESIGN_COMMANDS);
            assertThat(Duration.ofNanos(System.nanoTime() - posted)).as("Pipedrive and Salesforce are not held up by HubSpot")
                    .isLessThan(Duration.ofSeconds(10));
            assertThat(crms.pipedriveActivitiesOf(caller.pipedriveId())).hasSize(3);
            assertThat(ledger().state("hubspot", id + ":log-call:0")).isNotEqualTo(CommandLedger.State.DONE);

            crms.faults("hubspot", "{}");
            awaitDelivered("hubspot", id, DESIGN_COMMANDS);
            assertThat(crms.hubspotRecordsOf("calls", caller.hubspotId(), "hs_call_title")).hasSize(1);
            assertThat(dlqList("hubspot")).noneMatch(d -> d.path("commandId").asText().startsWith(id));
        } finally {
            crms.faults("hubspot", "{}");
        }
    }

    private static List<JsonNode> dlqList(String crm) {
        HttpResponse<String> r = Events.send(java.net.http.HttpRequest.newBuilder(app.uri("/v1/dlq/" + crm))
                .header("Authorization", "Bearer " + ADMIN).GET().build());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode body = Events.parse(r.body().getBytes(StandardCharsets.UTF_8));
        return RestCrms.list(body.isArray() ? body : body.path("deadLetters"));
    }
}
