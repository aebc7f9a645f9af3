package io.callbridge;

import java.time.Clock;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.callbridge.audit.AuditLog;
import io.callbridge.audit.AuditMetrics;
import io.callbridge.audit.AuditSettings;
import io.callbridge.audit.AuditTrail;
import io.callbridge.broker.BrokerReadiness;
import io.callbridge.broker.ConsumerLag;
import io.callbridge.broker.KafkaClients;
import io.callbridge.broker.KafkaSettings;
import io.callbridge.broker.Publisher;
import io.callbridge.broker.TopicProvisioner;
import io.callbridge.broker.TopicProvisioner.TopicSpec;
import io.callbridge.config.Ports;
import io.callbridge.config.Settings;
import io.callbridge.crm.CallerSearch;
import io.callbridge.crm.Crm;
import io.callbridge.crm.CrmCatalog;
import io.callbridge.crm.CrmConnection;
import io.callbridge.crm.CrmConnector;
import io.callbridge.crm.CrmContext;
import io.callbridge.console.ConsoleAssets;
import io.callbridge.console.RecentEvents;
import io.callbridge.crm.CrmHttp;
import io.callbridge.crm.CrmMetrics;
import io.callbridge.crm.CrmSettings;
import io.callbridge.crm.PersonDeletion;
import io.callbridge.delivery.CommandLedger;
import io.callbridge.delivery.CrmReadiness;
import io.callbridge.delivery.DeadLetterApi;
import io.callbridge.delivery.DeliveryCore;
import io.callbridge.delivery.DeliveryMetrics;
import io.callbridge.delivery.DeliverySettings;
import io.callbridge.dev.DevServices;
import io.callbridge.erasure.ErasureSettings;
import io.callbridge.erasure.SubjectCipher;
import io.callbridge.erasure.SubjectCodec;
import io.callbridge.erasure.SubjectKeys;
import io.callbridge.intake.EventSealing;
import io.callbridge.subjects.CrmPersonErasure;
import io.callbridge.subjects.SubjectErasures;
import io.callbridge.http.ApiKeys;
import io.callbridge.http.HttpProblems;
import io.callbridge.http.HttpServerSetup;
import io.callbridge.http.HttpSettings;
import io.callbridge.http.VertxProblemHandlers;
import io.callbridge.identify.CallerLookups;
import io.callbridge.identify.IdentifySettings;
import io.callbridge.identify.LookupMetrics;
import io.callbridge.intake.AcceptedEventIds;
import io.callbridge.intake.CallEventIntake;
import io.callbridge.intake.CallEventValidator;
import io.callbridge.intake.EventPublisher;
import io.callbridge.intake.IntakeMetrics;
import io.callbridge.intake.IntakeSettings;
import io.callbridge.intake.WebhookSignature;
import io.callbridge.logging.LogFormat;
import io.callbridge.logging.Pii;
import io.callbridge.mapping.LiveMappings;
import io.callbridge.mapping.MappingSettings;
import io.callbridge.phone.PhoneNormalizer;
import io.callbridge.plan.DryRun;
import io.callbridge.state.KafkaBackedStore;
import io.callbridge.tracing.CloudEventTraceParent;
import io.callbridge.tracing.Tracing;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.camel.main.MainConfigurationProperties;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires Callbridge before any route starts, each part built from the parts it needs: the dev services
 * (when asked), the enabled CRMs of the catalog and the route files they bring, the mappings, the topics,
 * intake, caller identification, the connectors and the delivery core. The YAML routes call the beans bound
 * here by name. A misconfiguration stops start-up here with the setting to fix.
 */
public class CallbridgeConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(CallbridgeConfiguration.class);

    public static final String CALL_EVENTS_TOPIC = "callbridge.call-events";
    public static final String INTAKE_DLQ_TOPIC = "callbridge.dlq.intake";
    public static final String NOTIFICATIONS_TOPIC = "callbridge.notifications";
    public static final String ACCEPTED_IDS_TOPIC = "callbridge.intake.accepted-ids";
    public static final String LEDGER_TOPIC = "callbridge.delivery.ledger";
    public static final String SUBJECT_KEYS_TOPIC = "callbridge.subject-keys";
    public static final String ERASURES_TOPIC = "callbridge.erasures";

    private final MainConfigurationProperties main;
    private final CrmCatalog catalog;

    public CallbridgeConfiguration(MainConfigurationProperties main, CrmCatalog catalog) {
        this.main = main;
        this.catalog = catalog;
    }

    @Override
    public void configure(CamelContext context) throws Exception {
        Settings settings = new Settings(context);
        LogFormat.apply(settings.get(LogFormat.FORMAT));
        context.getRegistry().bind("cloudEventTraceParent", new CloudEventTraceParent(Tracing.install(context, settings)));
        Clock clock = Clock.systemUTC();
        // before anything starts: the server would only fail once the broker and the sandbox are up, with a stack trace
        Ports.requireFree("0.0.0.0", settings.getInt(HttpSettings.PORT), "Callbridge's HTTP API", HttpSettings.PORT);
        DevServices dev = DevServices.start(settings, catalog, context.getCamelContextExtension().getProfile());
        onStop(context, dev::close);

        List<Crm> enabled = catalog.enabled(settings);
        loadOnlyEnabledRoutes(enabled);
        LiveMappings mappings = LiveMappings.load(settings, catalog.mappingNames(enabled));
        String brokers = dev.brokers().orElseGet(() -> settings.require(KafkaSettings.BROKERS, "set it to your Kafka bootstrap "
                + "servers (host:port,host:port), or start with the dev profile (-Dcamel.main.profile=dev) or "
                + KafkaSettings.EMBEDDED.key() + "=true for an in-process broker"));
        KafkaClients kafka = KafkaClients.load(brokers, settings.find(KafkaSettings.CLIENT_CONFIG));
        kafka.applyTo(context.getComponent("kafka", KafkaComponent.class).getConfiguration());
        java.util.Optional<SubjectCipher> cipher = settings.find(ErasureSettings.MASTER_KEY_FILE).filter(f -> !f.isBlank())
                .map(f -> settings.getBoolean(ErasureSettings.CREATE_MASTER_KEY)
                        ? SubjectCipher.fromFileCreatingIt(java.nio.file.Path.of(f), created -> LOG.info("Created the master key {}: "
                                + "personal data on Callbridge's topics is sealed with keys it wraps; deleting it makes every sealed "
                                + "record unreadable", created))
                        : SubjectCipher.fromFile(java.nio.file.Path.of(f)));
        provisionTopics(settings, kafka, enabled, cipher.isPresent());
        SubjectKeys subjectKeys = cipher.map(c -> new SubjectKeys(subjectKeyStore(context, settings, kafka), c)).orElse(null);
        SubjectCodec codec = cipher.map(c -> new SubjectCodec(c, subjectKeys)).orElseGet(SubjectCodec::inClear);
        if (!codec.sealing()) {
            LOG.info("{} is not set: personal data on Callbridge's topics is written in clear and an erasure cannot shred it",
                    ErasureSettings.MASTER_KEY_FILE.key());
        }
        context.getRegistry().bind("eventSealing", new EventSealing(codec));

        Registry beans = context.getRegistry();
        MeterRegistry meters = beans.lookupByNameAndType(Callbridge.METRICS_REGISTRY, MeterRegistry.class);
        CrmMetrics crmMetrics = new CrmMetrics(meters);
        PhoneNormalizer phones = new PhoneNormalizer(settings.get(PhoneNormalizer.DEFAULT_REGION));
        int retryAfter = settings.getInt(HttpSettings.RETRY_AFTER_SECONDS);
        beans.bind("phoneNormalizer", phones);
        beans.bind("pii", new Pii());
        beans.bind("mappings", mappings);
        service(context, mappings);
        ApiKeys apiKeys = new ApiKeys(settings.get(ApiKeys.KEYS), settings.getDouble(ApiKeys.LOOKUPS_PER_SECOND));
        beans.bind("apiKeys", apiKeys);
        HttpServerSetup.install(context, settings, apiKeys);
        IntakeMetrics intakeMetrics = new IntakeMetrics(meters);
        beans.bind("intakeMetrics", intakeMetrics);
        AuditTrail audit = auditTrail(context, settings, kafka, clock, meters);
        beans.bind("httpProblems", new HttpProblems(retryAfter, intakeMetrics, audit));
        CallEventValidator validator = new CallEventValidator(phones);
        bindIntake(context, settings, kafka, validator, clock, intakeMetrics, codec);

        CrmHttp http = new CrmHttp(java.time.Duration.ofMillis(settings.getLong(IdentifySettings.CRM_TIMEOUT_MS)), crmMetrics);
        onStop(context, http::close);
        Map<String, CrmConnection> connections = new LinkedHashMap<>();
        for (Crm crm : enabled) {
            CrmCatalog.requireHttps(crm, settings);
            connections.put(crm.name(), crm.connect(new CrmContext(settings, mappings, context, http, clock, crmMetrics)));
        }
        Map<String, CallerSearch> searches = new LinkedHashMap<>();
        connections.forEach((crm, connection) -> connection.callerSearch().ifPresent(search -> searches.put(crm, search)));
        java.util.Set<String> followed = new java.util.HashSet<>();
        connections.forEach((crm, connection) -> {
            if (connection.changeNotifications().isPresent() || connection.streamsChanges()) {
                followed.add(crm);
            }
        });
        CallerLookups lookups = new CallerLookups(searches, settings.get(IdentifySettings.PRIMARY_CRM),
                IdentifySettings.from(settings), phones, ZoneId.of(settings.get(MappingSettings.TIMEZONE)), retryAfter,
                new LookupMetrics(meters), followed, io.callbridge.identify.CallerDirectory.Options.from(settings));
        beans.bind("callers", lookups.callers());
        bindCrmChanges(context, settings, kafka, connections, lookups);
        context.addStartupListener((ctx, alreadyStarted) -> lookups.prepare());
        context.addLifecycleStrategy(new org.apache.camel.support.LifecycleStrategySupport() {
            @Override
            public void onContextStopped(CamelContext ctx) {
                lookups.close();
            }
        });

        Map<String, CrmConnector> connectors = new LinkedHashMap<>();
        Map<String, DryRun.Target> targets = new LinkedHashMap<>();
        for (Crm crm : enabled) {
            connectors.put(crm.name(), connections.get(crm.name()).connector(lookups.records(crm.name()), beans::bind));
            targets.put(crm.name(), new DryRun.Target(crm, CrmCatalog.location(crm, settings), lookups.records(crm.name())));
        }
        beans.bind("dryRun", new DryRun(mappings, targets));
        CommandLedger ledger = bindDelivery(context, settings, kafka, clock, connectors, validator, mappings,
                new DeliveryMetrics(meters), codec);
        bindErasure(context, settings, kafka, clock, phones, codec, subjectKeys, ledger, lookups, connections);
        installProblemHandlers(context, settings, intakeMetrics);
    }

    /**
     * The route files of CRMs that are not enabled are not even loaded (so a connector's component, e.g.
     * camel-salesforce, is never created without its settings); those of enabled CRMs are, wherever the
     * catalog says they are.
     */
    private void loadOnlyEnabledRoutes(List<Crm> enabled) {
        List<String> include = new ArrayList<>(List.of(main.getRoutesIncludePattern().split(",")));
        List<String> exclude = new ArrayList<>();
        if (main.getRoutesExcludePattern() != null) {
            exclude.addAll(List.of(main.getRoutesExcludePattern().split(",")));
        }
        for (Crm crm : catalog.all()) {
            if (enabled.contains(crm)) {
                if (!include.contains(crm.routes())) {
                    include.add(crm.routes());
                }
            } else {
                exclude.add(crm.routes());
            }
        }
        main.setRoutesIncludePattern(String.join(",", include));
        main.setRoutesExcludePattern(String.join(",", exclude));
    }

    private static void provisionTopics(Settings settings, KafkaClients kafka, List<Crm> enabled, boolean sealing) {
        List<TopicSpec> topics = new ArrayList<>();
        topics.add(TopicSpec.of(CALL_EVENTS_TOPIC));
        topics.add(TopicSpec.of(INTAKE_DLQ_TOPIC));
        topics.add(TopicSpec.of(NOTIFICATIONS_TOPIC));
        topics.add(new TopicSpec(ACCEPTED_IDS_TOPIC, Map.of("cleanup.policy", "compact,delete",
                "retention.ms", String.valueOf(settings.getLong(IntakeSettings.DEDUP_RETENTION_MS)))));
        topics.add(new TopicSpec(LEDGER_TOPIC, Map.of("cleanup.policy", "compact")));
        // one partition: the trail is read in the order the broker took it, and it is written rarely
        topics.add(new TopicSpec(AuditTrail.TOPIC, Map.of("cleanup.policy", "delete", "retention.ms",
                String.valueOf(java.time.Duration.ofDays(settings.getLong(AuditSettings.RETENTION_DAYS)).toMillis())), 1));
        topics.add(new TopicSpec(ERASURES_TOPIC, Map.of("cleanup.policy", "compact")));
        topics.add(TopicSpec.of(io.callbridge.identify.CrmChanges.TOPIC));
        if (sealing) {
            // a shredded key must leave the log soon: small segments (the active one is never cleaned), the cleaner
            // at the first tombstone, the tombstone itself kept only an hour
            topics.add(new TopicSpec(SUBJECT_KEYS_TOPIC, Map.of("cleanup.policy", "compact", "segment.ms", "3600000",
                    "min.cleanable.dirty.ratio", "0.01", "delete.retention.ms", "3600000", "min.compaction.lag.ms", "0",
                    "max.compaction.lag.ms", "3600000")));
        }
        for (Crm crm : enabled) {
            topics.add(TopicSpec.of(DeliveryCore.topic(crm.name())));
            topics.add(TopicSpec.of("callbridge.dlq." + crm.name()));
        }
        TopicProvisioner.ensureTopics(kafka, topics, settings.getInt(KafkaSettings.PARTITIONS),
                (short) settings.getInt(KafkaSettings.REPLICATION), settings.getLong(KafkaSettings.STARTUP_TIMEOUT_MS));
    }

    private static void bindIntake(CamelContext context, Settings settings, KafkaClients kafka, CallEventValidator validator, Clock clock,
            IntakeMetrics metrics, SubjectCodec codec) throws Exception {
        WebhookSignature signature = new WebhookSignature(settings.get(IntakeSettings.WEBHOOK_SECRET),
                settings.getLong(IntakeSettings.WEBHOOK_TOLERANCE_SECONDS), clock);
        if (!signature.enabled()) {
            LOG.warn("{} is not set: POST /v1/call-events accepts unsigned events", IntakeSettings.WEBHOOK_SECRET.key());
        }
        KafkaBackedStore acceptedIds = new KafkaBackedStore(ACCEPTED_IDS_TOPIC, kafka, settings.getLong(IntakeSettings.DEDUP_MAX_ENTRIES),
                settings.getLong(KafkaSettings.PRODUCER_TIMEOUT_MS));
        service(context, acceptedIds);
        AcceptedEventIds accepted = new AcceptedEventIds(acceptedIds, metrics);
        Publisher producer = new Publisher("callbridge-intake", kafka, settings.getLong(KafkaSettings.PRODUCER_TIMEOUT_MS));
        service(context, producer);
        EventPublisher publisher = new EventPublisher(CALL_EVENTS_TOPIC, producer, codec);
        context.getRegistry().bind("acceptedEventIds", accepted);
        context.getRegistry().bind("intake", new CallEventIntake(validator, signature, accepted, publisher,
                settings.getInt(IntakeSettings.BATCH_MAX_EVENTS), metrics));
    }

    /** The audit trail's writer (bean auditTrail, the routes' steps and the problem answers' listener) and reader (auditLog). */
    private static AuditTrail auditTrail(CamelContext context, Settings settings, KafkaClients kafka, Clock clock, MeterRegistry meters) {
        Publisher producer = new Publisher("callbridge-audit", kafka, settings.getLong(KafkaSettings.PRODUCER_TIMEOUT_MS));
        service(context, producer);
        AuditTrail audit = new AuditTrail(producer, clock, settings.getDouble(AuditSettings.REFUSALS_PER_MINUTE), new AuditMetrics(meters));
        context.getRegistry().bind("auditTrail", audit);
        context.getRegistry().bind("auditLog", new AuditLog(kafka));
        return audit;
    }

    /** The delivery core every CRM shares: ledger, one consumer and pacer per CRM, outcomes, dead letters and their API. */
    private static CommandLedger bindDelivery(CamelContext context, Settings settings, KafkaClients kafka, Clock clock,
            Map<String, CrmConnector> connectors, CallEventValidator validator, LiveMappings mappings, DeliveryMetrics metrics,
            SubjectCodec codec) throws Exception {
        long producerTimeout = settings.getLong(KafkaSettings.PRODUCER_TIMEOUT_MS);
        KafkaBackedStore ledgerStore = new KafkaBackedStore(LEDGER_TOPIC, kafka, settings.getLong(DeliverySettings.LEDGER_MAX_ENTRIES),
                producerTimeout);
        service(context, ledgerStore);
        CommandLedger ledger = new CommandLedger(ledgerStore, clock, codec::key);
        DeliveryCore core = new DeliveryCore(settings, kafka, ledger, connectors, validator, mappings, producerTimeout,
                java.time.Duration.ofSeconds(settings.getLong(Callbridge.SHUTDOWN_TIMEOUT_SECONDS)), clock, metrics, codec);
        core.attach(context);
        core.pacers().forEach((crm, pacer) -> context.getRegistry().bind("pacer-" + crm, pacer));
        // Camel's health registry takes the checks bound in the registry: readiness per CRM and of the broker
        core.pacers().forEach((crm, pacer) -> context.getRegistry().bind("ready-crm-" + crm, new CrmReadiness(pacer)));
        BrokerReadiness broker = new BrokerReadiness(kafka, 2000);
        context.addService(broker, true, true);
        context.getRegistry().bind("ready-broker", broker);
        context.getRegistry().bind("commandLedger", ledger);
        context.getRegistry().bind("deadLetterApi", new DeadLetterApi(Set.copyOf(connectors.keySet()), kafka, ledgerStore, ledger, codec));
        context.getRegistry().bind("recentEvents", new RecentEvents(CALL_EVENTS_TOPIC, kafka, mappings, ledger, codec));
        context.getRegistry().bind("consoleAssets", new ConsoleAssets());
        metrics.pacers(core.pacers().values());
        ConsumerLag lag = new ConsumerLag(kafka, java.time.Duration.ofSeconds(5));
        context.addService(lag, true, true);
        connectors.keySet().forEach(crm -> metrics.backlog(crm, lag, l -> l.of(DeliveryCore.group(crm), DeliveryCore.topic(crm))));
        return ledger;
    }

    /** The CRMs' change notifications: verified per CRM, applied to the caller cache, published for the assistant. */
    private static void bindCrmChanges(CamelContext context, Settings settings, KafkaClients kafka,
            Map<String, CrmConnection> connections, CallerLookups lookups) throws Exception {
        Map<String, io.callbridge.crm.ChangeNotifications> byCrm = new LinkedHashMap<>();
        Map<String, String> urls = new LinkedHashMap<>();
        connections.forEach((crm, connection) -> connection.changeNotifications().ifPresent(n -> {
            byCrm.put(crm, n);
            settings.find(CrmSettings.CHANGE_URL.of(crm)).ifPresent(url -> urls.put(crm, url));
        }));
        Publisher publisher = new Publisher("callbridge-crm-changes", kafka, settings.getLong(KafkaSettings.PRODUCER_TIMEOUT_MS));
        service(context, publisher);
        String instance = java.util.UUID.randomUUID().toString();
        io.callbridge.identify.CrmChanges changes = new io.callbridge.identify.CrmChanges(byCrm, urls, lookups.callers(), publisher,
                settings.getLong(io.callbridge.identify.CrmChanges.PER_SECOND), instance);
        service(context, new io.callbridge.identify.CrmChangeFollower(kafka, lookups.callers(), instance));
        context.getRegistry().bind("crmChanges", changes);
        context.addStartupListener(new org.apache.camel.StartupListener() {
            @Override
            public void onCamelContextStarted(CamelContext ctx, boolean alreadyStarted) {
            }

            @Override
            public void onCamelContextFullyStarted(CamelContext ctx, boolean alreadyStarted) {
                changes.subscribe();
            }
        });
        context.addLifecycleStrategy(new org.apache.camel.support.LifecycleStrategySupport() {
            @Override
            public void onContextStopping(CamelContext ctx) {
                changes.stop();
            }
        });
    }

    /** Each subject's data keys: the whole topic in memory (never evicted: an evicted key would read as erased). */
    private static KafkaBackedStore subjectKeyStore(CamelContext context, Settings settings, KafkaClients kafka) {
        KafkaBackedStore store = new KafkaBackedStore(SUBJECT_KEYS_TOPIC, kafka, Long.MAX_VALUE,
                settings.getLong(KafkaSettings.PRODUCER_TIMEOUT_MS));
        service(context, store);
        return store;
    }

    /** Erasure on request: the holders of personal data, each one step, and the erasures' record. */
    private static void bindErasure(CamelContext context, Settings settings, KafkaClients kafka, Clock clock, PhoneNormalizer phones,
            SubjectCodec codec, SubjectKeys keys, CommandLedger ledger, CallerLookups lookups, Map<String, CrmConnection> connections) {
        KafkaBackedStore records = new KafkaBackedStore(ERASURES_TOPIC, kafka, Long.MAX_VALUE,
                settings.getLong(KafkaSettings.PRODUCER_TIMEOUT_MS));
        service(context, records);
        List<SubjectErasures.Step> steps = new ArrayList<>(List.of(
                step("subject-keys", s -> keys == null ? "skipped: no master key, nothing on the topics is sealed"
                        : keys.shred(s.key()) + " key entries tombstoned; the person's records, dead letters included, no longer "
                                + "decrypt and every consumer skips them"),
                step("delivery-ledger", s -> ledger.forgetCaller(s.key()) + " entries naming the caller tombstoned (command "
                        + "entries hold event ids and rule names only)"),
                step("caller-cache", s -> {
                    if (s.e164() == null) {
                        return "nothing cached after a restart";
                    }
                    lookups.callers().invalidate(s.e164());
                    return keys == null ? "dropped on this instance" : "dropped on this instance; the others drop it when they "
                            + "meet the key's tombstone";
                })));
        java.time.Duration crmTimeout = java.time.Duration.ofMillis(2 * settings.getLong(IdentifySettings.CRM_TIMEOUT_MS));
        connections.forEach((crm, connection) -> steps.add(new CrmPersonErasure(crm, personDeletion(settings, crm, connection),
                e164 -> lookups.holders(crm, e164), crmTimeout)));
        if (keys != null) {
            // another instance's erasure reaches this one as a tombstone on the key topic: its cached caller goes too
            keys.onShredded(pseudonym -> lookups.callers().invalidateWhere(e164 -> pseudonym.equals(codec.key(e164))));
        }
        SubjectErasures erasures = new SubjectErasures(phones, codec, records, steps, clock);
        context.getRegistry().bind("subjectErasures", erasures);
        try {
            context.addStartupListener((ctx, alreadyStarted) -> erasures.resumeInterrupted());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The CRM's deletion when its erasure of persons is on (null when off); on for a CRM that offers none stops start-up. */
    private static PersonDeletion personDeletion(Settings settings, String crm, CrmConnection connection) {
        if (!settings.getBoolean(CrmSettings.ERASE_PERSONS.of(crm))) {
            return null;
        }
        if (connection.personDeletion().isEmpty() || connection.callerSearch().isEmpty()) {
            throw new IllegalStateException(CrmSettings.ERASE_PERSONS.of(crm).key() + " is true, but Callbridge cannot delete "
                    + "persons in " + crm + "; set it to false (the erasure's progress then says the records stay there)");
        }
        return connection.personDeletion().get();
    }

    private static SubjectErasures.Step step(String name, java.util.function.Function<SubjectErasures.Subject, String> erase) {
        return new SubjectErasures.Step() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public String erase(SubjectErasures.Subject subject) {
                return erase.apply(subject);
            }
        };
    }

    /** The refusals Vert.x makes before a route runs get the same problem+json shape; its router exists once Camel has started. */
    private static void installProblemHandlers(CamelContext context, Settings settings, IntakeMetrics intake) throws Exception {
        int port = settings.getInt(HttpSettings.PORT);
        VertxProblemHandlers handlers = new VertxProblemHandlers(settings.getLong(HttpSettings.MAX_BODY_BYTES), intake::refusedTooLarge);
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

    private static void service(CamelContext context, ServiceSupport service) {
        try {
            context.addService(service, true, true);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void onStop(CamelContext context, Runnable stop) {
        service(context, new ServiceSupport() {
            @Override
            protected void doStop() {
                stop.run();
            }
        });
    }
}
