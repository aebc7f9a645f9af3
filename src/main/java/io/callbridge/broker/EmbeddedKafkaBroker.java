package io.callbridge.broker;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node KRaft broker in this JVM, for the dev profile and the tests. Its storage is formatted
 * once and reused, so a restart keeps every topic and offset.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
    private static final int NODE_ID = 1;

    private final int port;
    private final int controllerPort;
    private final Path dataDir;
    private final int defaultPartitions;
    private Scram scram;
    private KafkaRaftServer server;

    /** A SCRAM login the client listener requires, over TLS with this PKCS12 keystore unless it is null. */
    private record Scram(String user, String password, Path keystore, String keystorePassword) {
        @Override
        public String toString() {
            return "SCRAM-SHA-512 as " + user + (keystore == null ? "" : " over TLS");
        }
    }

    /** @param controllerPort the KRaft controller's port; 0 picks a free one (clients never use it) */
    public EmbeddedKafkaBroker(int port, int controllerPort, Path dataDir, int defaultPartitions) {
        this.port = port;
        this.controllerPort = controllerPort == 0 ? freePort() : controllerPort;
        this.dataDir = dataDir.toAbsolutePath().normalize();
        this.defaultPartitions = defaultPartitions;
    }

    /**
     * Clients must log in with SCRAM-SHA-512 as {@code user} on the port they bootstrap from: SASL_SSL with this PKCS12
     * {@code keystore} (a certificate for localhost), SASL_PLAINTEXT when it is null. The broker's own traffic
     * stays PLAINTEXT, on a listener of its own that clients of the client port are never told about. The login is
     * written when the storage is formatted, so this applies to a new data dir only; before {@link #start()}.
     */
    public synchronized EmbeddedKafkaBroker requireScram(String user, String password, Path keystore, String keystorePassword) {
        scram = new Scram(user, password, keystore, keystorePassword);
        return this;
    }

    public synchronized EmbeddedKafkaBroker start() {
        if (server != null) {
            return this;
        }
        long begin = System.nanoTime();
        try {
            Files.createDirectories(dataDir);
            formatIfNew();
            server = new KafkaRaftServer(new KafkaConfig(brokerProperties(), false), Time.SYSTEM);
            server.startup();
        } catch (Exception e) {
            server = null;
            throw new IllegalStateException("Embedded Kafka broker could not start on port " + port
                    + " with data in " + dataDir + ": " + e.getMessage(), e);
        }
        LOG.info("Embedded Kafka broker listening on {}{} (data in {}), started in {} ms", bootstrapServers(),
                scram == null ? "" : ", clients log in with " + scram, dataDir, (System.nanoTime() - begin) / 1_000_000);
        return this;
    }

    public String bootstrapServers() {
        return "localhost:" + port;
    }

    public Path dataDir() {
        return dataDir;
    }

    public synchronized boolean isRunning() {
        return server != null;
    }

    @Override
    public synchronized void close() {
        if (server == null) {
            return;
        }
        server.shutdown();
        server.awaitShutdown();
        server = null;
        LOG.info("Embedded Kafka broker on {} stopped", bootstrapServers());
    }

    private void requireScramOnTheClientPort(Properties p) {
        int internal = freePort();
        p.put("listeners", "CLIENT://localhost:" + port + ",INTERNAL://localhost:" + internal + ",CONTROLLER://localhost:" + controllerPort);
        p.put("advertised.listeners", "CLIENT://localhost:" + port + ",INTERNAL://localhost:" + internal);
        p.put("listener.security.protocol.map", "CLIENT:" + (scram.keystore() == null ? "SASL_PLAINTEXT" : "SASL_SSL")
                + ",INTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("inter.broker.listener.name", "INTERNAL");
        p.put("listener.name.client.sasl.enabled.mechanisms", "SCRAM-SHA-512");
        // the logins are SCRAM credentials in the cluster's metadata: the module needs no options on the broker's side
        p.put("listener.name.client.scram-sha-512.sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        if (scram.keystore() != null) {
            p.put("listener.name.client.ssl.keystore.location", scram.keystore().toAbsolutePath().toString());
            p.put("listener.name.client.ssl.keystore.type", "PKCS12");
            p.put("listener.name.client.ssl.keystore.password", scram.keystorePassword());
        }
    }

    public static int freePort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("No free port", e);
        }
    }

    private void formatIfNew() throws Exception {
        if (Files.exists(dataDir.resolve("meta.properties"))) {
            return;
        }
        new Formatter()
                .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                .setNodeId(NODE_ID)
                .setClusterId(Uuid.randomUuid().toString())
                .setDirectories(List.of(dataDir.toString()))
                .setMetadataLogDirectory(dataDir.toString())
                .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                .setControllerListenerName("CONTROLLER")
                .setIgnoreFormatted(true)
                .setScramArguments(scram == null ? List.of()
                        : List.of("SCRAM-SHA-512=[name=" + scram.user() + ",password=" + scram.password() + "]"))
                .run();
    }

    private Properties brokerProperties() throws IOException {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", String.valueOf(NODE_ID));
        p.put("controller.quorum.voters", NODE_ID + "@localhost:" + controllerPort);
        p.put("listeners", "PLAINTEXT://localhost:" + port + ",CONTROLLER://localhost:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://localhost:" + port);
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        if (scram != null) {
            requireScramOnTheClientPort(p);
        }
        p.put("log.dirs", dataDir.toString());
        p.put("num.partitions", String.valueOf(defaultPartitions));
        // Callbridge creates its own topics with the configured partitions; a typo must not create one silently.
        p.put("auto.create.topics.enable", "false");
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "6");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "6");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("log.segment.bytes", String.valueOf(64 * 1024 * 1024));
        // the log cleaner's dedupe buffer is a heap array: Kafka's 128 MB default would be a third of Callbridge's heap,
        // for compacted topics (ledger, accepted ids, offsets) that 16 MB cleans in a pass of up to 500,000 keys
        p.put("log.cleaner.dedupe.buffer.size", String.valueOf(16 * 1024 * 1024));
        return p;
    }
}
