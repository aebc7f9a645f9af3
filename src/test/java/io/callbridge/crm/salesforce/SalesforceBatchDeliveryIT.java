package io.callbridge.crm.salesforce;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callbridge.broker.EmbeddedKafkaBroker;
import io.callbridge.support.CallbridgeApp;
import io.callbridge.support.CrmFixture;
import io.callbridge.support.CrmSandboxes;
import io.callbridge.support.Events;
import io.callbridge.support.MappingsCopy;
import io.callbridge.support.Samples;
import io.callbridge.support.TestBroker;
import io.callbridge.support.Topics;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * 100 calls from 100 callers reach Salesforce as sObject Collections (upserts by the commandId): one Task
 * Salesforce refuses (a status its picklist does not have) is dead-lettered with Salesforce's reason while the
 * 99 others land, each once, in a few requests and no single upsert. The callers' own records are updated by id
 * in update collections, and the cached callers keep what was written, so their next calls need no lookup.
 */
class SalesforceBatchDeliveryIT {

    @Test
    void oneBadTaskInACollectionIsDeadLetteredAndTheOthersLand() throws Exception {
        EmbeddedKafkaBroker broker = TestBroker.fresh();
        CrmFixture salesforce = CrmFixture.of("salesforce");
        MappingsCopy mappings = MappingsCopy.logCallOnly();
        mappings.replace("salesforce/log-call.jsonata", "\"Status\": \"Completed\"",
                "\"Status\": $contains(data.summary, \"BAD\") ? \"Not a status\" : \"Completed\"");
        try (CrmSandboxes crms = CrmSandboxes.start(43, true, List.of(salesforce));
             CallbridgeApp app = CallbridgeApp.on(broker).with(crms.settings())
                     .with("callbridge.mappings.dir", mappings.dir().toString())
                     .with("callbridge.crm.salesforce.unknown-caller", "unlinked").start()) {
            // held back until all 100 commands are queued, so they meet in one poll
            app.coreConsumer().stop();
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                ObjectNode event = Samples.shortCall("sf-batch-" + i + "-" + UUID.randomUUID(), String.format("+41 79 701 %02d %02d", i / 10, i % 10));
                ((ObjectNode) event.get("data")).put("summary", i == 61 ? "BAD call" : "call " + i);
                ids.add(event.get("id").asText());
                assertThat(Events.post(app.uri("/v1/call-events"), "application/json", Events.bytes(event)).statusCode()).isEqualTo(202);
            }
            app.coreConsumer().start();

            await().atMost(Duration.ofSeconds(60)).until(() -> crms.callsByCommandId(salesforce).size() == 99
                    && Topics.readAll(broker, "callbridge.dlq.salesforce").size() == 1);
            Map<String, List<JsonNode>> calls = crms.callsByCommandId(salesforce);
            for (int i = 0; i < 100; i++) {
                if (i == 61) {
                    assertThat(calls).as("the refused call").doesNotContainKey(ids.get(i) + ":log-call:0");
                } else {
                    assertThat(calls.get(ids.get(i) + ":log-call:0")).as("event %d", i).hasSize(1);
                }
            }
            var dead = Topics.readAll(broker, "callbridge.dlq.salesforce").get(0);
            assertThat(Events.parse(dead.value()).get("commandId").asText()).isEqualTo(ids.get(61) + ":log-call:0");
            assertThat(new String(dead.headers().lastHeader("callbridge-crm-error").value()))
                    .contains("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST");
            long collections = 0;
            long single = 0;
            for (JsonNode r : crms.requests("salesforce")) {
                String path = r.path("path").asText();
                if (path.contains("/composite/sobjects/Task/")) {
                    collections++;
                } else if (path.contains("/sobjects/Task/")) {
                    single++;
                }
            }
            assertThat(collections).as("collection upserts for 100 calls").isBetween(1L, 10L);
            assertThat(single).as("single upserts").isZero();
            assertThat(io.callbridge.support.Scrape.of(app).sum("callbridge_crm_requests_total", "crm", "salesforce", "operation", "batch"))
                    .as("each collection request counted as one batch on /observe/metrics").isEqualTo(collections);
        } finally {
            broker.close();
        }
    }

    @Test
    void contactUpdatesGoOutAsOneUpdateCollectionAndTheNextCallsNeedNoLookup() throws Exception {
        EmbeddedKafkaBroker broker = TestBroker.fresh();
        CrmFixture salesforce = CrmFixture.of("salesforce");
        MappingsCopy mappings = MappingsCopy.logCallOnly();
        mappings.write("rules.yaml", """
                rules:
                  - id: log-call
                    when: type = 'call.ended'
                    actions:
                      - log-call
                  - id: enrich-contact
                    when: type = 'call.ended'
                    actions:
                      - update-contact
                """);
        try (CrmSandboxes crms = CrmSandboxes.start(44, true, List.of(salesforce));
             CallbridgeApp app = CallbridgeApp.on(broker).with(crms.settings())
                     .with("callbridge.mappings.dir", mappings.dir().toString()).start()) {
            List<String> numbers = new ArrayList<>();
            Map<String, String> contactIds = new java.util.HashMap<>();
            for (int i = 0; i < 20; i++) {
                String e164 = String.format("+417970200%02d", i);
                numbers.add(e164);
                contactIds.put(e164, crms.seedCaller(salesforce, "Anna", "Keller" + i, e164, "anna.keller" + i + "@example.ch"));
            }
            for (int round = 1; round <= 2; round++) {
                // held back until the round's 40 commands are queued, so that they meet in one poll: one wave of
                // calls, one of contact updates (a wave that mixed them would share a composite request)
                app.deliveryConsumer("salesforce").stop();
                int queued = Topics.readAll(broker, "callbridge.crm.salesforce").size();
                for (String e164 : numbers) {
                    ObjectNode event = Samples.shortCall("sf-update-" + round + "-" + UUID.randomUUID(), e164);
                    ((ObjectNode) event.get("data")).put("summary", "round " + round + " for " + e164);
                    assertThat(Events.post(app.uri("/v1/call-events"), "application/json", Events.bytes(event)).statusCode()).isEqualTo(202);
                }
                await().atMost(Duration.ofSeconds(30)).until(() -> Topics.readAll(broker, "callbridge.crm.salesforce").size() == queued + 40);
                int expected = round;
                long before = crms.requests("salesforce").size();
                app.deliveryConsumer("salesforce").start();
                await().atMost(Duration.ofSeconds(60)).until(() -> crms.records("salesforce", "Contact").stream()
                        .filter(c -> c.path("Callbridge_Last_Summary__c").asText().startsWith("round " + expected)).count() == 20);
                long updateCollections = 0;
                long singleUpdates = 0;
                long lookups = 0;
                List<JsonNode> journal = new ArrayList<>();
                crms.requests("salesforce").forEach(journal::add);
                for (JsonNode r : journal.subList((int) before, journal.size())) {
                    String path = r.path("path").asText();
                    updateCollections += path.endsWith("/composite/sobjects") ? 1 : 0;
                    singleUpdates += path.matches(".*/sobjects/Contact/[A-Za-z0-9]{15,18}") ? 1 : 0;
                    lookups += r.path("method").asText().equals("POST") && path.endsWith("/composite") ? 1 : 0;
                }
                assertThat(singleUpdates).as("round %d: contacts updated one by one", round).isZero();
                assertThat(updateCollections).as("round %d: update collections for 20 contacts", round).isBetween(1L, 4L);
                if (round == 2) {
                    assertThat(lookups).as("round 2: caller lookups (round 1's updates refreshed the cache)").isZero();
                }
            }
            for (String e164 : numbers) {
                JsonNode contact = crms.records("salesforce", "Contact").stream()
                        .filter(c -> c.path("Id").asText().equals(contactIds.get(e164))).findFirst().orElseThrow();
                assertThat(contact.path("Callbridge_Last_Summary__c").asText()).isEqualTo("round 2 for " + e164);
            }
        } finally {
            broker.close();
        }
    }
}
