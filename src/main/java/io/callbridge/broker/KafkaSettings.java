package io.callbridge.broker;

import java.util.List;

import io.callbridge.config.Setting;

/** The {@code callbridge.kafka.*} settings (README, configuration table). */
public final class KafkaSettings {

    private static final String P = "callbridge.kafka.";

    public static final Setting BROKERS = Setting.of(P + "brokers", null,
            "bootstrap servers; required unless the broker is embedded (then its address, `localhost:9092` when unset; dev: that)");
    public static final Setting CLIENT_CONFIG = Setting.of(P + "client-config", null,
            "path of a Kafka client properties file (as Kafka's tools take with `--command-config`: `security.protocol`, "
            + "`sasl.*`, `ssl.*`, `config.providers`) applied to every Kafka client of Callbridge; one that sets what Callbridge "
            + "sets itself (`bootstrap.servers`, `acks`, `group.id`, …) stops start-up (section Kafka security)");
    public static final Setting EMBEDDED = Setting.of(P + "embedded", "false", "run a single-node KRaft broker in-process (dev: true)");
    public static final Setting EMBEDDED_DATA_DIR = Setting.of(P + "embedded.data-dir", "data/kafka", "its storage; kept across restarts");
    public static final Setting EMBEDDED_CONTROLLER_PORT = Setting.of(P + "embedded.controller-port", "0",
            "its KRaft controller's port; 0 = a free one");
    public static final Setting PARTITIONS = Setting.of(P + "partitions", "6", "partitions of topics Callbridge creates");
    public static final Setting REPLICATION = Setting.of(P + "replication", "1",
            "replication of topics Callbridge creates (3 in production)");
    public static final Setting PRODUCER_TIMEOUT_MS = Setting.of(P + "producer-timeout-ms", "3000",
            "how long a write may wait for the broker before intake answers 503");
    public static final Setting STARTUP_TIMEOUT_MS = Setting.of(P + "startup-timeout-ms", "30000",
            "how long start-up waits for the broker to create or describe the topics");

    public static final Setting SESSION_TIMEOUT_MS = Setting.of(P + "session-timeout-ms", "45000",
            "how long the broker waits for a silent instance (crashed, cut off) before its partitions go to another one");

    public static final List<Setting> DECLARED = List.of(BROKERS, CLIENT_CONFIG, EMBEDDED, EMBEDDED_DATA_DIR, EMBEDDED_CONTROLLER_PORT, PARTITIONS,
            REPLICATION, PRODUCER_TIMEOUT_MS, STARTUP_TIMEOUT_MS, SESSION_TIMEOUT_MS);

    private KafkaSettings() {
    }
}
