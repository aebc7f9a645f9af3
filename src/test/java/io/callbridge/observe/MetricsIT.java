package io.callbridge.observe;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callbridge.broker.EmbeddedKafkaBroker;
import io.callbridge.support.CallbridgeApp;
import io.callbridge.support.CrmFixture;
import io.callbridge.support.CrmSandboxes;
import io.callbridge.support.Events;
import io.callbridge.support.MappingsCopy;
import io.callbridge.support.Samples;
import io.callbridge.support.Scrape;
import io.callbridge.support.TestBroker;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A run with faults, scraped as Prometheus scrapes it: calls to HubSpot and Zoho, two 429s, a record HubSpot
 * refuses (a dead letter), HubSpot down for 15 s, refused and repeated events, and caller lookups. Each metric the
 * alerts and the dashboard read is there with its labels and the values the run produced, and no label carries a
 * phone number.
 */
class MetricsIT {

    private static final String AGENT = "agent-metrics-key";
    private static final String KNOWN = "+41796200001";

    @Test
    void aRunWithFaultsShowsInEveryMetric() throws Exception {
        EmbeddedKafkaBroker broker = TestBroker.fresh();
        MappingsCopy mappings = MappingsCopy.logCallOnly();
        CrmFixture hubspot = CrmFixture.of("hubspot");
        CrmFixture zoho = CrmFixture.of("zoho");
        try (CrmSandboxes crms = CrmSandboxes.start(7, true, List.of(hubspot, zoho))) {
            crms.seedCaller(hubspot, "Anna", "Meier", KNOWN, "anna.meier@example.ch");
            CallbridgeApp.Builder builder = CallbridgeApp.on(broker).with("callbridge.mappings.dir", mappings.dir().toString())
                    .fastRetries().with("callbridge.primary-crm", "hubspot").with("callbridge.api-keys", AGENT + ":agent");
            crms.settings().forEach(builder::with);
            try (CallbridgeApp app = builder.start()) {
                ObjectNode first = post(app, "metrics-1");
                post(app, "metrics-2");
                post(app, "metrics-3");
                awaitCalls(crms, hubspot, 3);
                awaitCalls(crms, zoho, 3);

                // two 429s, waited out
                crms.faults("hubspot", "{\"script\":[{\"match\":\"POST .*/crm/v3/objects/calls\",\"status\":429,\"repeat\":2}]}");
                post(app, "metrics-4");
                awaitCalls(crms, hubspot, 4);

                // a call HubSpot refuses: set aside
                crms.faults("hubspot", "{\"script\":[{\"match\":\"POST .*/crm/v3/objects/calls\",\"status\":400,\"body\":{\"status\":\"error\","
                        + "\"message\":\"Property values were not valid\",\"category\":\"VALIDATION_ERROR\",\"correlationId\":\"9c1d\"}}]}");
                post(app, "metrics-5");
                await().atMost(Duration.ofSeconds(30)).until(() -> Scrape.of(app).sum("callbridge_delivery_dead_letters_total",
                        "crm", "hubspot", "reason", "rejected") == 1);

                // HubSpot down for 15 s: the breaker opens, the backlog grows, then everything lands
                crms.faults("hubspot", "{\"outage\":{\"startsInMs\":0,\"durationMs\":15000,\"status\":503}}");
                post(app, "metrics-6");
                post(app, "metrics-7");
                post(app, "metrics-8");
                await().atMost(Duration.ofSeconds(25)).until(() -> Scrape.of(app).sum("callbridge_delivery_breaker_open", "crm", "hubspot") == 1);
                await().atMost(Duration.ofSeconds(25)).until(() -> Scrape.of(app).sum("callbridge_delivery_consumer_lag_records", "crm", "hubspot") >= 1);
                awaitCalls(crms, zoho, 8);
                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> calls(crms, hubspot) == 7);
                await().atMost(Duration.ofSeconds(20)).until(() -> Scrape.of(app).sum("callbridge_delivery_breaker_open", "crm", "hubspot") == 0
                        && Scrape.of(app).sum("callbridge_delivery_consumer_lag_records", "crm", "hubspot") == 0);

                // intake: a repeat, an invalid event, a wrong media type
                assertThat(Events.post(app.uri("/v1/call-events"), "application/json", Events.bytes(first)).statusCode()).isEqualTo(202);
                ObjectNode invalid = Samples.shortCall("metrics-invalid", "+41 79 620 00 09");
                invalid.remove("id");
                assertThat(Events.post(app.uri("/v1/call-events"), "application/json", Events.bytes(invalid)).statusCode()).isEqualTo(400);
                assertThat(Events.post(app.uri("/v1/call-events"), "text/plain", "hello".getBytes()).statusCode()).isEqualTo(415);
                assertThat(Events.post(app.uri("/v1/call-events"), "application/json", new byte[300_000]).statusCode()).isEqualTo(413);

                // lookups: the known caller twice (the second from the cache), an unknown number
                assertThat(lookup(app, KNOWN).statusCode()).isEqualTo(200);
                assertThat(lookup(app, KNOWN).statusCode()).isEqualTo(200);
                assertThat(lookup(app, "+41796209999").statusCode()).isEqualTo(404);

                // the audit trail: the agent key may not read it, and that refusal is recorded
                assertThat(Events.send(HttpRequest.newBuilder(URI.create(app.uri("/v1/audit").toString()))
                        .header("Authorization", "Bearer " + AGENT).GET().build()).statusCode()).isEqualTo(403);

                Scrape s = Scrape.of(app);
                // CRM requests, by operation and status
                assertThat(s.sum("callbridge_crm_requests_total", "crm", "hubspot", "status", "429")).isEqualTo(2);
                assertThat(s.sum("callbridge_crm_rate_limited_total", "crm", "hubspot")).isEqualTo(2);
                assertThat(s.sum("callbridge_crm_requests_total", "crm", "hubspot", "status", "400")).isEqualTo(1);
                assertThat(s.sum("callbridge_crm_requests_total", "crm", "hubspot", "status", "503")).isGreaterThanOrEqualTo(1);
                assertThat(s.sum("callbridge_crm_requests_total", "crm", "hubspot", "operation", "lookup")).isGreaterThanOrEqualTo(1);
                assertThat(s.sum("callbridge_crm_requests_total", "crm", "zoho", "operation", "token", "status", "200")).isGreaterThanOrEqualTo(1);
                double hubspotRequests = s.sum("callbridge_crm_requests_total", "crm", "hubspot");
                assertThat(s.sum("callbridge_crm_request_duration_seconds_count", "crm", "hubspot")).isEqualTo(hubspotRequests);
                assertThat(s.sum("callbridge_crm_request_duration_seconds_bucket", "crm", "hubspot", "operation", "write", "le", "2.0"))
                        .isGreaterThanOrEqualTo(1);
                assertThat(s.sum("callbridge_crm_rate_limit_remaining", "crm", "hubspot")).isGreaterThanOrEqualTo(0);
                double expiresIn = s.sum("callbridge_crm_credential_expiry_seconds", "crm", "zoho", "credential", "access_token");
                assertThat(expiresIn).isGreaterThan(0).isLessThanOrEqualTo(3600);
                assertThat(s.has("callbridge_crm_credential_refresh_failures_total", "crm", "zoho")).isTrue();

                // delivery
                assertThat(s.sum("callbridge_delivery_commands_total", "crm", "hubspot", "action", "log-call", "outcome", "done")).isEqualTo(7);
                assertThat(s.sum("callbridge_delivery_commands_total", "crm", "hubspot", "action", "log-call", "outcome", "dead_letter")).isEqualTo(1);
                assertThat(s.sum("callbridge_delivery_commands_total", "crm", "zoho", "action", "log-call", "outcome", "done")).isEqualTo(8);
                assertThat(s.sum("callbridge_delivery_dead_letters_total", "crm", "zoho")).isZero();
                assertThat(s.sum("callbridge_delivery_breaker_openings_total", "crm", "hubspot")).isGreaterThanOrEqualTo(1);
                assertThat(s.sum("callbridge_delivery_breaker_openings_total", "crm", "zoho")).isZero();

                // intake
                assertThat(s.sum("callbridge_intake_events_total", "outcome", "accepted")).isEqualTo(8);
                assertThat(s.sum("callbridge_intake_events_total", "outcome", "duplicate")).isEqualTo(1);
                assertThat(s.sum("callbridge_intake_events_total", "outcome", "refused", "reason", "invalid")).isEqualTo(1);
                assertThat(s.sum("callbridge_intake_events_total", "outcome", "refused", "reason", "unsupported_media_type")).isEqualTo(1);
                assertThat(s.sum("callbridge_intake_events_total", "outcome", "refused", "reason", "too_large")).isEqualTo(1);

                // lookups
                assertThat(s.sum("callbridge_lookups_total", "answer", "found")).isEqualTo(2);
                assertThat(s.sum("callbridge_lookups_total", "answer", "unknown")).isEqualTo(1);
                assertThat(s.sum("callbridge_lookup_cache_total", "result", "hit")).isGreaterThanOrEqualTo(1);
                assertThat(s.sum("callbridge_lookup_duration_seconds_count")).isEqualTo(3);
                assertThat(s.has("callbridge_lookup_duration_seconds_bucket", "le", "0.2")).isTrue();

                // audit
                assertThat(s.sum("callbridge_audit_records_total", "action", "audit.read", "outcome", "403")).isEqualTo(1);
                assertThat(s.sum("callbridge_audit_unrecorded_total", "reason", "unavailable")).isZero();
                assertThat(s.has("callbridge_audit_unrecorded_total", "reason", "left_out")).isTrue();

                // exactly the metrics the alerts and the dashboard are held to (MetricNames), with their labels
                assertThat(s.names().stream().filter(n -> n.startsWith("callbridge_")).map(MetricNames::baseOf).distinct())
                        .containsExactlyInAnyOrderElementsOf(MetricNames.NAMES);
                s.all().stream().filter(x -> x.name().startsWith("callbridge_")).forEach(x ->
                        assertThat(x.labels().keySet()).as(x.name()).isEqualTo(MetricNames.labelsOf(x.name())));

                // bounded labels: no number, no name, no id
                assertThat(s.text()).doesNotContain("796200001").doesNotContain("Meier").doesNotContain("metrics-1");
            }
        } finally {
            broker.close();
        }
    }

    private static ObjectNode post(CallbridgeApp app, String id) {
        ObjectNode event = Samples.shortCall(id, KNOWN);
        assertThat(Events.post(app.uri("/v1/call-events"), "application/json", Events.bytes(event)).statusCode()).isEqualTo(202);
        return event;
    }

    private static int calls(CrmSandboxes crms, CrmFixture crm) {
        return crms.callsByCommandId(crm).size();
    }

    private static void awaitCalls(CrmSandboxes crms, CrmFixture crm, int n) {
        await().atMost(Duration.ofSeconds(30)).until(() -> calls(crms, crm) == n);
    }

    private static HttpResponse<String> lookup(CallbridgeApp app, String e164) {
        return Events.send(HttpRequest.newBuilder(URI.create(app.uri("/v1/callers/" + e164).toString()))
                .header("Authorization", "Bearer " + AGENT).GET().build());
    }
}
