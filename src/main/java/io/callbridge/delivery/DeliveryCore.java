package io.callbridge.delivery;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.callbridge.broker.BatchConsumer;
import io.callbridge.broker.KafkaClients;
import io.callbridge.broker.KafkaSettings;
import io.callbridge.broker.Publisher;
import io.callbridge.config.Settings;
import io.callbridge.crm.CrmConnector;
import io.callbridge.intake.CallEventValidator;
import io.callbridge.mapping.LiveMappings;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.apache.camel.support.service.ServiceSupport;

/**
 * The path every event takes after intake, the same for every CRM: the core consumer of
 * {@code callbridge.call-events} ({@link CommandRouting}, group {@code callbridge-core}), and for each enabled CRM
 * a pacer ({@code pacer-<crm>}), a {@link Delivery} and its consumer of {@code callbridge.crm.<crm>}; the
 * ledger, the producer and the dead-letter writer they share. The consumers start once Camel has fully started
 * (the connectors' routes are there) and stop taking work as soon as it begins to stop.
 */
public final class DeliveryCore extends ServiceSupport {

    /** Registry name of the core consumer (tests stop it to let call events pile up). */
    public static final String CORE_CONSUMER = "coreConsumer";
    /** Registry name prefix of a CRM's delivery consumer (tests stop it to let commands pile up). */
    public static final String DELIVERY_CONSUMER = "deliveryConsumer-";

    private final Map<String, Pacer> pacers = new LinkedHashMap<>();
    private final Map<String, BatchConsumer> deliveryConsumers = new LinkedHashMap<>();
    private final List<BatchConsumer> consumers = new ArrayList<>();
    private final BatchConsumer core;
    private final Publisher publisher;

    public DeliveryCore(Settings settings, KafkaClients clients, CommandLedger ledger, Map<String, CrmConnector> connectors,
            CallEventValidator validator, LiveMappings mappings, long producerTimeoutMs, Duration stopTimeout, Clock clock,
            DeliveryMetrics metrics, io.callbridge.erasure.SubjectCodec codec) {
        this.publisher = new Publisher("callbridge-core", clients, producerTimeoutMs);
        DeadLetterWriter deadLetters = new DeadLetterWriter(publisher, clock, codec);
        Pacer.Policy policy = DeliverySettings.policy(settings);
        CommandRouting routing = new CommandRouting(validator, mappings, publisher, deadLetters, policy.initialBackoff(), codec);
        this.core = new BatchConsumer("callbridge.call-events", "callbridge-core", clients, routing,
                settings.getInt(DeliverySettings.CORE_BATCH_MAX_EVENTS), Duration.ofMillis(settings.getLong(KafkaSettings.SESSION_TIMEOUT_MS)),
                stopTimeout, clock);
        int maxRecords = settings.getInt(DeliverySettings.BATCH_MAX_RECORDS);
        Duration session = Duration.ofMillis(settings.getLong(KafkaSettings.SESSION_TIMEOUT_MS));
        CrashPoint crash = new CrashPoint(settings.find(DeliverySettings.CRASH_AT).orElse(""));
        connectors.forEach((crm, connector) -> {
            Pacer pacer = new Pacer(crm, policy, clock, crm.hashCode());
            pacers.put(crm, pacer);
            Delivery delivery = new Delivery(crm, ledger, connector, pacer, deadLetters, crash, clock, metrics, codec);
            deliveryConsumers.put(crm, new BatchConsumer(topic(crm), group(crm), clients, delivery,
                    maxRecords, session, stopTimeout, clock));
        });
        consumers.add(core);
        consumers.addAll(deliveryConsumers.values());
    }

    /** The CRM's command topic, and the consumer group that delivers it. */
    public static String topic(String crm) {
        return "callbridge.crm." + crm;
    }

    public static String group(String crm) {
        return "callbridge-crm-" + crm;
    }

    public Map<String, Pacer> pacers() {
        return pacers;
    }

    /** Starts the consumers when Camel has fully started, and stops their work when it begins to stop. */
    public void attach(CamelContext context) throws Exception {
        context.addService(this, true, true);
        context.getRegistry().bind(CORE_CONSUMER, core);
        deliveryConsumers.forEach((crm, consumer) -> context.getRegistry().bind(DELIVERY_CONSUMER + crm, consumer));
        context.addStartupListener(new org.apache.camel.StartupListener() {
            @Override
            public void onCamelContextStarted(CamelContext ctx, boolean alreadyStarted) {
                // the connectors' routes are started only once the context is fully started
            }

            @Override
            public void onCamelContextFullyStarted(CamelContext ctx, boolean alreadyStarted) {
                consumers.forEach(BatchConsumer::start);
            }
        });
        context.getManagementStrategy().addEventNotifier(new EventNotifierSupport() {
            @Override
            public void notify(CamelEvent event) {
                consumers.forEach(BatchConsumer::stopTakingWork);
            }

            @Override
            public boolean isEnabled(CamelEvent event) {
                return event.getType() == CamelEvent.Type.CamelContextStopping;
            }
        });
    }

    @Override
    protected void doStart() {
        publisher.start();
    }

    @Override
    protected void doStop() {
        consumers.forEach(BatchConsumer::stop);
        publisher.stop();
    }
}
