package io.callbridge.broker;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.apache.camel.component.kafka.KafkaConfiguration;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.Consumer;

/**
 * The one place a Kafka client of Callbridge gets its properties, for its own clients (consumers, producers, admin
 * clients) and camel-kafka's alike: {@code bootstrap.servers} from {@code callbridge.kafka.brokers}, the operator's
 * client-config file (how to reach their cluster: TLS, SASL, config providers for secrets), and over them what each
 * client sets for Callbridge's correctness. The file may not name a property Callbridge sets, so neither overrides
 * the other silently: start-up refuses it and says why. Not a record: its {@code toString} would print the secrets.
 */
public final class KafkaClients {

    /** What Callbridge sets itself on some client, or counts on being Kafka's default, and why the client-config file may not. */
    static final Map<String, String> RESERVED = reserved();

    private final String brokers;
    private final Map<String, String> fromFile;
    private final String source;

    private KafkaClients(String brokers, Map<String, String> fromFile, String source) {
        this.brokers = brokers;
        this.fromFile = Map.copyOf(fromFile);
        this.source = source;
    }

    /**
     * Closes a consumer that reads without a group (assigned partitions): it has no offsets to commit and no group to
     * leave, so nothing is worth waiting for; its default close waited for the fetch in flight.
     */
    public static void closeReader(Consumer<?, ?> reader) {
        reader.close(Duration.ZERO);
    }

    /** Clients that reach the brokers without further settings (PLAINTEXT). */
    public static KafkaClients plain(String brokers) {
        return new KafkaClients(brokers, Map.of(), null);
    }

    /**
     * Clients with the settings of the client-config file, when one is given.
     *
     * @throws IllegalStateException naming {@code callbridge.kafka.client-config} when the file cannot be read or sets
     *                               a property Callbridge sets; never with a value of the file
     */
    public static KafkaClients load(String brokers, Optional<String> clientConfig) {
        if (clientConfig.isEmpty()) {
            return plain(brokers);
        }
        String path = clientConfig.get();
        String key = KafkaSettings.CLIENT_CONFIG.key();
        if (path.contains("\n") || path.contains("=")) {
            // a secret convention mix-up: <key>.file reads the value (here: the path) from the file it names
            throw new IllegalStateException(key + " must be the path of a Kafka client properties file, and its value looks like "
                    + "the content of one (not shown: it may hold a secret). " + key + ".file (" + environment(key)
                    + "_FILE) reads a key's value from a file; give the path as " + key + " (" + environment(key) + ") instead");
        }
        Properties file = new Properties();
        try (InputStream in = Files.newInputStream(Path.of(path))) {
            file.load(in); // as Kafka's own tools read --command-config
        } catch (IOException e) {
            throw new IllegalStateException(key + " names " + path + ", which cannot be read: " + e.getClass().getSimpleName());
        }
        Map<String, String> settings = new LinkedHashMap<>();
        file.stringPropertyNames().forEach(name -> settings.put(name, file.getProperty(name)));
        Map<String, String> refused = new TreeMap<>();
        settings.keySet().stream().filter(RESERVED::containsKey).forEach(name -> refused.put(name, RESERVED.get(name)));
        if (!refused.isEmpty()) {
            throw new IllegalStateException(key + " (" + path + ") sets what Callbridge sets itself, which would change how Callbridge "
                    + "works rather than how it connects; remove from the file: " + refused.entrySet().stream()
                    .map(e -> e.getKey() + " (" + e.getValue() + ")").collect(Collectors.joining("; ")));
        }
        return new KafkaClients(brokers, settings, path);
    }

    public String brokers() {
        return brokers;
    }

    /**
     * A client's properties: the file's, the brokers, and {@code own}, what this client sets for Callbridge's correctness.
     *
     * @throws IllegalArgumentException when {@code own} sets a property that is not reserved, which the file could set too
     */
    public Properties properties(Map<String, ?> own) {
        Properties p = new Properties();
        p.putAll(fromFile);
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        own.forEach((name, value) -> {
            if (!RESERVED.containsKey(name)) {
                throw new IllegalArgumentException(name + " is set by Callbridge but not reserved in KafkaClients.RESERVED, "
                        + "so a client-config file could set it as well");
            }
            p.put(name, value);
        });
        return p;
    }

    /** An admin client whose every call waits at most {@code timeoutMs}. */
    public Admin admin(String clientId, long timeoutMs) {
        int timeout = (int) Math.min(timeoutMs, Integer.MAX_VALUE);
        return Admin.create(properties(Map.of(AdminClientConfig.CLIENT_ID_CONFIG, clientId,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeout, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeout)));
    }

    /**
     * camel-kafka's component, for the routes' {@code kafka:} endpoints: the brokers, and the file's properties as its
     * additional properties, which camel-kafka applies after its own settings to every producer and consumer.
     */
    public void applyTo(KafkaConfiguration camel) {
        camel.setBrokers(brokers);
        if (!fromFile.isEmpty()) {
            Map<String, Object> additional = new LinkedHashMap<>();
            if (camel.getAdditionalProperties() != null) {
                additional.putAll(camel.getAdditionalProperties());
            }
            additional.putAll(fromFile);
            camel.setAdditionalProperties(additional);
        }
    }

    @Override
    public String toString() {
        return "Kafka clients of " + brokers + (source == null ? "" : ", with the " + fromFile.size() + " properties of " + source);
    }

    private static String environment(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    private static Map<String, String> reserved() {
        Map<String, String> m = new LinkedHashMap<>();
        reserve(m, "callbridge.kafka.brokers says where the cluster is", "bootstrap.servers");
        reserve(m, "Callbridge names each of its clients; quotas and ACLs apply to the SASL user", "client.id");
        reserve(m, "a write counts once every in-sync replica has it, written once", "acks", "enable.idempotence",
                "transactional.id");
        reserve(m, "a write is waited for, so it is sent at once", "linger.ms");
        reserve(m, "Callbridge bounds each wait for the broker: callbridge.kafka.producer-timeout-ms, callbridge.kafka.startup-timeout-ms",
                "max.block.ms", "request.timeout.ms", "delivery.timeout.ms", "default.api.timeout.ms");
        reserve(m, "the key, the caller's number, picks the partition, so one caller's records stay in order (other producers "
                + "partition the same way)", "partitioner.class", "partitioner.ignore.keys");
        reserve(m, "records are read and written as Callbridge's code expects them", "key.serializer", "value.serializer",
                "key.deserializer", "value.deserializer");
        reserve(m, "Callbridge's consumer groups are its own (callbridge-core, callbridge-crm-<crm>, callbridge-identify)", "group.id",
                "group.instance.id");
        reserve(m, "an offset is committed only once its record's work is done, and a new group starts at the oldest record",
                "enable.auto.commit", "auto.offset.reset");
        reserve(m, "the ledger and the accepted ids read only committed records", "isolation.level");
        reserve(m, "a poll is a batch: callbridge.delivery.batch.max-records, callbridge.core.batch.max-events, and records of "
                + "several partitions in one poll", "max.poll.records", "max.partition.fetch.bytes");
        reserve(m, "callbridge.kafka.session-timeout-ms", "session.timeout.ms", "heartbeat.interval.ms");
        return Map.copyOf(m);
    }

    private static void reserve(Map<String, String> reserved, String why, String... names) {
        for (String name : names) {
            reserved.put(name, why);
        }
    }
}
