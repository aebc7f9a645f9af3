package io.callbridge.subjects;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callbridge.broker.EmbeddedKafkaBroker;
import io.callbridge.support.CallbridgeApp;
import io.callbridge.support.CrmFixture;
import io.callbridge.support.CrmSandboxes;
import io.callbridge.support.Events;
import io.callbridge.support.TestBroker;
import io.callbridge.support.Topics;
import io.callbridge.support.WebhookReceiver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Erasure in the CRMs, opted into per CRM: an admin's {@code DELETE /v1/subjects/{phone}} deletes every contact and
 * lead holding the number, each CRM the way it offers (HubSpot's GDPR delete, Pipedrive's person delete, Salesforce's
 * Contact and Lead delete), and leaves everyone else; a CRM not opted in keeps the person and the progress says so; a
 * CRM that refuses fails its step alone, and asking again finishes the job.
 */
class CrmPersonErasureIT {

    private static final String ADMIN = "admin-crm-erasure-key";
    private static final String E164 = "+41795550101";
    private static final String BYSTANDER = "+41795550202";

    private static final CrmFixture HUBSPOT = CrmFixture.of("hubspot");
    private static final CrmFixture PIPEDRIVE = CrmFixture.of("pipedrive");
    private static final CrmFixture SALESFORCE = CrmFixture.of("salesforce");

    private static EmbeddedKafkaBroker broker;
    private static CrmSandboxes crms;

    @BeforeAll
    static void start() {
        broker = TestBroker.shared();
        crms = CrmSandboxes.start(73, true, List.of(HUBSPOT, PIPEDRIVE, SALESFORCE));
    }

    @AfterAll
    static void stop() {
        crms.close();
    }

    @Test
    void everyRecordHoldingTheNumberIsDeletedInEachCrmThatOptedInAndNobodyElse() {
        String hubspotTwice = crms.seedCaller(HUBSPOT, "Olga", "Oubli", E164, "olga.oubli@example.ch");
        String hubspotOnce = crms.seedCaller(HUBSPOT, "Olga", "Oubli", E164, "o.oubli@example.net");
        String hubspotOther = crms.seedCaller(HUBSPOT, "Bert", "Bleibt", BYSTANDER, "bert.bleibt@example.ch");
        String person = crms.seedCaller(PIPEDRIVE, "Olga", "Oubli", E164, "olga.oubli@example.ch");
        String personOther = crms.seedCaller(PIPEDRIVE, "Bert", "Bleibt", BYSTANDER, null);
        String contact = crms.seedCaller(SALESFORCE, "Olga", "Oubli", E164, "olga.oubli@example.ch");
        String lead = salesforceLead("079 555 01 01");
        String contactOther = crms.seedCaller(SALESFORCE, "Bert", "Bleibt", BYSTANDER, null);

        try (CallbridgeApp app = app(Map.of("hubspot", "true", "pipedrive", "true", "salesforce", "true"))) {
            JsonNode erasure = erase(app, E164);

            assertThat(erasure.get("state").asText()).as("%s", erasure).isEqualTo("done");
            assertThat(step(erasure, "crm-hubspot").get("detail").asText()).isEqualTo("2 contacts deleted in hubspot (GDPR delete)");
            assertThat(step(erasure, "crm-pipedrive").get("detail").asText()).isEqualTo("1 contact deleted in pipedrive (person delete)");
            assertThat(step(erasure, "crm-salesforce").get("detail").asText())
                    .isEqualTo("1 contact and 1 lead deleted in salesforce (Contact and Lead delete)");
            assertThat(erasure.toString()).doesNotContain(E164, "5550101", "Oubli", "olga");
        }
        assertThat(ids(HUBSPOT, "contacts")).doesNotContain(hubspotTwice, hubspotOnce).contains(hubspotOther);
        assertThat(record(PIPEDRIVE, "persons", person).path("is_deleted").asBoolean()).as("Pipedrive marks it deleted").isTrue();
        assertThat(record(PIPEDRIVE, "persons", personOther).path("is_deleted").asBoolean()).isFalse();
        assertThat(ids(SALESFORCE, "Contact")).doesNotContain(contact).contains(contactOther);
        assertThat(ids(SALESFORCE, "Lead")).doesNotContain(lead);
        assertThat(crms.requests("hubspot").toString()).contains("/crm/v3/objects/contacts/gdpr-delete");
    }

    @Test
    void aCrmNotOptedInKeepsThePersonAndOneThatRefusesFailsItsStepAloneUntilAskedAgain() {
        String number = "+41795550303";
        String kept = crms.seedCaller(HUBSPOT, "Karl", "Kept", number, "karl.kept@example.ch");
        String refused = crms.seedCaller(SALESFORCE, "Karl", "Kept", number, null);
        crms.faults("salesforce", "{\"script\": [{\"status\": 403, \"match\": \"^DELETE /services/data/.*/sobjects/Contact/.*\", "
                + "\"body\": [{\"errorCode\": \"INSUFFICIENT_ACCESS_OR_READONLY\", \"message\": \"insufficient access rights\"}]}]}");

        try (CallbridgeApp app = app(Map.of("hubspot", "false", "salesforce", "true"))) {
            JsonNode first = erase(app, number);

            assertThat(first.get("state").asText()).as("%s", first).isEqualTo("failed");
            assertThat(step(first, "crm-hubspot").get("state").asText()).isEqualTo("done");
            assertThat(step(first, "crm-hubspot").get("detail").asText())
                    .isEqualTo("not requested (callbridge.crm.hubspot.erase-persons is false): the person's records in hubspot stay there");
            assertThat(step(first, "crm-salesforce").get("state").asText()).isEqualTo("failed");
            assertThat(step(first, "crm-salesforce").get("detail").asText())
                    .isEqualTo("0 of 1 records deleted, then salesforce: deleting a contact answered 403 INSUFFICIENT_ACCESS_OR_READONLY");
            assertThat(step(first, "delivery-ledger").get("state").asText()).as("the other holders are erased all the same")
                    .isEqualTo("done");
            assertThat(ids(SALESFORCE, "Contact")).contains(refused);

            JsonNode again = erase(app, number);

            assertThat(again.get("state").asText()).as("%s", again).isEqualTo("done");
            assertThat(ids(SALESFORCE, "Contact")).doesNotContain(refused);
            assertThat(ids(HUBSPOT, "contacts")).contains(kept);
        } finally {
            crms.faults("salesforce", "{}");
        }
    }

    @Test
    void anErasureACrashInterruptedIsFinishedAtTheNextStartAndSaysWhatItCouldNotDo(@org.junit.jupiter.api.io.TempDir
            java.nio.file.Path dir) throws Exception {
        String sealed = "interrupted-" + java.util.UUID.randomUUID();
        String clear = "interrupted-" + java.util.UUID.randomUUID();
        // as SubjectErasures writes before its first step: with a master key, the pseudonym to finish by
        Topics.send(broker, "callbridge.erasures", sealed, ("{\"erasureId\":\"" + sealed + "\",\"state\":\"running\","
                + "\"subjectKey\":\"s1-interruptedPseudonym\",\"steps\":[]}").getBytes(StandardCharsets.UTF_8));
        Topics.send(broker, "callbridge.erasures", clear, ("{\"erasureId\":\"" + clear + "\",\"state\":\"running\",\"steps\":[]}")
                .getBytes(StandardCharsets.UTF_8));
        java.nio.file.Path masterKey = java.nio.file.Files.writeString(dir.resolve("master.key"),
                io.callbridge.erasure.SubjectCipher.newMasterKey());

        CallbridgeApp.Builder b = CallbridgeApp.on(broker).with(crms.settings()).with("callbridge.api-keys", ADMIN + ":admin")
                .with("callbridge.primary-crm", "hubspot").with("callbridge.erasure.master-key-file", masterKey.toString())
                .with("callbridge.crm.hubspot.erase-persons", "true");
        crms.names().forEach(crm -> b.with("callbridge.crm." + crm + ".enabled", String.valueOf(crm.equals("hubspot"))));
        try (CallbridgeApp app = b.start()) {
            JsonNode finished = progress(app, sealed);
            assertThat(finished.get("state").asText()).as("%s", finished).isEqualTo("failed");
            assertThat(step(finished, "subject-keys").get("state").asText()).isEqualTo("done");
            assertThat(step(finished, "delivery-ledger").get("state").asText()).isEqualTo("done");
            assertThat(step(finished, "crm-hubspot").get("detail").asText())
                    .startsWith("interrupted before hubspot was asked, and the number is not kept");
            assertThat(finished.has("subjectKey")).as("the pseudonym is never shown").isFalse();

            JsonNode unfinishable = progress(app, clear);
            assertThat(unfinishable.get("state").asText()).as("%s", unfinishable).isEqualTo("failed");
            assertThat(unfinishable.get("detail").asText()).contains("erase the person again");
        }
    }

    private static JsonNode progress(CallbridgeApp app, String id) {
        HttpResponse<String> r = Events.send(HttpRequest.newBuilder(app.uri("/v1/subjects/erasures/" + id))
                .header("Authorization", "Bearer " + ADMIN).GET().build());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Events.parse(r.body().getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void startUpStopsWhenACrmThatCannotDeletePersonsIsAskedTo() {
        try (WebhookReceiver receiver = WebhookReceiver.start(EmbeddedKafkaBroker.freePort())) {
            assertThatThrownBy(() -> CallbridgeApp.on(broker).with(crms.settings())
                    .with("callbridge.crm.webhook.enabled", "true")
                    .with("callbridge.crm.webhook.url", receiver.url())
                    .with("callbridge.crm.webhook.check-url", receiver.checkUrl())
                    .with("callbridge.crm.webhook.secret", "whsec-crm-erasure")
                    .with("callbridge.crm.webhook.erase-persons", "true").start())
                    .hasStackTraceContaining("callbridge.crm.webhook.erase-persons is true, but Callbridge cannot delete persons in webhook");
        }
    }

    private static CallbridgeApp app(Map<String, String> erasePersons) {
        CallbridgeApp.Builder b = CallbridgeApp.on(broker).with(crms.settings()).with("callbridge.api-keys", ADMIN + ":admin")
                .with("callbridge.primary-crm", "hubspot");
        crms.names().forEach(crm -> b.with("callbridge.crm." + crm + ".enabled", String.valueOf(erasePersons.containsKey(crm))));
        erasePersons.forEach((crm, on) -> b.with("callbridge.crm." + crm + ".erase-persons", on));
        return b.start();
    }

    private static JsonNode erase(CallbridgeApp app, String e164) {
        HttpResponse<String> r = Events.send(HttpRequest.newBuilder(app.uri("/v1/subjects/" + e164.replace("+", "%2B")))
                .header("Authorization", "Bearer " + ADMIN).DELETE().build());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        return Events.parse(r.body().getBytes(StandardCharsets.UTF_8));
    }

    private static JsonNode step(JsonNode erasure, String name) {
        for (JsonNode s : erasure.get("steps")) {
            if (s.get("step").asText().equals(name)) {
                return s;
            }
        }
        throw new AssertionError("no step " + name + " in " + erasure);
    }

    /** A Lead with the number typed nationally, as a salesperson would. */
    private static String salesforceLead(String phone) {
        ObjectNode seed = Events.JSON.createObjectNode();
        seed.putArray("Lead").addObject().put("FirstName", "Olga").put("LastName", "Oubli").put("Company", "Oubli GmbH")
                .put("Phone", phone);
        return crms.seed("salesforce", seed).get("Lead").get(0).asText();
    }

    private static List<String> ids(CrmFixture f, String type) {
        return crms.records(f.crm(), type).stream().map(f::recordId).toList();
    }

    private static JsonNode record(CrmFixture f, String type, String id) {
        return crms.records(f.crm(), type).stream().filter(r -> id.equals(f.recordId(r))).findFirst()
                .orElseThrow(() -> new AssertionError("no " + type + " " + id));
    }
}
