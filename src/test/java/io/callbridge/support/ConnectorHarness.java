package io.callbridge.support;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callbridge.broker.EmbeddedKafkaBroker;

/**
 * Callbridge with one CRM's connector on that CRM's sandbox, as the CRM's connector IT uses it: started once with
 * the connector's settings and an admin key; for a test that needs other settings, replaced by an instance with them
 * (the same consumer group, so it takes over what is pending) and restored afterwards; customer numbers from the
 * IT's own range, so ITs sharing a broker never share a caller.
 */
public final class ConnectorHarness implements AutoCloseable {

    public static final String ADMIN = "admin-connector-key";

    private final String crm;
    private final EmbeddedKafkaBroker broker = TestBroker.shared();
    private final Map<String, String> settings;
    private final AutoCloseable sandbox;
    private final String numberPrefix;
    private final AtomicInteger numbers = new AtomicInteger();
    private CallbridgeApp app;

    private ConnectorHarness(String crm, Map<String, String> settings, AutoCloseable sandbox, String numberPrefix) {
        this.crm = crm;
        this.settings = Map.copyOf(settings);
        this.sandbox = sandbox;
        this.numberPrefix = numberPrefix;
    }

    /**
     * @param sandbox      closed with the harness
     * @param numberPrefix the first seven characters of the IT's numbers ({@code +417960}), five digits follow
     */
    public static ConnectorHarness start(String crm, Map<String, String> settings, AutoCloseable sandbox, String numberPrefix) {
        ConnectorHarness h = new ConnectorHarness(crm, settings, sandbox, numberPrefix);
        h.app = h.startApp(Map.of());
        return h;
    }

    private CallbridgeApp startApp(Map<String, String> more) {
        return CallbridgeApp.on(broker).with(settings).with("callbridge.api-keys", ADMIN + ":admin").fastRetries().with(more).start();
    }

    public CallbridgeApp app() {
        return app;
    }

    public EmbeddedKafkaBroker broker() {
        return broker;
    }

    public String newNumber() {
        return numberPrefix + String.format("%05d", numbers.incrementAndGet());
    }

    public void awaitDelivered(ObjectNode event, List<String> commands) {
        app.awaitDelivered(crm, event, commands);
    }

    /** Runs a test against an instance with {@code more} settings in place of the usual one, which is back afterwards. */
    public void with(Map<String, String> more, Consumer<CallbridgeApp> test) {
        app.close();
        app = null;
        try (CallbridgeApp other = startApp(more)) {
            test.accept(other);
        } finally {
            app = startApp(Map.of());
        }
    }

    /** The dead letters of an event, as the admin API lists them. */
    public List<JsonNode> deadLetters(CallbridgeApp on, ObjectNode event) {
        return on.deadLetters(crm, ADMIN, event.get("id").asText());
    }

    @Override
    public void close() throws Exception {
        try {
            if (app != null) {
                app.close();
            }
        } finally {
            sandbox.close();
        }
    }
}
