package io.callbridge;

import java.io.File;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import io.callbridge.broker.EmbeddedKafkaBroker;
import io.callbridge.support.Events;
import io.callbridge.support.TestBroker;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Callbridge's own main, in a separate JVM, configured only through environment variables. */
class EnvironmentVariablesIT {

    @Test
    void settingsComeFromTheEnvironment() throws Exception {
        EmbeddedKafkaBroker broker = TestBroker.shared();
        int port = EmbeddedKafkaBroker.freePort();
        Path log = Files.createTempFile("callbridge-env", ".log");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Callbridge.class.getName())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("CALLBRIDGE_KAFKA_BROKERS", broker.bootstrapServers());
        pb.environment().put("CALLBRIDGE_HTTP_PORT", String.valueOf(port));
        pb.environment().put("CALLBRIDGE_HTTP_PLAIN", "true");
        pb.environment().put("CALLBRIDGE_API_KEYS", "env-key-1:admin");
        pb.environment().put("CALLBRIDGE_DEFAULT_REGION", "FR");
        Process process = pb.start();
        try {
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> Events.send(HttpRequest.newBuilder(
                    java.net.URI.create("http://localhost:" + port + "/observe/health")).build()).statusCode() == 200);
            // a French national number is only valid when callbridge.default-region came from the environment
            var event = io.callbridge.support.Samples.minimal();
            ((com.fasterxml.jackson.databind.node.ObjectNode) event.get("data")).put("to", "01 42 68 53 00")
                    .remove("customerE164");
            var plan = Events.post(java.net.URI.create("http://localhost:" + port + "/v1/plan"), "application/json",
                    Events.bytes(event), "Authorization", "Bearer env-key-1");
            assertThat(plan.statusCode()).as(plan.body()).isEqualTo(200);
            var refused = Events.post(java.net.URI.create("http://localhost:" + port + "/v1/plan"), "application/json",
                    Events.bytes(event), "Authorization", "Bearer not-the-env-key");
            assertThat(refused.statusCode()).isEqualTo(401);
        } finally {
            process.destroy();
            process.waitFor();
        }
        assertThat(Files.readString(log)).as("the API key never reaches the log").doesNotContain("env-key-1");
        assertThat(new File(log.toString()).delete()).isTrue();
    }

    @Test
    void secretsComeFromFilesAndNoLogMetricOrHealthAnswerShowsThem() throws Exception {
        EmbeddedKafkaBroker broker = TestBroker.shared();
        int port = EmbeddedKafkaBroker.freePort();
        Path secrets = Files.createTempDirectory("callbridge-secrets");
        String apiKey = "file-key-7c41e9";
        String webhookSecret = "whsec-file-55d2a0";
        Files.writeString(secrets.resolve("api-keys"), apiKey + ":admin\n");
        Files.writeString(secrets.resolve("webhook-secret"), webhookSecret + "\n");
        Path log = Files.createTempFile("callbridge-secrets", ".log");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Callbridge.class.getName())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("CALLBRIDGE_KAFKA_BROKERS", broker.bootstrapServers());
        pb.environment().put("CALLBRIDGE_HTTP_PORT", String.valueOf(port));
        pb.environment().put("CALLBRIDGE_HTTP_PLAIN", "true");
        pb.environment().put("CALLBRIDGE_API_KEYS_FILE", secrets.resolve("api-keys").toString());
        pb.environment().put("CALLBRIDGE_WEBHOOK_SECRET_FILE", secrets.resolve("webhook-secret").toString());
        Process process = pb.start();
        String shown;
        try {
            java.net.URI base = java.net.URI.create("http://localhost:" + port);
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> Events.send(HttpRequest.newBuilder(
                    base.resolve("/observe/health")).build()).statusCode() == 200);
            var event = io.callbridge.support.Samples.minimal();
            assertThat(Events.post(base.resolve("/v1/plan"), "application/json", Events.bytes(event), "Authorization",
                    "Bearer " + apiKey).statusCode()).as("the API key came from its file").isEqualTo(200);
            assertThat(Events.post(base.resolve("/v1/call-events"), "application/json", Events.bytes(event)).statusCode())
                    .as("unsigned events are refused: the signing secret came from its file").isEqualTo(401);
            HttpResponse<String> metrics = Events.send(HttpRequest.newBuilder(base.resolve("/observe/metrics"))
                    .header("Authorization", "Bearer " + apiKey).build());
            assertThat(metrics.statusCode()).as(metrics.body()).isEqualTo(200);
            shown = metrics.body()
                    + Events.send(HttpRequest.newBuilder(base.resolve("/observe/health?data=true")).build()).body()
                    + Events.send(HttpRequest.newBuilder(base.resolve("/observe/health/ready?data=true")).build()).body();
        } finally {
            process.destroy();
            process.waitFor();
        }
        String logged = Files.readString(log);
        assertThat(logged).as("the log").isNotEmpty().doesNotContain(apiKey).doesNotContain(webhookSecret);
        assertThat(shown).as("metrics and health").contains("callbridge_intake_events_total")
                .doesNotContain(apiKey).doesNotContain(webhookSecret);
    }
}
