package io.callbridge.support;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.callbridge.broker.EmbeddedKafkaBroker;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import static org.assertj.core.api.Assertions.assertThat;

/** What every CRM's change-notification test looks at: refusals, the changes on the topic, and the caller lookups. */
public final class ChangeChecks {

    private ChangeChecks() {
    }

    /** A notification refused as not the CRM's: 401 problem+json naming the reason. */
    public static void assertRefused(HttpResponse<String> r, String reason) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(401);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(r.body()).contains(reason);
    }

    /** The changes of one record on {@code callbridge.crm-changes}, oldest first. */
    public static List<ConsumerRecord<String, byte[]>> changes(EmbeddedKafkaBroker broker, String crm, String recordId) {
        return Topics.readAll(broker, "callbridge.crm-changes").stream().filter(r -> (crm + ":" + recordId).equals(r.key())).toList();
    }

    /**
     * Waits until Callbridge has taken in the CRM's notification that the record was {@code change} (e.g. {@code created}).
     * A test that seeds a record and then looks it up waits for its creation first: the notification, arriving late,
     * would drop the cached lookup the test goes on to expect a hit of.
     */
    public static void awaitNoted(EmbeddedKafkaBroker broker, String crm, String recordId, String change) {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> changes(broker, crm, recordId).stream()
                .anyMatch(r -> change.equals(Events.parse(r.value()).at("/data/change").asText())));
    }

    /** The caller's profile; the lookup must answer 200. */
    public static JsonNode lookUp(CallbridgeApp app, String key, String phone) {
        HttpResponse<String> r = lookUpResponse(app, key, phone);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Events.parse(r.body().getBytes(StandardCharsets.UTF_8));
    }

    /** {@code GET /v1/callers/{phone}} with an agent's key; {@code phone} URL-encoded already. */
    public static HttpResponse<String> lookUpResponse(CallbridgeApp app, String key, String phone) {
        return Events.send(HttpRequest.newBuilder(app.uri("/v1/callers/" + phone)).header("Authorization", "Bearer " + key).GET().build());
    }
}
