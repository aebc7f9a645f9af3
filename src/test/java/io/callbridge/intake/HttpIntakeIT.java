package io.callbridge.intake;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callbridge.broker.EmbeddedKafkaBroker;
import io.callbridge.support.CallbridgeApp;
import io.callbridge.support.Events;
import io.callbridge.support.TestBroker;
import io.callbridge.support.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** POST /v1/call-events against a real broker: the 202 path and every refusal, as the assistant sees them. */
class HttpIntakeIT {

    private static final String SECRET = "whsec-test-4f1c";
    private static final String CE_JSON = "application/cloudevents+json";
    private static EmbeddedKafkaBroker broker;
    private static CallbridgeApp app;

    @BeforeAll
    static void start() {
        broker = TestBroker.shared();
        app = CallbridgeApp.on(broker)
                .with("callbridge.webhook.secret", SECRET)
                .with("callbridge.http.max-body-bytes", "65536")
                .start();
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void aSignedEventIsAcceptedOnlyOnceItIsOnTheTopicAndTheCoreConsumerPicksItUp() {
        ObjectNode event = Events.exampleWithNewId();
        String id = event.get("id").asText();

        HttpResponse<String> response = postSigned(Events.bytes(event), Instant.now());

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(Events.parse(response.body().getBytes(StandardCharsets.UTF_8)).get("id").asText()).isEqualTo(id);
        List<ConsumerRecord<String, byte[]>> records = recordsFor(id);
        assertThat(records).hasSize(1);
        ConsumerRecord<String, byte[]> record = records.get(0);
        assertThat(record.key()).isEqualTo("+41791234567");
        JsonNode published = Events.parse(record.value());
        assertThat(published.at("/data/customerE164").asText()).isEqualTo("+41791234567");
        assertThat(published.at("/data/from").asText()).isEqualTo("079 123 45 67");
        assertThat(published.at("/data/summary").asText()).isEqualTo(event.at("/data/summary").asText());
        assertThat(record.headers().lastHeader("Authorization")).isNull();
        assertThat(record.headers().lastHeader("Callbridge-Signature")).isNull();
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        await("the core consumer took the event and committed past it").atMost(Duration.ofSeconds(30))
                .until(() -> Topics.committed(broker, "callbridge-core", partition) > record.offset());
    }

    @Test
    void theSameEventPostedTwiceIsAcceptedTwiceAndWrittenOnce() {
        ObjectNode event = Events.exampleWithNewId();
        String id = event.get("id").asText();

        assertThat(postSigned(Events.bytes(event), Instant.now()).statusCode()).isEqualTo(202);
        assertThat(postSigned(Events.bytes(event), Instant.now()).statusCode()).isEqualTo(202);
        HttpResponse<String> third = postSigned(Events.bytes(event), Instant.now());

        assertThat(third.statusCode()).isEqualTo(202);
        assertThat(third.body()).contains(id);
        // a later, different event on the same key proves the topic was read past the duplicates
        ObjectNode marker = Events.exampleWithNewId();
        assertThat(postSigned(Events.bytes(marker), Instant.now()).statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(10)).until(() -> !recordsFor(marker.get("id").asText()).isEmpty());
        assertThat(recordsFor(id)).hasSize(1);
    }

    @Test
    void anInvalidEventIs400NamingTheField() {
        ObjectNode event = Events.exampleWithNewId();
        ((ObjectNode) event.get("data")).remove("callId");
        event.put("type", "call.exploded");

        HttpResponse<String> response = postSigned(Events.bytes(event), Instant.now());

        assertProblem(response, 400);
        JsonNode problem = Events.parse(response.body().getBytes(StandardCharsets.UTF_8));
        assertThat(problem.get("errors")).extracting(e -> e.get("pointer").asText())
                .contains("/data/callId", "/type");
        assertThat(recordsFor(event.get("id").asText())).isEmpty();
    }

    @Test
    void anUnparseableNumberIs400OnTheFromField() {
        ObjectNode event = Events.exampleWithNewId();
        ((ObjectNode) event.get("data")).put("from", "not a number at all");

        HttpResponse<String> response = postSigned(Events.bytes(event), Instant.now());

        assertProblem(response, 400);
        assertThat(response.body()).contains("\"pointer\":\"/data/from\"").contains("is not a phone number");
    }

    @Test
    void truncatedJsonIs400() {
        byte[] body = "{\"specversion\":\"1.0\",\"id\":".getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> response = postSigned(body, Instant.now());
        assertProblem(response, 400);
        assertThat(response.body()).contains("\"pointer\":\"\"").contains("is not valid JSON");
    }

    @Test
    void anotherContentTypeIs415() {
        byte[] body = Events.bytes(Events.exampleWithNewId());
        HttpResponse<String> response = Events.post(app.uri("/v1/call-events"), "text/plain", body,
                "Callbridge-Signature", sign(body, Instant.now()));
        assertProblem(response, 415);
        assertThat(response.body()).contains("text/plain");
    }

    @Test
    void plainJsonIsAcceptedToo() {
        byte[] body = Events.bytes(Events.exampleWithNewId());
        HttpResponse<String> response = Events.post(app.uri("/v1/call-events"), "application/json; charset=utf-8",
                body, "Callbridge-Signature", sign(body, Instant.now()));
        assertThat(response.statusCode()).isEqualTo(202);
    }

    @Test
    void aBodyOverTheLimitIs413BeforeItIsRead() {
        ObjectNode event = Events.exampleWithNewId();
        ((ObjectNode) event.get("data")).put("summary", "x".repeat(70_000));
        byte[] body = Events.bytes(event);

        HttpResponse<String> response = postSigned(body, Instant.now());

        assertProblem(response, 413);
        assertThat(response.body()).contains("65536");
    }

    @Test
    void aChunkedBodyOverTheLimitIs413Too() {
        ObjectNode event = Events.exampleWithNewId();
        ((ObjectNode) event.get("data")).put("summary", "y".repeat(70_000));
        byte[] body = Events.bytes(event);
        // a publisher of unknown length makes the client send Transfer-Encoding: chunked, no Content-Length
        HttpRequest request = HttpRequest.newBuilder(app.uri("/v1/call-events"))
                .header("Content-Type", CE_JSON)
                .header("Callbridge-Signature", sign(body, Instant.now()))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body)))
                .build();

        assertProblem(Events.send(request), 413);
    }

    @Test
    void anUnsignedRequestIs401() {
        HttpResponse<String> response = Events.post(app.uri("/v1/call-events"), CE_JSON,
                Events.bytes(Events.exampleWithNewId()));
        assertProblem(response, 401);
        assertThat(response.body()).contains("missing");
    }

    @Test
    void aForgedSignatureIs401() {
        byte[] body = Events.bytes(Events.exampleWithNewId());
        String forged = "t=" + Instant.now().getEpochSecond() + ",v1=" + "ab".repeat(32);
        HttpResponse<String> response = Events.post(app.uri("/v1/call-events"), CE_JSON, body,
                "Callbridge-Signature", forged);
        assertProblem(response, 401);
        assertThat(response.body()).contains("does not match");
    }

    @Test
    void aSignatureOfAnotherBodyIs401() {
        byte[] body = Events.bytes(Events.exampleWithNewId());
        byte[] other = Events.bytes(Events.exampleWithNewId());
        HttpResponse<String> response = Events.post(app.uri("/v1/call-events"), CE_JSON, body,
                "Callbridge-Signature", sign(other, Instant.now()));
        assertProblem(response, 401);
    }

    @Test
    void aStaleSignatureIs401() {
        HttpResponse<String> response = postSigned(Events.bytes(Events.exampleWithNewId()),
                Instant.now().minusSeconds(301));
        assertProblem(response, 401);
        assertThat(response.body()).contains("tolerance");
    }

    @Test
    void aSignatureJustInsideTheToleranceIsAccepted() {
        HttpResponse<String> response = postSigned(Events.bytes(Events.exampleWithNewId()),
                Instant.now().minusSeconds(290));
        assertThat(response.statusCode()).isEqualTo(202);
    }

    @Test
    void theWrongMethodAndAnUnknownPathAreProblemsToo() {
        HttpResponse<String> get = Events.send(HttpRequest.newBuilder(app.uri("/v1/call-events")).GET().build());
        assertProblem(get, 405);
        HttpResponse<String> unknown = Events.send(HttpRequest.newBuilder(app.uri("/v1/nothing-here")).GET().build());
        assertProblem(unknown, 404);
    }

    @Test
    void healthAndMetricsAreServedOnTheSamePort() {
        HttpResponse<String> health = Events.send(HttpRequest.newBuilder(app.uri("/observe/health")).GET().build());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("UP");
        assertThat(app.metrics()).contains("camel_exchanges");
    }

    @Test
    void aBatchOfValidEventsIsAcceptedTogetherEachOnTheTopicWithItsKeyAndHeaders() {
        com.fasterxml.jackson.databind.node.ArrayNode batch = Events.JSON.createArrayNode();
        List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ObjectNode event = Events.exampleWithNewId();
            ((ObjectNode) event.get("data")).put("from", "079 123 45 6" + i);
            ids.add(event.get("id").asText());
            batch.add(event);
        }

        HttpResponse<String> response = postBatch(Events.bytes(batch));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        assertThat(Events.parse(response.body().getBytes(StandardCharsets.UTF_8)).get("ids"))
                .extracting(JsonNode::asText).containsExactlyElementsOf(ids);
        for (int i = 0; i < 3; i++) {
            List<ConsumerRecord<String, byte[]>> records = recordsFor(ids.get(i));
            assertThat(records).hasSize(1);
            assertThat(records.get(0).key()).isEqualTo("+4179123456" + i);
            assertThat(new String(records.get(0).headers().lastHeader(CallEventIntake.EVENT_ID).value(), StandardCharsets.UTF_8))
                    .isEqualTo(ids.get(i));
        }
        assertThat(postBatch(Events.bytes(batch)).statusCode()).as("posted again: accepted, not written again").isEqualTo(202);
        assertThat(recordsFor(ids.get(0))).hasSize(1);
    }

    @Test
    void aBatchWithBadEventsIsAnsweredPerEventNamingEachBadEventByItsIndex() {
        com.fasterxml.jackson.databind.node.ArrayNode batch = Events.JSON.createArrayNode();
        List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ObjectNode event = Events.exampleWithNewId();
            ids.add(event.get("id").asText());
            batch.add(event);
        }
        ((ObjectNode) batch.get(3).get("data")).put("from", "not a number");
        ((ObjectNode) batch.get(1)).remove("source");

        HttpResponse<String> response = postBatch(Events.bytes(batch));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(207);
        JsonNode results = Events.parse(response.body().getBytes(StandardCharsets.UTF_8)).get("results");
        assertThat(results).extracting(r -> r.get("status").asInt()).containsExactly(202, 400, 202, 400, 202);
        assertThat(results.get(3).at("/errors/0/pointer").asText()).isEqualTo("/3/data/from");
        assertThat(results.get(1).get("errors").toString()).contains("/1");
        assertThat(recordsFor(ids.get(0))).hasSize(1);
        assertThat(recordsFor(ids.get(3))).as("the bad event is not published").isEmpty();
        assertThat(recordsFor(ids.get(4))).hasSize(1);
    }

    @Test
    void aBatchWithNoValidEventIsA400ProblemNamingEveryBadOne() {
        ObjectNode bad = Events.exampleWithNewId();
        ((ObjectNode) bad.get("data")).put("from", "not a number");
        HttpResponse<String> response = postBatch(Events.bytes(Events.JSON.createArrayNode().add(bad).add(bad.deepCopy().put("id", "x-2"))));
        assertProblem(response, 400);
        assertThat(Events.parse(response.body().getBytes(StandardCharsets.UTF_8)).get("errors"))
                .extracting(e -> e.get("pointer").asText()).containsExactly("/0/data/from", "/1/data/from");
        assertProblem(postBatch("{\"not\":\"an array\"}".getBytes(StandardCharsets.UTF_8)), 400);
    }

    private static HttpResponse<String> postBatch(byte[] body) {
        return Events.post(app.uri("/v1/call-events"), CallEventIntake.BATCH_MEDIA_TYPE, body, "Callbridge-Signature",
                sign(body, Instant.now()));
    }

    private static void assertProblem(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode problem = Events.parse(response.body().getBytes(StandardCharsets.UTF_8));
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("title").asText()).isNotBlank();
        assertThat(problem.get("type").asText()).startsWith("https://");
        assertThat(response.body()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    private static List<ConsumerRecord<String, byte[]>> recordsFor(String id) {
        // other tests share this broker and put deliberately broken records on the topic: match by id in the raw bytes
        return Topics.readAll(broker, "callbridge.call-events").stream()
                .filter(r -> new String(r.value(), StandardCharsets.UTF_8).contains("\"" + id + "\""))
                .filter(r -> id.equals(Events.parse(r.value()).path("id").asText())).toList();
    }

    private static HttpResponse<String> postSigned(byte[] body, Instant at) {
        return Events.post(app.uri("/v1/call-events"), CE_JSON, body, "Callbridge-Signature", sign(body, at));
    }

    /** Written from the scheme in DESIGN.md, independently of the product's own signer. */
    static String sign(byte[] body, Instant at) {
        try {
            long t = at.getEpochSecond();
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((t + ".").getBytes(StandardCharsets.UTF_8));
            return "t=" + t + ",v1=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
