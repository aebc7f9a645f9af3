package io.callbridge.crm.hubspot;

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
 * 100 calls from 100 callers reach HubSpot through batch creates (each input traced by its commandId): one
 * call HubSpot refuses (a property that does not exist) is dead-lettered with HubSpot's reason while the 99
 * others land, each once, in a few requests. A batch the rate limit holds back is sent later as it was, without
 * asking HubSpot first whether it already arrived.
 */
class HubSpotBatchDeliveryIT {

    @Test
    void oneBadCallInABatchIsDeadLetteredAndTheOthersLand() throws Exception {
        EmbeddedKafkaBroker broker = TestBroker.fresh();
        CrmFixture hubspot = CrmFixture.of("hubspot");
        MappingsCopy mappings = MappingsCopy.logCallOnly();
        // the template writes a property HubSpot does not have for one event, as a misconfigured mapping would
        mappings.replace("hubspot/log-call.jsonata", "\"hs_call_title\":", "\"no_such_property\": $contains(data.summary, \"BAD\") ? \"x\" : null,\n    \"hs_call_title\":");
        try (CrmSandboxes crms = CrmSandboxes.start(41, true, List.of(hubspot));
             CallbridgeApp app = CallbridgeApp.on(broker).with(crms.settings())
                     .with("callbridge.mappings.dir", mappings.dir().toString())
                     .with("callbridge.crm.hubspot.unknown-caller", "log-unlinked").start()) {
            // held back until all 100 commands are queued, so they meet in one poll
            app.coreConsumer().stop();
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                ObjectNode event = Samples.shortCall("batch-" + i + "-" + UUID.randomUUID(), String.format("+41 79 700 %02d %02d", i / 10, i % 10));
                ((ObjectNode) event.get("data")).put("summary", i == 37 ? "BAD call" : "call " + i);
                ids.add(event.get("id").asText());
                assertThat(Events.post(app.uri("/v1/call-events"), "application/json", Events.bytes(event)).statusCode()).isEqualTo(202);
            }
            app.coreConsumer().start();

            await().atMost(Duration.ofSeconds(60)).until(() -> crms.callsByCommandId(hubspot).size() == 99
                    && Topics.readAll(broker, "callbridge.dlq.hubspot").size() == 1);
            Map<String, List<JsonNode>> calls = crms.callsByCommandId(hubspot);
            for (int i = 0; i < 100; i++) {
                if (i == 37) {
                    assertThat(calls).as("the refused call").doesNotContainKey(ids.get(i) + ":log-call:0");
                } else {
                    assertThat(calls.get(ids.get(i) + ":log-call:0")).as("event %d", i).hasSize(1);
                }
            }
            var dead = Topics.readAll(broker, "callbridge.dlq.hubspot").get(0);
            assertThat(Events.parse(dead.value()).get("commandId").asText()).isEqualTo(ids.get(37) + ":log-call:0");
            assertThat(new String(dead.headers().lastHeader("callbridge-crm-error").value())).contains("no_such_property");
            long creates = 0;
            long searches = 0;
            for (JsonNode r : crms.requests("hubspot")) {
                if (r.path("path").asText().equals("/crm/v3/objects/calls/batch/create")) {
                    creates++;
                }
                if (r.path("path").asText().equals("/crm/v3/objects/contacts/search")) {
                    searches++;
                }
            }
            assertThat(creates).as("batch creates for 100 calls").isBetween(1L, 10L);
            // a wave looks its callers up together, sixteen numbers a search, instead of one search per caller
            assertThat(searches).as("searches for 100 callers").isBetween(7L, 30L);
        } finally {
            broker.close();
        }
    }

    @Test
    void aBatchTheRateLimitHeldBackIsSentLaterWithoutAskingHubSpotFirst() throws Exception {
        EmbeddedKafkaBroker broker = TestBroker.fresh();
        CrmFixture hubspot = CrmFixture.of("hubspot");
        // 4 requests per 2 s, one of them in reserve: six waves of three callers' calls must wait for windows
        try (CrmSandboxes crms = CrmSandboxes.start(43, false, List.of(hubspot),
                Map.of("hubspot", Map.of("rate-limit.quota", "4", "rate-limit.window-seconds", "2")));
             CallbridgeApp app = CallbridgeApp.on(broker).with(crms.settings())
                     .with("callbridge.mappings.dir", MappingsCopy.logCallOnly().dir().toString())
                     .with("callbridge.crm.hubspot.rate-limit.max", "4")
                     .with("callbridge.crm.hubspot.rate-limit.window-ms", "2000")
                     .with("callbridge.crm.hubspot.rate-limit.reserve", "1")
                     .with("callbridge.crm.hubspot.unknown-caller", "log-unlinked").start()) {
            app.deliveryConsumer("hubspot").stop();
            List<String> commandIds = new ArrayList<>();
            for (int call = 0; call < 6; call++) {
                for (int caller = 0; caller < 3; caller++) {
                    ObjectNode event = Samples.shortCall("held-" + call + "-" + caller + "-" + UUID.randomUUID(),
                            String.format("+41 79 710 %02d %02d", caller, 0));
                    commandIds.add(event.get("id").asText() + ":log-call:0");
                    assertThat(Events.post(app.uri("/v1/call-events"), "application/json", Events.bytes(event)).statusCode()).isEqualTo(202);
                }
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> Topics.readAll(broker, "callbridge.crm.hubspot").size() == 18);
            app.deliveryConsumer("hubspot").start();

            await().atMost(Duration.ofSeconds(90)).until(() -> crms.callsByCommandId(hubspot).size() == 18);
            Map<String, List<JsonNode>> calls = crms.callsByCommandId(hubspot);
            commandIds.forEach(id -> assertThat(calls.get(id)).as(id).hasSize(1));
            long finds = 0;
            long refused = 0;
            for (JsonNode r : crms.requests("hubspot")) {
                finds += r.path("path").asText().equals("/crm/v3/objects/calls/search") ? 1 : 0;
                refused += r.path("status").asInt() == 429 ? 1 : 0;
            }
            assertThat(finds).as("calls looked for before sending: a deferred batch was never sent").isZero();
            assertThat(refused).as("answered 429").isZero();
        } finally {
            broker.close();
        }
    }
}
