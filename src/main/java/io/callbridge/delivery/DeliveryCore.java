package io.callbridge.delivery;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.callbridge.config.Settings;
import io.callbridge.crm.CrmConnector;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.apache.camel.support.service.ServiceSupport;

/**
 * The delivery core every CRM shares: for each enabled CRM a pacer ({@code pacer-<crm>}), a {@link Delivery}
 * and its {@link DeliveryConsumer}; the ledger and the dead-letter writer. The consumers start once Camel has
 * fully started (the connectors' routes are there) and stop taking work as soon as it begins to stop.
 */
public final class DeliveryCore extends ServiceSupport {

    private final Map<String, Pacer> pacers = new LinkedHashMap<>();
    private final List<DeliveryConsumer> consumers = new ArrayList<>();
    private final DeadLetterWriter deadLetters;

    public DeliveryCore(Settings settings, String brokers, CommandLedger ledger, Map<String, CrmConnector> connectors,
            long producerTimeoutMs, Duration stopTimeout, Clock clock) {
        this.deadLetters = new DeadLetterWriter(brokers, producerTimeoutMs, clock);
        Pacer.Policy policy = DeliverySettings.policy(settings);
        int maxRecords = settings.getInt(DeliverySettings.BATCH_MAX_RECORDS);
        connectors.forEach((crm, connector) -> {
            Pacer pacer = new Pacer(crm, policy, clock, crm.hashCode());
            pacers.put(crm, pacer);
            Delivery delivery = new Delivery(crm, ledger, connector, pacer, deadLetters, clock);
            consumers.add(new DeliveryConsumer(crm, brokers, delivery, pacer, maxRecords, stopTimeout, clock));
        });
    }

    public Map<String, Pacer> pacers() {
        return pacers;
    }

    /** Starts the consumers when Camel has fully started, and stops their work when it begins to stop. */
    public void attach(CamelContext context) throws Exception {
        context.addService(this, true, true);
        context.addStartupListener(new org.apache.camel.StartupListener() {
            @Override
            public void onCamelContextStarted(CamelContext ctx, boolean alreadyStarted) {
                // the connectors' routes are started only once the context is fully started
            }

            @Override
            public void onCamelContextFullyStarted(CamelContext ctx, boolean alreadyStarted) {
                consumers.forEach(DeliveryConsumer::start);
            }
        });
        context.getManagementStrategy().addEventNotifier(new EventNotifierSupport() {
            @Override
            public void notify(CamelEvent event) {
                consumers.forEach(DeliveryConsumer::stopTakingWork);
            }

            @Override
            public boolean isEnabled(CamelEvent event) {
                return event.getType() == CamelEvent.Type.CamelContextStopping;
            }
        });
    }

    @Override
    protected void doStop() {
        consumers.forEach(DeliveryConsumer::stop);
        deadLetters.close();
    }
}
