package io.callbridge.broker;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callbridge.identify.Callers;
import io.callbridge.support.CallbridgeApp;
import io.callbridge.support.CapturedLog;
import io.callbridge.support.CrmFixture;
import io.callbridge.support.CrmSandboxes;
import io.callbridge.support.Events;
import io.callbridge.support.Samples;
import io.callbridge.support.TestBroker;
import io.callbridge.support.TestTls;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * A cluster whose client port requires SASL_SSL with SCRAM-SHA-512 is reached through the client-config file alone,
 * the README's example (truststore, the JAAS line and the truststore's password read from a secret file by Kafka's
 * FileConfigProvider): a call event is accepted and delivered to HubSpot, camel-kafka's warm-up consumer gets
 * through as well as Callbridge's own clients, and no password shows in the log, the
 * metrics or the health answers, even with Kafka's clients logging their configuration (INFO, which log4j2.xml turns
 * off). A wrong password stops start-up with the broker's refusal, and without the file Callbridge does not get
 * through at all.
 */
class KafkaClientSecurityIT {

    private static final String USER = "callbridge";
    private static final String PASSWORD = "scram-" + UUID.randomUUID();

    private static TestTls tls;
    private static EmbeddedKafkaBroker broker;
    private static Path dir;

    @BeforeAll
    static void startBroker() {
        tls = TestTls.create();
        broker = TestBroker.scram(USER, PASSWORD, tls);
        dir = TestBroker.tempDir();
        // each client's configuration, as Kafka logs it when an operator turns its clients' log up
        Configurator.setLevel("org.apache.kafka.clients", Level.INFO);
    }

    @AfterAll
    static void stopBroker() {
        Configurator.setLevel("org.apache.kafka.clients", Level.WARN);
        broker.close();
    }

    @Test
    void withTheClientConfigAnEventIsAcceptedAndDeliveredAndNoPasswordShows() throws IOException {
        Path secret = write("kafka-credentials.properties",
                "sasl.jaas.config=" + jaas(PASSWORD),
                "ssl.truststore.password=" + tls.truststorePassword());
        Path clientConfig = write("kafka-client.properties",
                "security.protocol=SASL_SSL",
                "sasl.mechanism=SCRAM-SHA-512",
                "ssl.truststore.location=" + tls.truststore(),
                "ssl.truststore.type=PKCS12",
                "config.providers=file",
                "config.providers.file.class=org.apache.kafka.common.config.provider.FileConfigProvider",
                "sasl.jaas.config=${file:" + secret + ":sasl.jaas.config}",
                "ssl.truststore.password=${file:" + secret + ":ssl.truststore.password}");
        CrmFixture hubspot = CrmFixture.of("hubspot");
        try (CapturedLog log = CapturedLog.start();
             CrmSandboxes crms = CrmSandboxes.start(77, true, List.of(hubspot));
             CallbridgeApp app = CallbridgeApp.on(broker).with(crms.settings())
                     .with("callbridge.kafka.client-config", clientConfig.toString()).start()) {
            String e164 = "+41795550101";
            crms.seedCaller(hubspot, "Sasha", "Secure", e164, "sasha@example.com");
            ObjectNode started = Samples.call("design-example", e164);
            started.put("type", "call.started");
            ObjectNode ended = Samples.call("design-example", e164);
            String id = ended.get("id").asText();

            app.post(started);
            // a call.started plans no command: only the warm-up route, camel-kafka's consumer, looks the caller up
            await().atMost(Duration.ofSeconds(30)).until(() -> app.context().getRegistry()
                    .lookupByNameAndType("callers", Callers.class).primary().isFresh(e164));
            app.post(ended);

            await().atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(200))
                    .until(() -> crms.callsByCommandId(hubspot).keySet().stream().anyMatch(c -> c.startsWith(id + ":")));
            await().atMost(Duration.ofSeconds(20)).until(() -> get(app, "/observe/health/ready?data=true").statusCode() == 200);
            String ready = get(app, "/observe/health/ready?data=true").body();
            assertThat(check(ready, "broker").path("status").asText()).isEqualTo("UP");
            String metrics = app.metrics();
            for (String shown : List.of(log.text(), ready, get(app, "/observe/health?data=true").body(), metrics)) {
                assertThat(shown).doesNotContain(PASSWORD).doesNotContain(tls.truststorePassword());
            }
            assertThat(log.text()).as("Kafka's own configuration log masks the login").contains("sasl.jaas.config = [hidden]");
        }
    }

    @Test
    void aWrongPasswordStopsStartUpWithTheBrokersRefusalAndIsNotLogged() throws IOException {
        String wrong = "wrong-" + UUID.randomUUID();
        Path clientConfig = write("kafka-client-wrong.properties",
                "security.protocol=SASL_SSL",
                "sasl.mechanism=SCRAM-SHA-512",
                "ssl.truststore.location=" + tls.truststore(),
                "ssl.truststore.type=PKCS12",
                "ssl.truststore.password=" + tls.truststorePassword(),
                "sasl.jaas.config=" + jaas(wrong));
        try (CapturedLog log = CapturedLog.start()) {
            Throwable refused = catchThrowable(() -> CallbridgeApp.on(broker).with("callbridge.kafka.client-config", clientConfig.toString())
                    .start());

            assertThat(refused).hasMessageContaining("Kafka brokers " + broker.bootstrapServers() + " refused Callbridge's authentication")
                    .hasMessageContaining("invalid credentials with SASL mechanism SCRAM-SHA-512")
                    .hasMessageContaining("check callbridge.kafka.client-config");
            assertThat(log.text()).contains("sasl.jaas.config = [hidden]")
                    .doesNotContain(wrong).doesNotContain(tls.truststorePassword()).doesNotContain(PASSWORD);
        }
    }

    @Test
    void withoutTheClientConfigCallbridgeDoesNotGetThrough() {
        assertThatThrownBy(() -> CallbridgeApp.on(broker).with("callbridge.kafka.startup-timeout-ms", "3000").start())
                .hasMessageContaining("Kafka brokers " + broker.bootstrapServers() + " did not answer within 3000 ms")
                .hasMessageContaining("callbridge.kafka.client-config");
    }

    /** The login as {@code sasl.jaas.config} holds it. */
    private static String jaas(String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + USER + "\" password=\"" + password + "\";";
    }

    private static Path write(String name, String... lines) throws IOException {
        return Files.write(dir.resolve(name), List.of(lines), StandardCharsets.ISO_8859_1);
    }

    private static HttpResponse<String> get(CallbridgeApp app, String path) {
        return Events.send(HttpRequest.newBuilder(URI.create(app.uri(path).toString())).GET().build());
    }

    private static JsonNode check(String health, String name) {
        for (JsonNode c : Events.parse(health.getBytes(StandardCharsets.UTF_8)).path("checks")) {
            if (name.equals(c.path("name").asText())) {
                return c;
            }
        }
        throw new AssertionError("no check " + name + " in " + health);
    }
}
