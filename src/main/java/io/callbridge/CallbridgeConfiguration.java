package io.callbridge;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;

import io.callbridge.broker.EmbeddedKafkaBroker;
import io.callbridge.broker.TopicProvisioner;
import io.callbridge.broker.TopicProvisioner.TopicSpec;
import io.callbridge.config.Settings;
import io.callbridge.delivery.CommandLedger;
import io.callbridge.delivery.CommandRouting;
import io.callbridge.delivery.DeadLetterApi;
import io.callbridge.delivery.DeadLetters;
import io.callbridge.delivery.Delivery;
import io.callbridge.delivery.Pacer;
import io.callbridge.delivery.QuietExceptionHandler;
import io.callbridge.delivery.WebhookSink;
import io.callbridge.http.ApiKeys;
import io.callbridge.http.HttpProblems;
import io.callbridge.http.VertxProblemHandlers;
import io.callbridge.identify.IdentifyBeans;
import io.callbridge.intake.AcceptedEventIds;
import io.callbridge.mapping.DryRun;
import io.callbridge.mapping.LiveMappings;
import io.callbridge.mapping.MappingException;
import io.callbridge.mapping.Mappings;
import io.callbridge.intake.CallEventIntake;
import io.callbridge.intake.CallEventValidator;
import io.callbridge.intake.WebhookSignature;
import io.callbridge.phone.PhoneNormalizer;
import io.callbridge.sandbox.CrmSandbox;
import io.callbridge.sandbox.SandboxCrms;
import io.callbridge.sandbox.SandboxSettings;
import io.callbridge.state.KafkaBackedStore;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires Callbridge before any route starts: the broker (embedded or configured), the topics, and the
 * beans the YAML routes call by name. Misconfiguration stops start-up here with a message that says
 * which setting to fix.
 */
public class CallbridgeConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(CallbridgeConfiguration.class);

    public static final String CALL_EVENTS_TOPIC = "callbridge.call-events";
    public static final String INTAKE_DLQ_TOPIC = "callbridge.dlq.intake";
    public static final String NOTIFICATIONS_TOPIC = "callbridge.notifications";
    public static final String ACCEPTED_IDS_TOPIC = "callbridge.intake.accepted-ids";
    public static final String LEDGER_TOPIC = "callbridge.delivery.ledger";

    @Override
    public void configure(CamelContext context) throws Exception {
        Settings settings = new Settings(context);
        startSandbox(context, settings);
        LiveMappings mappings = loadMappings(settings);
        String brokers = startBroker(context, settings);
        provisionTopics(settings, brokers);
        bindBeans(context, settings, brokers);
        IdentifyBeans.bind(context, settings);
        printDevApiKey(context, settings);
        bindMappings(context, settings, mappings);
        io.callbridge.crm.salesforce.SalesforceBeans.bind(context, settings);
        io.callbridge.crm.rest.RestConnectors.bind(context, settings);
        skipDisabledCrms(context, settings);
    }

    /**
     * The routes of a CRM that is not enabled are not even created: its delivery consumer
     * ({@code deliver-<crm>}) and its connector, whose route ids start with {@code crm-<crm>},
     * {@code probe-<crm>} or {@code <crm>-} by convention (so a connector's component, e.g. camel-salesforce,
     * is never started without its settings).
     */
    private static void skipDisabledCrms(CamelContext context, Settings settings) {
        String disabled = Settings.CRMS.stream().filter(crm -> !settings.crmEnabled(crm))
                .map(crm -> String.join(",", "deliver-" + crm, "crm-" + crm + "*", "probe-" + crm, crm + "-*"))
                .collect(java.util.stream.Collectors.joining(","));
        if (!disabled.isEmpty()) {
            ((org.apache.camel.model.ModelCamelContext) context).setRouteFilterPattern(null, disabled);
        }
    }

    /**
     * The dev profile's CRM sandbox: every enabled CRM without a URL of its own is served locally and
     * pointed at. Production, with no sandbox, fails on a missing URL instead of writing to memory.
     */
    private static void startSandbox(CamelContext context, Settings settings) {
        if (!settings.getBoolean("callbridge.sandbox.enabled", false)) {
            return;
        }
        Set<String> crms = new LinkedHashSet<>();
        for (String crm : settings.enabledCrms()) {
            if (settings.crmBaseUrl(crm).isEmpty() && SandboxCrms.supports(crm)) {
                crms.add(crm);
            }
        }
        if (crms.isEmpty()) {
            return;
        }
        CrmSandbox sandbox = CrmSandbox.start(SandboxSettings.fromProperties(key -> settings.find(key).orElse(null), crms));
        context.getRegistry().bind("crmSandbox", sandbox);
        addStoppable(context, sandbox::close);
        for (String crm : crms) {
            settings.override("callbridge.crm." + crm + "." + (crm.equals("salesforce") ? "login-url" : "base-url"),
                    sandbox.baseUrl(crm));
        }
    }

    /** Rules and templates are checked before anything starts: a broken one stops start-up with file and line. */
    static LiveMappings loadMappings(Settings settings) throws MappingException {
        Path dir = Path.of(settings.get("callbridge.mappings.dir", "mappings"));
        ZoneId zone = ZoneId.of(settings.get("callbridge.timezone", "Europe/Zurich"));
        List<String> crms = settings.enabledCrms();
        return new LiveMappings(dir, () -> Mappings.load(dir, crms, key -> settings.find(key).orElse(null), zone,
                Clock.systemUTC()), settings.getLong("callbridge.mappings.reload-interval-ms", 0));
    }

    private static void bindMappings(CamelContext context, Settings settings, LiveMappings mappings) {
        addService(context, mappings);
        context.getRegistry().bind("mappings", mappings);
        context.getRegistry().bind("commandRouting", new CommandRouting(mappings));
        context.getRegistry().bind("apiKeys", new ApiKeys(settings.get("callbridge.api-keys", null)));
        context.getRegistry().bind("dryRun", new DryRun(mappings, settings::crmBaseUrl, IdentifyBeans.finders(context)));
    }

    private String startBroker(CamelContext context, Settings settings) {
        if (!settings.getBoolean("callbridge.kafka.embedded", false)) {
            return settings.require("callbridge.kafka.brokers",
                    "set it to your Kafka bootstrap servers (host:port,host:port), or start with the dev profile "
                            + "(-Dcamel.main.profile=dev) or callbridge.kafka.embedded=true for an in-process broker");
        }
        String brokers = settings.get("callbridge.kafka.brokers", "localhost:9092");
        int port = portOf(brokers);
        EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(port,
                settings.getInt("callbridge.kafka.embedded.controller-port", 0),
                Path.of(settings.get("callbridge.kafka.embedded.data-dir", "data/kafka")),
                settings.getInt("callbridge.kafka.partitions", 6)).start();
        context.getRegistry().bind("embeddedKafkaBroker", broker);
        addStoppable(context, broker::close);
        settings.override("callbridge.kafka.brokers", broker.bootstrapServers());
        return broker.bootstrapServers();
    }

    private static int portOf(String brokers) {
        String first = brokers.split(",")[0].trim();
        int colon = first.lastIndexOf(':');
        try {
            return Integer.parseInt(first.substring(colon + 1));
        } catch (RuntimeException e) {
            throw new IllegalStateException("callbridge.kafka.brokers must be host:port for the embedded broker, not '"
                    + brokers + "'");
        }
    }

    private static void provisionTopics(Settings settings, String brokers) {
        List<TopicSpec> topics = new ArrayList<>();
        topics.add(TopicSpec.of(CALL_EVENTS_TOPIC));
        topics.add(TopicSpec.of(INTAKE_DLQ_TOPIC));
        topics.add(TopicSpec.of(NOTIFICATIONS_TOPIC));
        topics.add(new TopicSpec(ACCEPTED_IDS_TOPIC, Map.of("cleanup.policy", "compact,delete",
                "retention.ms", String.valueOf(settings.getLong("callbridge.intake.dedup-retention-ms", 7L * 24 * 3600 * 1000)))));
        topics.add(new TopicSpec(LEDGER_TOPIC, Map.of("cleanup.policy", "compact")));
        for (String crm : settings.enabledCrms()) {
            topics.add(TopicSpec.of("callbridge.crm." + crm));
            topics.add(TopicSpec.of("callbridge.dlq." + crm));
        }
        TopicProvisioner.ensureTopics(brokers, topics, settings.getInt("callbridge.kafka.partitions", 6),
                (short) settings.getInt("callbridge.kafka.replication", 1),
                settings.getLong("callbridge.kafka.startup-timeout-ms", 30_000));
    }

    private static void bindBeans(CamelContext context, Settings settings, String brokers) throws Exception {
        Clock clock = Clock.systemUTC();
        PhoneNormalizer phones = new PhoneNormalizer(settings.get("callbridge.default-region", "CH"));
        WebhookSignature signature = new WebhookSignature(settings.get("callbridge.webhook.secret", null),
                settings.getLong("callbridge.webhook.tolerance-seconds", 300), clock);
        if (!signature.enabled()) {
            LOG.warn("callbridge.webhook.secret is not set: POST /v1/call-events accepts unsigned events");
        }
        context.getRegistry().bind("phoneNormalizer", phones);
        context.getRegistry().bind("pii", new io.callbridge.logging.Pii());
        context.getRegistry().bind("intake", new CallEventIntake(new CallEventValidator(phones), signature));

        KafkaBackedStore acceptedIds = new KafkaBackedStore(ACCEPTED_IDS_TOPIC, brokers,
                settings.getLong("callbridge.intake.dedup-max-entries", 1_000_000),
                settings.getLong("callbridge.kafka.producer-timeout-ms", 3000));
        addService(context, acceptedIds);
        context.getRegistry().bind("acceptedEventIds", new AcceptedEventIds(acceptedIds));

        context.getRegistry().bind("httpProblems", new HttpProblems(settings.getInt("callbridge.http.retry-after-seconds", 5)));
        context.getRegistry().bind("deadLetters", new DeadLetters(clock));

        bindDelivery(context, settings, brokers, clock, signature);

        int port = settings.getInt("callbridge.http.port", 8080);
        VertxProblemHandlers handlers = new VertxProblemHandlers(settings.getLong("callbridge.http.max-body-bytes", 262_144));
        context.addStartupListener(new StartupListener() {
            @Override
            public void onCamelContextStarted(CamelContext ctx, boolean alreadyStarted) {
                // the platform-http router exists only once the context is fully started
            }

            @Override
            public void onCamelContextFullyStarted(CamelContext ctx, boolean alreadyStarted) {
                handlers.install(ctx, port);
            }
        });
    }

    /** The delivery core every CRM shares: ledger, pacers, error classification, dead letters, webhook sink. */
    private static void bindDelivery(CamelContext context, Settings settings, String brokers, Clock clock,
            WebhookSignature intakeSignature) throws Exception {
        KafkaBackedStore ledgerStore = new KafkaBackedStore(LEDGER_TOPIC, brokers,
                settings.getLong("callbridge.delivery.ledger-max-entries", 2_000_000),
                settings.getLong("callbridge.kafka.producer-timeout-ms", 3000));
        addService(context, ledgerStore);
        CommandLedger ledger = new CommandLedger(ledgerStore, clock);
        context.getRegistry().bind("commandLedger", ledger);
        Pacer.Policy policy = new Pacer.Policy(
                Duration.ofMillis(settings.getLong("callbridge.delivery.retry.initial-ms", 1000)),
                Duration.ofMillis(settings.getLong("callbridge.delivery.retry.max-ms", 60_000)),
                Double.parseDouble(settings.get("callbridge.delivery.retry.jitter", "0.2")),
                settings.getInt("callbridge.delivery.breaker.failure-threshold", 5),
                Duration.ofMillis(settings.getLong("callbridge.delivery.breaker.probe-interval-ms", 5000)),
                settings.getInt("callbridge.delivery.max-attempts", 5));
        Map<String, Pacer> pacers = new LinkedHashMap<>();
        for (String crm : Settings.CRMS) {
            Pacer pacer = new Pacer(crm, policy, clock, crm.hashCode());
            pacers.put(crm, pacer);
            context.getRegistry().bind("pacer-" + crm, pacer);
        }
        Delivery delivery = new Delivery(ledger, pacers, context.getRegistry().lookupByNameAndType("deadLetters",
                DeadLetters.class), clock);
        context.getRegistry().bind("delivery", delivery);
        context.getRegistry().bind("quietDeliveryErrors", new QuietExceptionHandler());
        context.getRegistry().bind("deadLetterApi", new DeadLetterApi(brokers, ledgerStore, ledger));
        context.getRegistry().bind("webhookSink", new WebhookSink(
                new WebhookSignature(settings.get("callbridge.crm.webhook.secret", null), 300, clock),
                settings.get("callbridge.crm.webhook.check-url", null)));
        context.addStartupListener((ctx, alreadyStarted) -> {
            delivery.setProducer(ctx.createProducerTemplate());
            publishDeliveryMetrics(ctx, pacers);
        });
    }

    /** Breaker and pause state per CRM on /observe/metrics, so an outage and its recovery are visible. */
    private static void publishDeliveryMetrics(CamelContext context, Map<String, Pacer> pacers) {
        io.micrometer.core.instrument.MeterRegistry meters =
                context.getRegistry().findSingleByType(io.micrometer.core.instrument.MeterRegistry.class);
        if (meters == null) {
            return;
        }
        for (Pacer pacer : pacers.values()) {
            io.micrometer.core.instrument.Gauge.builder("callbridge.delivery.breaker.open", pacer, p -> p.breakerOpen() ? 1 : 0)
                    .description("1 while the CRM's circuit breaker is open").tag("crm", pacer.crm()).register(meters);
            io.micrometer.core.instrument.FunctionCounter.builder("callbridge.delivery.breaker.openings", pacer, Pacer::breakerOpenings)
                    .description("times the CRM's circuit breaker opened").tag("crm", pacer.crm()).register(meters);
            io.micrometer.core.instrument.Gauge.builder("callbridge.delivery.consumer.paused", pacer, p -> p.isPaused() ? 1 : 0)
                    .description("1 while the CRM's consumer is paused for a retry").tag("crm", pacer.crm()).register(meters);
            io.micrometer.core.instrument.FunctionCounter.builder("callbridge.delivery.retries", pacer, Pacer::pauses)
                    .description("commands the CRM's consumer paused to retry").tag("crm", pacer.crm()).register(meters);
        }
    }

    private static void printDevApiKey(CamelContext context, Settings settings) {
        if (!"dev".equals(context.getCamelContextExtension().getProfile()) || settings.find("callbridge.api-keys").isPresent()) {
            return;
        }
        String key = "dev-" + HexFormat.of().formatHex(new SecureRandom().generateSeed(12));
        settings.override("callbridge.api-keys", key + ":admin");
        // stdout, not the log: the key is meant for the developer at the terminal, never for log shipping
        System.out.println("Callbridge dev API key (admin): " + key);
        System.out.flush();
    }

    private static void addService(CamelContext context, ServiceSupport service) throws RuntimeException {
        try {
            context.addService(service, true, true);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void addStoppable(CamelContext context, Runnable stop) {
        addService(context, new ServiceSupport() {
            @Override
            protected void doStop() {
                stop.run();
            }
        });
    }
}
