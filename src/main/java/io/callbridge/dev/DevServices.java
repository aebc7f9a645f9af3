package io.callbridge.dev;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.callbridge.broker.EmbeddedKafkaBroker;
import io.callbridge.broker.KafkaSettings;
import io.callbridge.config.Ports;
import io.callbridge.config.Setting;
import io.callbridge.config.Settings;
import io.callbridge.crm.Crm;
import io.callbridge.crm.CrmCatalog;
import io.callbridge.crm.CrmSettings;
import io.callbridge.http.ApiKeys;
import io.callbridge.sandbox.CrmSandbox;
import io.callbridge.sandbox.SandboxCrms;
import io.callbridge.sandbox.SandboxSettings;
import io.callbridge.sandbox.SandboxSnapshotException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the embedded default starts besides Callbridge: the in-process Kafka broker
 * ({@code callbridge.kafka.embedded}), the CRM sandbox for every enabled CRM without a URL of its own
 * ({@code callbridge.sandbox.enabled}; its URL and credentials become that CRM's settings; its records kept under
 * {@code callbridge.sandbox.data-dir}, as the broker keeps its own), and the dev profile's printed API key;
 * {@code callbridge.dev.reset} deletes what both kept first. Production starts none of them and fails on a missing URL instead of
 * writing to memory. The only production class that knows the sandbox.
 */
public final class DevServices implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DevServices.class);

    private EmbeddedKafkaBroker broker;
    private CrmSandbox sandbox;

    /** Starts what the settings ask for; the settings of the CRMs the sandbox serves point at it afterwards. */
    public static DevServices start(Settings settings, CrmCatalog catalog, String profile) {
        DevServices dev = new DevServices();
        try {
            startAfreshIfAsked(settings);
            dev.startSandbox(settings, catalog);
            dev.startBroker(settings);
            dev.printApiKey(settings, profile);
            return dev;
        } catch (RuntimeException e) {
            dev.close();
            throw e;
        }
    }

    /** The embedded broker's address, when one runs. */
    public Optional<String> brokers() {
        return Optional.ofNullable(broker).map(EmbeddedKafkaBroker::bootstrapServers);
    }

    private static void startAfreshIfAsked(Settings settings) {
        if (!settings.getBoolean(DevSettings.RESET)) {
            return;
        }
        List<FreshStart.Kept> kept = new ArrayList<>();
        if (settings.getBoolean(KafkaSettings.EMBEDDED)) {
            kept.add(new FreshStart.Kept(Path.of(settings.get(KafkaSettings.EMBEDDED_DATA_DIR)),
                    "the embedded broker's topics, offsets and accepted event ids"));
        }
        sandboxDataDir(settings).ifPresent(dir -> kept.add(new FreshStart.Kept(dir, "the CRM sandbox's records")));
        String cleared = FreshStart.clear(kept);
        // the developer at the terminal asked for it; the log says it too, for whoever reads it later
        System.out.println(cleared);
        System.out.flush();
        LOG.info(cleared);
    }

    private static Optional<Path> sandboxDataDir(Settings settings) {
        if (!settings.getBoolean(DevSettings.SANDBOX_ENABLED)) {
            return Optional.empty();
        }
        return settings.find(DevSettings.SANDBOX_DATA_DIR).filter(d -> !d.isBlank()).map(d -> Path.of(d.trim()));
    }

    private void startSandbox(Settings settings, CrmCatalog catalog) {
        if (!settings.getBoolean(DevSettings.SANDBOX_ENABLED)) {
            return;
        }
        Set<Crm> served = new LinkedHashSet<>();
        for (Crm crm : catalog.enabled(settings)) {
            if (CrmCatalog.location(crm, settings).isEmpty() && SandboxCrms.supports(crm.name())) {
                served.add(crm);
            }
        }
        if (served.isEmpty()) {
            return;
        }
        int port = settings.getInt(DevSettings.SANDBOX_PORT);
        String host = settings.get(DevSettings.SANDBOX_HOST);
        Ports.requireFree(host, port, "the CRM sandbox", DevSettings.SANDBOX_PORT);
        SandboxSettings.Builder b = SandboxSettings.builder().port(port).host(host).seed(settings.getLong(DevSettings.SANDBOX_SEED))
                .dataDir(sandboxDataDir(settings).orElse(null));
        for (Crm crm : served) {
            b.config(crm.name(), SandboxSettings.config(key -> settings.find(key).orElse(null), crm.name(),
                    SandboxCrms.configKeys(crm.name())));
        }
        try {
            sandbox = CrmSandbox.start(b.build());
        } catch (SandboxSnapshotException e) {
            throw new IllegalStateException(e.getMessage() + "; start afresh with -D" + DevSettings.RESET.key()
                    + "=true, which deletes the broker's data with it so that both agree", e);
        }
        for (Crm crm : served) {
            settings.override(crm.location(), sandbox.baseUrl(crm.name()));
            settings.override(CrmSettings.ALLOW_PLAIN_HTTP.of(crm.name()), "true");
            for (Map.Entry<String, String> e : sandbox.crm(crm.name()).clientSettings().entrySet()) {
                Setting key = Setting.of("callbridge.crm." + crm.name() + "." + e.getKey(), null, "");
                if (settings.find(key).isEmpty()) {
                    settings.override(key, e.getValue());
                }
            }
        }
    }

    private void startBroker(Settings settings) {
        if (!settings.getBoolean(KafkaSettings.EMBEDDED)) {
            return;
        }
        String brokers = settings.find(KafkaSettings.BROKERS).orElse("localhost:9092");
        int port = portOf(brokers);
        Ports.requireFree("localhost", port, "the embedded Kafka broker; a Kafka running locally?", KafkaSettings.BROKERS);
        broker = new EmbeddedKafkaBroker(port, settings.getInt(KafkaSettings.EMBEDDED_CONTROLLER_PORT),
                Path.of(settings.get(KafkaSettings.EMBEDDED_DATA_DIR)), settings.getInt(KafkaSettings.PARTITIONS)).start();
        settings.override(KafkaSettings.BROKERS, broker.bootstrapServers());
    }

    private static int portOf(String brokers) {
        String first = brokers.split(",")[0].trim();
        try {
            return Integer.parseInt(first.substring(first.lastIndexOf(':') + 1));
        } catch (RuntimeException e) {
            throw new IllegalStateException(KafkaSettings.BROKERS.key() + " must be host:port for the embedded broker, not '"
                    + brokers + "'");
        }
    }

    private static void printApiKey(Settings settings, String profile) {
        if (!"dev".equals(profile) || settings.find(ApiKeys.KEYS).isPresent()) {
            return;
        }
        String key = "dev-" + HexFormat.of().formatHex(new SecureRandom().generateSeed(12));
        settings.override(ApiKeys.KEYS, ApiKeys.hashed(key) + ":admin");
        // stdout, not the log: the key is meant for the developer at the terminal, never for log shipping
        System.out.println("Callbridge dev API key (admin): " + key);
        System.out.flush();
    }

    @Override
    public void close() {
        if (broker != null) {
            broker.close();
        }
        if (sandbox != null) {
            sandbox.close();
        }
        LOG.debug("dev services stopped");
    }
}
