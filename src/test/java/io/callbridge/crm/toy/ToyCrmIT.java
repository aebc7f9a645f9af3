package io.callbridge.crm.toy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callbridge.broker.EmbeddedKafkaBroker;
import io.callbridge.support.CallbridgeApp;
import io.callbridge.support.Events;
import io.callbridge.support.MappingsCopy;
import io.callbridge.support.Samples;
import io.callbridge.support.TestBroker;
import io.callbridge.support.WebhookReceiver;
import io.callbridge.support.WebhookReceiver.Answer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A CRM added with its own files only (this package, its catalog line, route file and mappings folder in the
 * test resources): Callbridge plans its commands, delivers them to its API over HTTP, retries what the CRM
 * answers 503, dead-letters what it refuses, and replays the dead letter, through the same contract and
 * delivery core as every CRM. Its API is played by a real HTTP receiver.
 */
class ToyCrmIT {

    private static final String ADMIN = "toy-admin-key";
    private static EmbeddedKafkaBroker broker;
    private static WebhookReceiver api;
    private static CallbridgeApp app;

    @BeforeAll
    static void start() {
        broker = TestBroker.fresh();
        api = WebhookReceiver.start(EmbeddedKafkaBroker.freePort());
        app = CallbridgeApp.on(broker)
                .with("callbridge.api-keys", ADMIN + ":admin")
                .with("callbridge.mappings.dir", mappingsWithToy().toString())
                .with("callbridge.crm.toy.enabled", "true")
                .with("callbridge.crm.toy.base-url", api.url().replace("/hook", ""))
                .with("callbridge.crm.toy.token", "toy-token")
                .with("callbridge.delivery.retry.initial-ms", "200")
                .with("callbridge.delivery.retry.max-ms", "1000")
                .with("callbridge.delivery.max-attempts", "3")
                .start();
    }

    @AfterAll
    static void stop() {
        app.close();
        api.close();
        broker.close();
    }

    @BeforeEach
    void clear() {
        api.clear();
    }

    @Test
    void itsRoutesAreLoadedBecauseTheCatalogSaysItIsEnabledAndADisabledCrmsAreNot() {
        assertThat(app.context().getRoute("crm-toy")).isNotNull();
        assertThat(app.context().getRoute("probe-toy")).isNotNull();
        assertThat(app.context().getRoute("crm-webhook")).as("the webhook is not enabled").isNull();
    }

    @Test
    void theDryRunPlansItsRequestFromItsTemplate() {
        ObjectNode event = event();
        HttpResponse<String> plan = Events.post(app.uri("/v1/plan"), "application/json", Events.bytes(event),
                "Authorization", "Bearer " + ADMIN);
        assertThat(plan.statusCode()).as(plan.body()).isEqualTo(200);
        JsonNode step = Events.parse(plan.body().getBytes(StandardCharsets.UTF_8)).get(0);
        assertThat(step.get("crm").asText()).isEqualTo("toy");
        assertThat(step.get("method").asText()).isEqualTo("POST");
        assertThat(step.get("url").asText()).isEqualTo(api.url());
        assertThat(step.at("/body/commandId").asText()).isEqualTo(id(event) + ":log-call:0");
        assertThat(api.received()).as("a plan writes nothing").isEmpty();
    }

    @Test
    void aCommandIsDeliveredWithItsCredentials() {
        ObjectNode event = event();
        post(event);
        await().atMost(Duration.ofSeconds(30)).until(() -> api.acknowledged(id(event) + ":log-call:0").size() == 1);
        WebhookReceiver.Received call = api.acknowledged(id(event) + ":log-call:0").get(0);
        assertThat(call.header("Authorization")).isEqualTo("Bearer toy-token");
        assertThat(call.body().get("summary").asText()).isEqualTo(event.at("/data/summary").asText());
    }

    @Test
    void whatTheCrmAnswers503IsRetriedAndDeliveredOnce() {
        api.script(new Answer(503, "{\"error\":\"busy\"}", Map.of()), new Answer(503, "{\"error\":\"busy\"}", Map.of()));
        ObjectNode event = event();
        post(event);
        String commandId = id(event) + ":log-call:0";
        await().atMost(Duration.ofSeconds(30)).until(() -> api.acknowledged(commandId).size() == 1);
        assertThat(api.received().stream().filter(r -> r.commandId().equals(commandId)).map(WebhookReceiver.Received::answered))
                .containsExactly(503, 503, 200);
        assertThat(metrics()).containsPattern("callbridge_delivery_retries_total\\{crm=\"toy\"\\} [1-9]");
    }

    @Test
    void whatTheCrmRefusesIsDeadLetteredWithItsReasonAndReplayedOnRequest() {
        api.script(new Answer(422, "{\"error\":\"summary too long\"}", Map.of()));
        ObjectNode event = event();
        post(event);
        String commandId = id(event) + ":log-call:0";
        await().atMost(Duration.ofSeconds(30)).until(() -> dlq().stream().anyMatch(d -> d.path("commandId").asText().equals(commandId)));
        JsonNode dead = dlq().stream().filter(d -> d.path("commandId").asText().equals(commandId)).findFirst().orElseThrow();
        assertThat(dead.get("errorClass").asText()).isEqualTo("rejected");
        assertThat(dead.get("httpStatus").asText()).isEqualTo("422");
        assertThat(dead.get("reason").asText()).contains("summary too long");
        assertThat(api.acknowledged(commandId)).isEmpty();

        HttpResponse<String> replay = Events.post(app.uri("/v1/dlq/toy/replay"), "application/json",
                ("{\"ids\":[\"" + dead.get("id").asText() + "\"]}").getBytes(StandardCharsets.UTF_8), "Authorization", "Bearer " + ADMIN);
        assertThat(replay.statusCode()).as(replay.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> api.acknowledged(commandId).size() == 1);
    }

    private static ObjectNode event() {
        ObjectNode event = Samples.minimal();
        event.put("id", "toy-" + java.util.UUID.randomUUID());
        ((ObjectNode) event.get("data")).put("summary", "Le client veut un devis.");
        return event;
    }

    private static String id(ObjectNode event) {
        return event.get("id").asText();
    }

    private static void post(ObjectNode event) {
        assertThat(Events.post(app.uri("/v1/call-events"), "application/json", Events.bytes(event)).statusCode()).isEqualTo(202);
    }

    private static List<JsonNode> dlq() {
        HttpResponse<String> r = Events.send(HttpRequest.newBuilder(app.uri("/v1/dlq/toy")).header("Authorization", "Bearer " + ADMIN)
                .GET().build());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        List<JsonNode> out = new ArrayList<>();
        Events.parse(r.body().getBytes(StandardCharsets.UTF_8)).forEach(out::add);
        return out;
    }

    private static String metrics() {
        return app.metrics();
    }

    /** The log-call rule, and the toy's own mappings folder beside the others. */
    private static Path mappingsWithToy() {
        MappingsCopy copy = MappingsCopy.logCallOnly();
        try {
            Path source = Path.of(ToyCrmIT.class.getResource("/crm/toy/mappings/toy/log-call.jsonata").toURI()).getParent();
            Files.createDirectories(copy.dir().resolve("toy"));
            try (var files = Files.list(source)) {
                for (Path f : files.toList()) {
                    Files.copy(f, copy.dir().resolve("toy").resolve(f.getFileName().toString()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        return copy.dir();
    }
}
