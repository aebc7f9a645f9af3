package io.callbridge.erasure;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.JsonNode;
import io.callbridge.broker.EmbeddedKafkaBroker;
import io.callbridge.support.CallbridgeApp;
import io.callbridge.support.Events;
import io.callbridge.support.TestBroker;
import io.callbridge.support.WebhookReceiver;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Without a master key an erasure still does what it can, and its answer says plainly that the topics were not shredded. */
class ErasureWithoutMasterKeyIT {

    private static final String ADMIN = "admin-erasure-clear-key";

    @Test
    void theAnswerSaysTheTopicsCannotBeShredded() {
        try (WebhookReceiver receiver = WebhookReceiver.start(EmbeddedKafkaBroker.freePort());
                CallbridgeApp app = CallbridgeApp.on(TestBroker.shared()).with("callbridge.api-keys", ADMIN + ":admin")
                        .with("callbridge.crm.webhook.enabled", "true").with("callbridge.crm.webhook.url", receiver.url())
                        .with("callbridge.crm.webhook.check-url", receiver.checkUrl())
                        .with("callbridge.crm.webhook.secret", "whsec-erasure-clear").start()) {
            HttpResponse<String> erased = Events.send(HttpRequest.newBuilder(app.uri("/v1/subjects/%2B41796412299"))
                    .header("Authorization", "Bearer " + ADMIN).DELETE().build());

            assertThat(erased.statusCode()).as(erased.body()).isEqualTo(202);
            JsonNode answer = Events.parse(erased.body().getBytes(StandardCharsets.UTF_8));
            assertThat(answer.get("topics").asText()).startsWith("not shreddable").contains("callbridge.erasure.master-key-file");
            assertThat(answer.get("steps")).anySatisfy(s -> assertThat(s.get("detail").asText()).startsWith("skipped: no master key"));
            assertThat(erased.body()).doesNotContain("796412299");

            HttpResponse<String> progress = Events.send(HttpRequest.newBuilder(app.uri("/v1/subjects/erasures/" + answer.get("erasureId").asText()))
                    .header("Authorization", "Bearer " + ADMIN).GET().build());
            assertThat(progress.statusCode()).isEqualTo(200);
            assertThat(progress.body()).contains("\"state\" : \"done\"").doesNotContain("796412299", "subjectKey");
        }
    }
}
