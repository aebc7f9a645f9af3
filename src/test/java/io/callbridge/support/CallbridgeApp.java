package io.callbridge.support;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

import io.callbridge.Callbridge;
import io.callbridge.broker.EmbeddedKafkaBroker;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;

/**
 * Callbridge itself, started in the test JVM exactly as {@code java -jar} starts it (same Main, same
 * application.properties, same routes/ folder), with overrides for ports and brokers.
 */
public final class CallbridgeApp implements AutoCloseable {

    /** The manager key of every instance a test starts: the metrics are a manager's to read. */
    public static final String METRICS_KEY = "k-test-metrics-reader";

    private final Main main;
    private final int httpPort;

    private CallbridgeApp(Main main, int httpPort) {
        this.main = main;
        this.httpPort = httpPort;
    }

    public static Builder on(EmbeddedKafkaBroker broker) {
        return new Builder().with("callbridge.kafka.brokers", broker.bootstrapServers());
    }

    public CamelContext context() {
        return main.getCamelContext();
    }

    /** The core consumer of callbridge.call-events: stopped, call events pile up; started again, they arrive in one poll. */
    public io.callbridge.broker.BatchConsumer coreConsumer() {
        return context().getRegistry().lookupByNameAndType(io.callbridge.delivery.DeliveryCore.CORE_CONSUMER,
                io.callbridge.broker.BatchConsumer.class);
    }

    /** The consumer of callbridge.crm.&lt;crm&gt;: stopped, commands pile up; started again, they arrive in one poll. */
    public io.callbridge.broker.BatchConsumer deliveryConsumer(String crm) {
        return context().getRegistry().lookupByNameAndType(io.callbridge.delivery.DeliveryCore.DELIVERY_CONSUMER + crm,
                io.callbridge.broker.BatchConsumer.class);
    }

    /** Posts a call event as the assistant does; it must be accepted (202). */
    public void post(com.fasterxml.jackson.databind.node.ObjectNode event) {
        java.net.http.HttpResponse<String> r = Events.post(uri("/v1/call-events"), "application/cloudevents+json", Events.bytes(event));
        org.assertj.core.api.Assertions.assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    }

    /**
     * The same event three times: posted twice, then written straight onto Kafka past intake's duplicate check, as
     * another producer might; then a later call of the same caller (no deal, no callback), delivered after every copy
     * (same partition, in order), which it answers so a test waits for it.
     */
    public com.fasterxml.jackson.databind.node.ObjectNode postThreeTimes(EmbeddedKafkaBroker broker,
            com.fasterxml.jackson.databind.node.ObjectNode event, String e164) {
        post(event);
        post(event);
        com.fasterxml.jackson.databind.node.ObjectNode withCustomer = event.deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) withCustomer.get("data")).put("customerE164", e164);
        Topics.send(broker, "callbridge.call-events", e164, Events.bytes(withCustomer));
        com.fasterxml.jackson.databind.node.ObjectNode later = event.deepCopy();
        later.put("id", java.util.UUID.randomUUID().toString());
        com.fasterxml.jackson.databind.node.ObjectNode data = (com.fasterxml.jackson.databind.node.ObjectNode) later.get("data");
        data.put("callId", "call-" + later.get("id").asText());
        data.remove("qualification");
        data.remove("callback");
        data.putArray("intents");
        post(later);
        return later;
    }

    /** Waits until each of these commands of the event ({@code <rule>:<index>}) is delivered to the CRM. */
    public void awaitDelivered(String crm, com.fasterxml.jackson.databind.node.ObjectNode event, java.util.List<String> commands) {
        String id = event.get("id").asText();
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(45)).pollInterval(java.time.Duration.ofMillis(200))
                .until(() -> commands.stream().allMatch(c -> ledger().state(crm, id + ":" + c) == io.callbridge.delivery.CommandLedger.State.DONE));
    }

    /** The dead letters of a CRM that belong to an event, as {@code GET /v1/dlq/<crm>} lists them for an admin key. */
    public java.util.List<com.fasterxml.jackson.databind.JsonNode> deadLetters(String crm, String adminKey, String eventId) {
        java.net.http.HttpResponse<String> r = Events.send(java.net.http.HttpRequest.newBuilder(uri("/v1/dlq/" + crm))
                .header("Authorization", "Bearer " + adminKey).GET().build());
        org.assertj.core.api.Assertions.assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        com.fasterxml.jackson.databind.JsonNode body = Events.parse(r.body().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        java.util.List<com.fasterxml.jackson.databind.JsonNode> out = new java.util.ArrayList<>();
        (body.isArray() ? body : body.path("deadLetters")).forEach(d -> {
            if (d.path("commandId").asText().startsWith(eventId)) {
                out.add(d);
            }
        });
        return out;
    }

    /** Where each command's delivery state is kept. */
    public io.callbridge.delivery.CommandLedger ledger() {
        return context().getRegistry().lookupByNameAndType("commandLedger", io.callbridge.delivery.CommandLedger.class);
    }

    /** What Prometheus reads on {@code /observe/metrics}, with the manager's key every test instance has. */
    public String metrics() {
        java.net.http.HttpResponse<String> r = Events.send(java.net.http.HttpRequest.newBuilder(uri("/observe/metrics"))
                .header("Authorization", "Bearer " + METRICS_KEY).GET().build());
        org.assertj.core.api.Assertions.assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return r.body();
    }

    public int httpPort() {
        return httpPort;
    }

    public URI uri(String path) {
        return URI.create("http://localhost:" + httpPort + path);
    }

    @Override
    public void close() {
        try {
            main.stop();
        } catch (Exception e) {
            throw new IllegalStateException("Callbridge did not stop cleanly", e);
        }
    }

    public static final class Builder {
        private final Map<String, String> properties = new LinkedHashMap<>();
        private final Map<String, Object> beans = new LinkedHashMap<>();

        /** A bean in Camel's registry before Callbridge configures itself (an OpenTelemetry to trace with, say). */
        public Builder bind(String name, Object bean) {
            beans.put(name, bean);
            return this;
        }

        public Builder with(String key, String value) {
            properties.put(key, value);
            return this;
        }

        public Builder with(Map<String, String> settings) {
            properties.putAll(settings);
            return this;
        }

        /** Retries within a second and a breaker that opens after 3 failures and probes every second, for connector tests. */
        public Builder fastRetries() {
            return with("callbridge.delivery.retry.initial-ms", "200").with("callbridge.delivery.retry.max-ms", "1000")
                    .with("callbridge.delivery.breaker.failure-threshold", "3").with("callbridge.delivery.breaker.probe-interval-ms", "1000")
                    .with("callbridge.delivery.max-attempts", "3");
        }

        public CallbridgeApp start() {
            // a port of the test's choosing when something must know it before the app starts (a CRM's webhook URL)
            int port = properties.containsKey("callbridge.http.port") ? Integer.parseInt(properties.get("callbridge.http.port"))
                    : EmbeddedKafkaBroker.freePort();
            Main main = Callbridge.create();
            main.addOverrideProperty("callbridge.http.port", String.valueOf(port));
            main.addOverrideProperty("callbridge.shutdown-timeout-seconds", "5");
            // camel-kafka's consumer (identify-warmup) only pauses for a stop when its poll returns: with the default
            // 5 s poll every close() waited about 4 s for an idle poll to end; records are still handed over as soon
            // as they arrive, so only the idle wait is shorter
            if (!properties.containsKey("camel.component.kafka.poll-timeout-ms")) {
                main.addOverrideProperty("camel.component.kafka.poll-timeout-ms", "500");
            }
            if (!properties.containsKey("callbridge.http.tls.cert-file")) {
                main.addOverrideProperty("callbridge.http.plain", "true");
            }
            // the CRMs of a test are simulators on localhost
            for (String crm : io.callbridge.crm.CrmCatalog.load().names()) {
                properties.putIfAbsent("callbridge.crm." + crm + ".allow-plain-http", "true");
            }
            // a manager's key beside the test's own, as Prometheus has one, so that every test can read the metrics
            String keys = properties.get("callbridge.api-keys");
            properties.put("callbridge.api-keys", (keys == null ? "" : keys + ",") + io.callbridge.http.ApiKeys.hashed(METRICS_KEY)
                    + ":manager");
            properties.forEach(main::addOverrideProperty);
            beans.forEach(main::bind);
            try {
                main.start();
            } catch (Exception e) {
                throw new IllegalStateException("Callbridge did not start: " + e.getMessage(), e);
            }
            return new CallbridgeApp(main, port);
        }
    }
}
