package io.callbridge.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.callbridge.broker.EmbeddedKafkaBroker;

/** Real KRaft brokers in the test JVM, each on a free port with its own temporary storage. */
public final class TestBroker {

    private static EmbeddedKafkaBroker shared;

    private TestBroker() {
    }

    /** One broker for the whole test run, started on first use. */
    public static synchronized EmbeddedKafkaBroker shared() {
        if (shared == null) {
            shared = fresh();
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close));
        }
        return shared;
    }

    /** A broker of its own, for tests that stop and restart it. */
    public static EmbeddedKafkaBroker fresh() {
        return new EmbeddedKafkaBroker(EmbeddedKafkaBroker.freePort(), 0, tempDir(), 6).start();
    }

    /**
     * A broker of its own whose client port requires SASL_SSL with SCRAM-SHA-512 as {@code user}, on {@code tls}'s
     * keystore; its inter-broker listener, which no client is told about, stays PLAINTEXT.
     */
    public static EmbeddedKafkaBroker scram(String user, String password, TestTls tls) {
        return new EmbeddedKafkaBroker(EmbeddedKafkaBroker.freePort(), 0, tempDir(), 6)
                .requireScram(user, password, tls.keystore(), tls.keystorePassword()).start();
    }

    public static Path tempDir() {
        try {
            return Files.createTempDirectory("callbridge-kafka-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
