package io.callbridge.crm.salesforce;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callbridge.broker.EmbeddedKafkaBroker;
import io.callbridge.delivery.CommandLedger;
import io.callbridge.delivery.Pacer;
import io.callbridge.support.CallbridgeApp;
import io.callbridge.support.CapturedLog;
import io.callbridge.support.Events;
import io.callbridge.support.Samples;
import io.callbridge.support.TestBroker;
import io.callbridge.support.Topics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Salesforce connector end to end: POST /v1/call-events → rules → callbridge.crm.salesforce →
 * camel-salesforce → the Salesforce sandbox over HTTP, checked by querying the org's records.
 */
class SalesforceConnectorIT {

    private static EmbeddedKafkaBroker broker;
    private static SalesforceFixture.Org org;
    private static CallbridgeApp app;
    private static CommandLedger ledger;
    private static CapturedLog log;

    @BeforeAll
    static void start() {
        log = CapturedLog.start();
        broker = TestBroker.fresh();
        org = SalesforceFixture.Org.start();
        app = CallbridgeApp.on(broker)
                .with(org.connectorSettings())
                .with("callbridge.delivery.retry.initial-ms", "200")
                .with("callbridge.delivery.retry.max-ms", "1000")
                .with("callbridge.delivery.breaker.failure-threshold", "3")
                .with("callbridge.delivery.breaker.probe-interval-ms", "1000")
                .with("callbridge.delivery.max-attempts", "3")
                .start();
        ledger = app.context().getRegistry().lookupByNameAndType("commandLedger", CommandLedger.class);
    }

    @AfterAll
    static void stop() {
        app.close();
        org.close();
        broker.close();
        log.close();
    }

    @BeforeEach
    void emptyOrg() {
        org.reset();
    }

    @Test
    void theDesignExampleFromAKnownContactLandsAsTheRecordsAnAdminExpects() {
        String e164 = newNumber();
        String contact = org.create("Contact", Events.JSON.createObjectNode().put("LastName", "Dupont")
                .put("MobilePhone", national(e164)).put("Email", "old@example.ch"));
        String owner = org.get("Contact", contact).get("OwnerId").asText();
        ObjectNode event = event("design-example", e164);

        post(event);

        awaitDone(event, 5);
        assertThat(org.query("SELECT Id FROM Task")).hasSize(3);
        assertThat(org.query("SELECT Id FROM Opportunity")).hasSize(1);
        assertThat(org.query("SELECT Id FROM Lead")).as("a known caller gets no lead").isEmpty();
        assertThat(org.query("SELECT Id FROM Contact")).hasSize(1);
        assertThat(org.query("SELECT Id FROM Case")).isEmpty();
        assertThat(org.query("SELECT Id FROM Event")).isEmpty();

        JsonNode call = one("SELECT Subject, TaskSubtype, Type, CallType, CallDurationInSeconds, ActivityDate, Status, WhoId, "
                + "Description, Callbridge_Command_Id__c FROM Task WHERE TaskSubtype = 'Call'");
        assertThat(call.get("Subject").asText()).isEqualTo("Appel entrant - 28.11.2026 10:14");
        assertThat(call.get("CallType").asText()).isEqualTo("Inbound");
        assertThat(call.get("CallDurationInSeconds").asInt()).isEqualTo(242);
        assertThat(call.get("ActivityDate").asText()).isEqualTo("2026-11-28");
        assertThat(call.get("Status").asText()).isEqualTo("Completed");
        assertThat(call.get("WhoId").asText()).isEqualTo(contact);
        assertThat(call.get("Description").asText()).startsWith("Client Gold");
        assertThat(call.get("Callbridge_Command_Id__c").asText()).isEqualTo(id(event) + ":log-call:0");

        JsonNode updated = org.get("Contact", contact);
        assertThat(updated.get("FirstName").asText()).as("empty first name filled").isEqualTo("Jean");
        assertThat(updated.get("LastName").asText()).isEqualTo("Dupont");
        assertThat(updated.get("Email").asText()).isEqualTo("jean.dupont@example.ch");
        assertThat(updated.get("Callbridge_Lead_Score__c").asDouble()).isEqualTo(86.0);
        assertThat(updated.get("Callbridge_Last_Call__c").asText()).startsWith("2026-11-28T09:14:03");

        JsonNode deal = one("SELECT Name, StageName, CloseDate, Amount, ContactId, LeadSource FROM Opportunity");
        assertThat(deal.get("Name").asText()).isEqualTo("Dupont SA - Produit X");
        assertThat(deal.get("StageName").asText()).isEqualTo("Qualification");
        assertThat(deal.get("CloseDate").asText()).isEqualTo("2027-03-31");
        assertThat(deal.get("Amount").asDouble()).isEqualTo(20000.0);
        assertThat(deal.get("ContactId").asText()).isEqualTo(contact);

        JsonNode tasks = org.query("SELECT Subject, OwnerId, WhoId, ActivityDate, Priority FROM Task WHERE TaskSubtype = 'Task' "
                + "ORDER BY Subject");
        assertThat(tasks).extracting(t -> t.get("Subject").asText())
                .containsExactly("Opportunité chaude - Jean Dupont intéressé par Produit X", "Rappeler Jean Dupont - envoyer une offre");
        assertThat(tasks).allSatisfy(t -> assertThat(t.get("WhoId").asText()).isEqualTo(contact));
        assertThat(tasks.get(0).get("OwnerId").asText()).as("notify-owner goes to the contact's owner").isEqualTo(owner);
        assertThat(tasks.get(0).get("Priority").asText()).isEqualTo("High");
        assertThat(tasks.get(1).get("ActivityDate").asText()).isEqualTo("2026-11-30");
        assertThat(deadLetters(event)).isEmpty();
    }

    @Test
    void aNegativeComplaintWithAnAppointmentOpensACaseFlagsTheContactAndBooksTheMeeting() {
        String e164 = newNumber();
        String contact = org.create("Contact", Events.JSON.createObjectNode().put("FirstName", "Jean").put("LastName", "Dupont")
                .put("Phone", e164));
        String owner = org.get("Contact", contact).get("OwnerId").asText();
        ObjectNode event = event("complaint-with-appointment", e164);

        post(event);

        // log-call, enrich-contact, case, notify-owner, at-risk, meeting, reminder
        awaitDone(event, 7);
        assertThat(org.query("SELECT Id FROM Task")).hasSize(3);
        assertThat(org.query("SELECT Id FROM Opportunity")).isEmpty();
        assertThat(org.query("SELECT Id FROM Lead")).isEmpty();

        JsonNode kase = one("SELECT Subject, Priority, Status, Origin, ContactId, Description FROM Case");
        assertThat(kase.get("Priority").asText()).isEqualTo("High");
        assertThat(kase.get("Status").asText()).isEqualTo("New");
        assertThat(kase.get("Origin").asText()).isEqualTo("Phone");
        assertThat(kase.get("ContactId").asText()).isEqualTo(contact);
        assertThat(kase.get("Subject").asText()).isEqualTo("Réclamation - 28.11.2026 10:14");

        JsonNode flagged = org.get("Contact", contact);
        assertThat(flagged.get("Callbridge_At_Risk__c").asBoolean()).isTrue();

        JsonNode meeting = one("SELECT Subject, StartDateTime, EndDateTime, Location, WhoId FROM Event");
        assertThat(meeting.get("Subject").asText()).isEqualTo("Visite technique");
        assertThat(meeting.get("StartDateTime").asText()).startsWith("2026-12-02T13:00:00");
        assertThat(meeting.get("EndDateTime").asText()).startsWith("2026-12-02T13:45:00");
        assertThat(meeting.get("Location").asText()).isEqualTo("Lausanne");
        assertThat(meeting.get("WhoId").asText()).isEqualTo(contact);

        JsonNode alert = one("SELECT OwnerId, WhoId, Priority FROM Task WHERE Subject = 'Réclamation - Jean Dupont'");
        assertThat(alert.get("OwnerId").asText()).isEqualTo(owner);
        assertThat(alert.get("Priority").asText()).isEqualTo("High");
        JsonNode reminder = one("SELECT ActivityDate, WhoId FROM Task WHERE Subject = 'Rappel rendez-vous - Jean Dupont'");
        assertThat(reminder.get("ActivityDate").asText()).isEqualTo("2026-12-01");
        assertThat(reminder.get("WhoId").asText()).isEqualTo(contact);
        assertThat(deadLetters(event)).isEmpty();
    }

    @Test
    void anUnknownCallerBecomesOneLeadAndTheSameEventThreeTimesAddsNothing() {
        String e164 = newNumber();
        ObjectNode event = event("design-example", e164);

        post(event);
        awaitDone(event, 5);

        JsonNode lead = one("SELECT Id, FirstName, LastName, Company, Email, Phone, LeadSource, OwnerId, "
                + "Callbridge_Lead_Score__c, Callbridge_Command_Id__c FROM Lead");
        String leadId = lead.get("Id").asText();
        assertThat(lead.get("FirstName").asText()).isEqualTo("Jean");
        assertThat(lead.get("LastName").asText()).isEqualTo("Dupont");
        assertThat(lead.get("Company").asText()).isEqualTo("Dupont SA");
        assertThat(lead.get("Email").asText()).isEqualTo("jean.dupont@example.ch");
        assertThat(lead.get("Phone").asText()).isEqualTo(e164);
        assertThat(lead.get("LeadSource").asText()).isEqualTo("Phone Inquiry");
        assertThat(lead.get("Callbridge_Lead_Score__c").asDouble()).as("enriched like a contact").isEqualTo(86.0);
        assertThat(lead.get("Callbridge_Command_Id__c").asText()).isEqualTo("caller:" + e164.substring(1));
        assertThat(org.query("SELECT Id FROM Contact")).isEmpty();
        assertThat(org.query("SELECT WhoId FROM Task")).hasSize(3)
                .allSatisfy(t -> assertThat(t.get("WhoId").asText()).isEqualTo(leadId));
        JsonNode deal = one("SELECT ContactId, Description FROM Opportunity");
        assertThat(deal.has("ContactId") && !deal.get("ContactId").isNull()).as("a lead is no opportunity contact").isFalse();
        assertThat(deal.get("Description").asText()).startsWith("Contact : Jean Dupont");
        assertThat(one("SELECT OwnerId FROM Task WHERE Subject LIKE 'Opportunité chaude%'").get("OwnerId").asText())
                .isEqualTo(lead.get("OwnerId").asText());

        // the same event twice more over HTTP, and twice straight onto Kafka past intake's duplicate check
        post(event);
        post(event);
        ObjectNode normalised = event.deepCopy();
        ((ObjectNode) normalised.get("data")).put("customerE164", e164);
        Topics.send(broker, "callbridge.call-events", e164, Events.bytes(normalised));
        Topics.send(broker, "callbridge.call-events", e164, Events.bytes(normalised));
        // a later call of the same caller, on the same partition: once it is delivered, the copies were handled
        ObjectNode later = event("design-example", e164);
        post(later);
        awaitDone(later, 5);

        assertThat(org.query("SELECT Id FROM Lead")).as("still one lead for the number").hasSize(1);
        assertThat(org.query("SELECT Id FROM Task")).as("3 tasks per distinct event").hasSize(6);
        assertThat(org.query("SELECT Id FROM Opportunity")).hasSize(2);
        assertThat(org.query("SELECT Id FROM Task WHERE Callbridge_Command_Id__c = '" + id(event) + ":log-call:0'")).hasSize(1);
    }

    @Test
    void aComplaintFromAnUnknownCallerIsLinkedToTheNewLeadAndTheCaseCarriesTheCallersDetails() {
        String e164 = newNumber();
        ObjectNode event = event("complaint-with-appointment", e164);

        post(event);

        awaitDone(event, 7);
        JsonNode lead = one("SELECT Id, OwnerId, Callbridge_At_Risk__c FROM Lead");
        String leadId = lead.get("Id").asText();
        assertThat(lead.get("Callbridge_At_Risk__c").asBoolean()).as("set-field flags the lead").isTrue();
        JsonNode kase = one("SELECT ContactId, SuppliedName, SuppliedEmail, SuppliedPhone, Priority FROM Case");
        assertThat(kase.path("ContactId").isNull() || kase.path("ContactId").isMissingNode()).as("a case cannot point at a lead").isTrue();
        assertThat(kase.get("SuppliedName").asText()).isEqualTo("Jean Dupont");
        assertThat(kase.get("SuppliedEmail").asText()).isEqualTo("jean.dupont@example.ch");
        assertThat(kase.get("SuppliedPhone").asText()).isEqualTo(e164);
        assertThat(one("SELECT WhoId FROM Event").get("WhoId").asText()).isEqualTo(leadId);
        assertThat(org.query("SELECT WhoId, OwnerId, Subject FROM Task")).hasSize(3)
                .allSatisfy(t -> assertThat(t.get("WhoId").asText()).isEqualTo(leadId));
        assertThat(one("SELECT OwnerId FROM Task WHERE Subject = 'Réclamation - Jean Dupont'").get("OwnerId").asText())
                .isEqualTo(lead.get("OwnerId").asText());
        assertThat(org.query("SELECT Id FROM Contact")).isEmpty();
    }

    @Test
    void aCommandThatMayHaveReachedSalesforceBeforeACrashIsUpsertedNotDuplicated() {
        String e164 = newNumber();
        String contact = org.create("Contact", Events.JSON.createObjectNode().put("LastName", "Dupont").put("Phone", e164));
        ObjectNode event = event("design-example", e164);
        String logCall = id(event) + ":log-call:0";
        // the call task reached Salesforce, then the process died before recording it done
        HttpResponse<String> partial = org.call("PATCH", "/services/data/v60.0/sobjects/Task/Callbridge_Command_Id__c/"
                + logCall.replace(":", "%3A"),
                Events.JSON.createObjectNode().put("Subject", "partial").put("Status", "Completed").put("WhoId", contact));
        assertThat(partial.statusCode()).as(partial.body()).isEqualTo(201);
        ledger.pending("salesforce", logCall);

        post(event);

        awaitDone(event, 5);
        JsonNode call = one("SELECT Subject, WhoId FROM Task WHERE TaskSubtype = 'Call' OR Subject = 'partial'");
        assertThat(call.get("Subject").asText()).isEqualTo("Appel entrant - 28.11.2026 10:14");
        assertThat(org.query("SELECT Id FROM Task")).hasSize(3);
    }

    @Test
    void anExpiredSessionMidStreamIsLoggedInAgainAndNothingIsLost() {
        String e164 = newNumber();
        String contact = org.create("Contact", Events.JSON.createObjectNode().put("LastName", "Dupont").put("Phone", e164));
        ObjectNode first = event("design-example", e164);
        post(first);
        awaitDone(first, 5);
        clearJournal();

        // every session Callbridge holds (camel-salesforce's and the caller lookup's) expires between two calls
        admin("POST", "/salesforce/tokens/expire", null);
        ObjectNode second = event("complaint-with-appointment", e164);
        post(second);
        awaitDone(second, 7);

        // read through the sandbox's admin API: the test's own session expired too
        assertThat(records("Case")).hasSize(1).allSatisfy(c -> assertThat(c.get("ContactId").asText()).isEqualTo(contact));
        assertThat(records("Event")).hasSize(1);
        assertThat(records("Task")).as("3 + 3 tasks").hasSize(6);
        JsonNode journal = admin("GET", "/salesforce/requests", null);
        long unauthorized = 0;
        long logins = 0;
        for (JsonNode e : journal) {
            if (e.get("status").asInt() == 401) unauthorized++;
            if (e.get("path").asText().equals("/services/oauth2/token") && e.get("status").asInt() == 200) logins++;
        }
        assertThat(unauthorized).as("the expired session was refused").isPositive();
        assertThat(logins).as("and replaced by a fresh login").isPositive();
        assertThat(deadLetters(second)).isEmpty();
    }

    @Test
    void a401InTheMiddleOfAnEventIsRetriedAfterAFreshLoginWithoutLosingTheCommand() {
        String e164 = newNumber();
        String contact = org.create("Contact", Events.JSON.createObjectNode().put("LastName", "Dupont").put("Phone", e164));
        clearJournal();
        // Salesforce invalidates the session just as the case is written (e.g. a password reset)
        admin("POST", "/salesforce/faults/script", Events.JSON.createArrayNode()
                .add(Events.JSON.createObjectNode().put("status", 401).put("match", "^PATCH .*/sobjects/Case/")));
        ObjectNode event = event("complaint-with-appointment", e164);

        post(event);

        awaitDone(event, 7);
        assertThat(records("Case")).hasSize(1).allSatisfy(c -> assertThat(c.get("ContactId").asText()).isEqualTo(contact));
        JsonNode journal = admin("GET", "/salesforce/requests", null);
        List<String> casePatches = new java.util.ArrayList<>();
        for (JsonNode e : journal) {
            if (e.get("path").asText().contains("/sobjects/Case/")) casePatches.add(e.get("status").asText());
        }
        // the case goes out as an sObject Collection upsert: refused once, then answered with its results
        assertThat(casePatches).containsExactly("401", "200");
        assertThat(deadLetters(event)).isEmpty();
    }

    @Test
    void requestLimitExceededOpensTheBreakerAndTheRecordsLandOnceTheLimitResets() {
        Pacer pacer = app.context().getRegistry().lookupByNameAndType("pacer-salesforce", Pacer.class);
        long openings = pacer.breakerOpenings();
        String e164 = newNumber();
        org.create("Contact", Events.JSON.createObjectNode().put("LastName", "Dupont").put("Phone", e164));
        // from now on 4 API requests per 5 s: the event's commands need more than that
        admin("PUT", "/salesforce/rate-limit", Events.JSON.createObjectNode().put("windowSeconds", 5).put("quota", 4));
        ObjectNode event = event("design-example", e164);
        try {
            post(event);

            await().atMost(Duration.ofSeconds(20)).until(() -> pacer.breakerOpenings() > openings);
            awaitDone(event, 5, Duration.ofSeconds(60));
        } finally {
            admin("PUT", "/salesforce/rate-limit", Events.JSON.createObjectNode().put("windowSeconds", 86_400).put("quota", 100_000));
        }
        assertThat(org.query("SELECT Id FROM Task")).hasSize(3);
        assertThat(org.query("SELECT Id FROM Opportunity")).hasSize(1);
        JsonNode journal = admin("GET", "/salesforce/requests", null);
        assertThat(journal.toString()).as("Salesforce refused requests past the limit").contains("\"status\":403");
        assertThat(deadLetters(event)).as("nothing set aside while the quota was spent").isEmpty();
        await().atMost(Duration.ofSeconds(5)).until(() -> !pacer.breakerOpen());
    }

    @Test
    void aCallerDeletedInSalesforceSinceTheLookupIsLookedUpAgainNotDeadLettered() throws Exception {
        String e164 = newNumber();
        String contact = org.create("Contact", Events.JSON.createObjectNode().put("LastName", "Dupont").put("Phone", e164));
        ObjectNode first = event("design-example", e164);
        post(first);
        awaitDone(first, 5);
        // a caller lookup (as GET /v1/callers does) caches the contact; then an admin deletes it (or merges it away)
        assertThat(app.context().getRegistry().lookupByNameAndType("callers", io.callbridge.identify.Callers.class)
                .records("salesforce").find(e164).get("id").asText()).isEqualTo(contact);
        HttpResponse<String> deleted = org.call("DELETE", "/services/data/v60.0/sobjects/Contact/" + contact, null);
        assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(204);

        ObjectNode second = event("design-example", e164);
        post(second);

        awaitDone(second, 5);
        String lead = one("SELECT Id FROM Lead").get("Id").asText();
        assertThat(org.query("SELECT WhoId FROM Task WHERE Callbridge_Command_Id__c LIKE '" + id(second) + "%'")).hasSize(3)
                .allSatisfy(t -> assertThat(t.get("WhoId").asText()).isEqualTo(lead));
        assertThat(deadLetters(second)).isEmpty();
        assertThat(log.text()).contains("is gone (HTTP 4").contains(id(second) + ":log-call:0 is retried with a fresh lookup");
    }

    @Test
    void theLogShowsNoSecretTokenOrCallerNumber() {
        String e164 = newNumber();
        ObjectNode event = event("design-example", e164);
        admin("POST", "/salesforce/tokens/expire", null);

        post(event);

        awaitDone(event, 5);
        assertThat(log.text()).as("the unknown caller's lead was logged, masked").contains("for the unknown caller +41*******");
        String token = app.context().getComponent("salesforce", org.apache.camel.component.salesforce.SalesforceComponent.class)
                .getSession().getAccessToken();
        assertThat(token).as("the connector's own session token").isNotBlank();
        assertThat(log.lines()).isNotEmpty()
                .noneMatch(l -> l.contains(SalesforceFixture.CLIENT_SECRET) || l.contains(token) || l.contains("Bearer "))
                .noneMatch(l -> l.contains("access_token") || l.contains("refresh_token"))
                .noneMatch(l -> l.contains(e164.substring(5)) || l.contains(national(e164)));
    }

    // ---- helpers ----

    private static final java.util.concurrent.atomic.AtomicInteger NUMBERS = new java.util.concurrent.atomic.AtomicInteger();

    /** A Swiss mobile number of its own per test, so the caller cache of one test never answers another. */
    private static String newNumber() {
        return "+4179" + String.format("%07d", 2_000_000 + (int) (System.nanoTime() % 1000) * 1000 + NUMBERS.incrementAndGet());
    }

    private static String national(String e164) {
        String n = "0" + e164.substring(3);
        return n.substring(0, 3) + " " + n.substring(3, 6) + " " + n.substring(6, 8) + " " + n.substring(8);
    }

    private static ObjectNode event(String sample, String e164) {
        ObjectNode event = Samples.event(sample);
        event.put("id", UUID.randomUUID().toString());
        ObjectNode data = (ObjectNode) event.get("data");
        data.remove("customerE164");
        data.put("from", national(e164));
        return event;
    }

    private static String id(ObjectNode event) {
        return event.get("id").asText();
    }

    private static void post(ObjectNode event) {
        app.post(event);
    }

    private static void awaitDone(ObjectNode event, int commands) {
        awaitDone(event, commands, Duration.ofSeconds(30));
    }

    /** Every command of the event recorded done by the delivery core (so the org holds everything it will hold). */
    private static void awaitDone(ObjectNode event, int commands, Duration atMost) {
        await().atMost(atMost).pollInterval(Duration.ofMillis(100)).until(() -> doneCommands(event) == commands);
    }

    private static long doneCommands(ObjectNode event) {
        return List.of("log-call:0", "enrich-contact:0", "hot-lead:0", "hot-lead:1", "angry-complaint:0", "angry-complaint:1",
                        "angry-complaint:2", "appointment:0", "appointment:1", "callback:0").stream()
                .filter(c -> ledger.state("salesforce", id(event) + ":" + c) == CommandLedger.State.DONE).count();
    }

    private static JsonNode one(String soql) {
        JsonNode records = org.query(soql);
        assertThat(records).as(soql).hasSize(1);
        return records.get(0);
    }

    private static List<JsonNode> deadLetters(ObjectNode event) {
        return Topics.readAll(broker, "callbridge.dlq.salesforce").stream().map(r -> Events.parse(r.value()))
                .filter(c -> c.path("eventId").asText().equals(id(event))).toList();
    }

    private static List<JsonNode> records(String type) {
        List<JsonNode> out = new java.util.ArrayList<>();
        admin("GET", "/salesforce/records/" + type, null).forEach(out::add);
        return out;
    }

    private static void clearJournal() {
        admin("DELETE", "/salesforce/requests", null);
    }

    private static JsonNode admin(String method, String path, JsonNode body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(org.sandbox().adminUrl() + path)).timeout(Duration.ofSeconds(10));
        if (body == null) {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body.toString()));
        }
        HttpResponse<String> r = Events.send(b.build());
        assertThat(r.statusCode()).as(method + " " + path + " " + r.body()).isLessThan(300);
        return r.body().isBlank() ? Events.JSON.nullNode() : Events.parse(r.body().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
