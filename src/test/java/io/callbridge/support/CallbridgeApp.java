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

    /** Where each command's delivery state is kept. */
    public io.callbridge.delivery.CommandLedger ledger() {
        return context().getRegistry().lookupByNameAndType("commandLedger", io.callbridge.delivery.CommandLedger.class);
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

        public Builder with(String key, String value) {
            properties.put(key, value);
            return this;
        }

        public Builder with(Map<String, String> settings) {
            properties.putAll(settings);
            return this;
        }

        public CallbridgeApp start() {
            int port = EmbeddedKafkaBroker.freePort();
            Main main = Callbridge.create();
            main.addOverrideProperty("callbridge.http.port", String.valueOf(port));
            main.addOverrideProperty("callbridge.shutdown-timeout-seconds", "5");
            properties.forEach(main::addOverrideProperty);
            try {
                main.start();
            } catch (Exception e) {
                throw new IllegalStateException("Callbridge did not start: " + e.getMessage(), e);
            }
            return new CallbridgeApp(main, port);
        }
    }
}
