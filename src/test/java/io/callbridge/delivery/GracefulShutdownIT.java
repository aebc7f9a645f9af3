package io.callbridge.delivery;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callbridge.Callbridge;
import io.callbridge.broker.EmbeddedKafkaBroker;
import io.callbridge.support.CallbridgeApp;
import io.callbridge.support.Events;
import io.callbridge.support.Samples;
import io.callbridge.support.TestBroker;
import io.callbridge.support.WebhookReceiver;
import io.callbridge.support.WebhookReceiver.Received;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** SIGTERM to a running Callbridge: intake stops, the command in flight finishes and is committed, nothing is lost. */
class GracefulShutdownIT {

    @Test
    void sigtermStopsIntakeLetsTheCommandInFlightFinishAndLosesNothing() throws Exception {
        EmbeddedKafkaBroker broker = TestBroker.fresh();
        WebhookReceiver receiver = WebhookReceiver.start(EmbeddedKafkaBroker.freePort());
        receiver.slow(Duration.ofSeconds(3));
        int port = EmbeddedKafkaBroker.freePort();
        Path log = Files.createTempFile("callbridge-shutdown", ".log");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Callbridge.class.getName())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(Map.of("CALLBRIDGE_KAFKA_BROKERS", broker.bootstrapServers(),
                "CALLBRIDGE_HTTP_PORT", String.valueOf(port), "CALLBRIDGE_HTTP_PLAIN", "true", "CALLBRIDGE_CRM_WEBHOOK_ALLOW_PLAIN_HTTP", "true", "CALLBRIDGE_CRM_WEBHOOK_ENABLED", "true",
                "CALLBRIDGE_CRM_WEBHOOK_URL", receiver.url(), "CALLBRIDGE_SHUTDOWN_TIMEOUT_SECONDS", "20"));
        Process process = pb.start();
        ObjectNode event = Samples.designExample();
        String id = UUID.randomUUID().toString();
        event.put("id", id);
        ((ObjectNode) event.get("data")).remove("customerE164");
        try {
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> post(port, event) == 202);
            await().atMost(Duration.ofSeconds(30)).until(() -> receiver.arriving().contains(id + ":log-call:0"));

            long sigterm = System.nanoTime();
            process.destroy();

            await().atMost(Duration.ofSeconds(2)).until(() -> refused(port));
            assertThat(process.isAlive()).as("still finishing the command in flight while intake refuses").isTrue();
            assertThat(process.waitFor(25, TimeUnit.SECONDS)).as("stopped within the shutdown timeout").isTrue();
            assertThat((System.nanoTime() - sigterm) / 1_000_000).isGreaterThanOrEqualTo(1_000);
            assertThat(receiver.acknowledged(id + ":log-call:0")).as("the command in flight was answered").hasSize(1);
        } finally {
            process.destroyForcibly();
        }

        // a new instance takes over: what was acknowledged is not sent again, the rest arrives once
        try (CallbridgeApp next = CallbridgeApp.on(broker).with("callbridge.crm.webhook.enabled", "true")
                .with("callbridge.crm.webhook.url", receiver.url()).start()) {
            receiver.slow(Duration.ZERO);
            await().atMost(Duration.ofSeconds(60)).until(() -> receiver.acknowledged().stream()
                    .filter(r -> r.commandId().startsWith(id + ":")).map(Received::commandId).distinct().count() == 5);
            Map<String, Long> perCommand = receiver.acknowledged().stream().filter(r -> r.commandId().startsWith(id + ":"))
                    .collect(Collectors.groupingBy(Received::commandId, Collectors.counting()));
            assertThat(perCommand).allSatisfy((command, n) -> assertThat(n).as(command).isEqualTo(1));
        } finally {
            receiver.close();
            broker.close();
        }
        assertThat(Files.readString(log)).contains("shutdown");
    }

    private static int post(int port, ObjectNode event) {
        return Events.post(URI.create("http://localhost:" + port + "/v1/call-events"), "application/cloudevents+json",
                Events.bytes(event)).statusCode();
    }

    /** Intake no longer accepts events: a refused connection or a 503. */
    private static boolean refused(int port) {
        try {
            return Events.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/v1/call-events"))
                    .timeout(Duration.ofSeconds(1)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build()).statusCode() == 503;
        } catch (RuntimeException e) {
            return e.getCause() instanceof IOException || e instanceof java.io.UncheckedIOException;
        }
    }
}
