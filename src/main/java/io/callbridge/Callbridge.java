package io.callbridge;

import java.util.ArrayList;
import java.util.List;

import io.callbridge.audit.AuditSettings;
import io.callbridge.broker.KafkaSettings;
import io.callbridge.config.Setting;
import io.callbridge.crm.Crm;
import io.callbridge.crm.CrmCatalog;
import io.callbridge.crm.CrmSettings;
import io.callbridge.crm.rest.RestSettings;
import io.callbridge.delivery.DeliverySettings;
import io.callbridge.dev.DevSettings;
import io.callbridge.http.HttpSettings;
import io.callbridge.identify.IdentifySettings;
import io.callbridge.intake.IntakeSettings;
import io.callbridge.mapping.MappingSettings;
import io.callbridge.phone.PhoneNormalizer;
import io.callbridge.plan.PlanCommand;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.callbridge.logging.LogFormat;
import io.callbridge.tracing.Tracing;
import org.apache.camel.main.Main;

/** Starts Callbridge: Camel Main with the YAML routes of {@code routes/} and the beans of {@link CallbridgeConfiguration}. */
public final class Callbridge {

    public static final Setting SHUTDOWN_TIMEOUT_SECONDS = Setting.of("callbridge.shutdown-timeout-seconds", "30",
            "how long in-flight work may take on SIGTERM");

    private Callbridge() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("plan")) {
            // stdout carries the plan as JSON; logs go to stderr (read by log4j2.xml)
            System.setProperty("callbridge.log.target", "SYSTEM_ERR");
            System.exit(PlanCommand.run(PlanCommand.rest(args), CrmCatalog.load(), System.out, System.err));
        }
        try {
            create().run(args);
        } catch (IllegalStateException e) {
            // a misconfiguration: say what to fix, without a stack trace in the operator's face
            System.err.println("Callbridge cannot start: " + e.getMessage());
            System.exit(2);
        }
    }

    public static final String METRICS_REGISTRY = "metricsRegistry";

    public static Main create() {
        CrmCatalog catalog = CrmCatalog.load();
        // no package scan: it would find CallbridgeConfiguration a second time and configure twice
        Main main = new Main();
        // camel-micrometer-prometheus serves the registry bound under this name, once it exists before Camel starts:
        // Callbridge's own meters are then on /observe/metrics beside Camel's
        main.bind(METRICS_REGISTRY, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        main.configure().addConfiguration(new CallbridgeConfiguration(main.configure(), catalog));
        // the declared defaults, below every file and variable, for the camel.* settings that refer to them
        for (Setting s : settings(catalog)) {
            if (!s.isPerCrm() && !s.key().contains("<") && s.defaultValue() != null) {
                main.addInitialProperty(s.key(), s.defaultValue());
            }
        }
        return main;
    }

    /** Every configuration key Callbridge reads, each declared once where it is read; the README's table lists them. */
    public static List<Setting> settings(CrmCatalog catalog) {
        List<Setting> all = new ArrayList<>();
        all.addAll(HttpSettings.DECLARED);
        all.addAll(KafkaSettings.DECLARED);
        all.addAll(AuditSettings.DECLARED);
        all.addAll(IntakeSettings.DECLARED);
        all.add(PhoneNormalizer.DEFAULT_REGION);
        all.addAll(MappingSettings.DECLARED);
        all.addAll(IdentifySettings.DECLARED);
        all.addAll(io.callbridge.identify.CallerDirectory.DECLARED);
        all.addAll(io.callbridge.identify.CrmChanges.DECLARED);
        all.addAll(DeliverySettings.DECLARED);
        all.addAll(io.callbridge.erasure.ErasureSettings.DECLARED);
        all.addAll(DevSettings.DECLARED);
        all.add(SHUTDOWN_TIMEOUT_SECONDS);
        all.add(LogFormat.FORMAT);
        all.add(Tracing.OTLP_ENDPOINT);
        all.addAll(CrmSettings.DECLARED);
        all.addAll(RestSettings.DECLARED);
        for (Crm crm : catalog.all()) {
            all.addAll(crm.settings());
        }
        return all;
    }
}
