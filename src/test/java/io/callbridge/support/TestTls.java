package io.callbridge.support;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.UUID;

/**
 * A broker's TLS material as a private CA gives it: a PKCS12 keystore with the broker's key and its certificate for
 * localhost, and a PKCS12 truststore holding the CA's certificate, each file with a password of its own.
 */
public record TestTls(Path keystore, String keystorePassword, Path truststore, String truststorePassword) {

    public static TestTls create() {
        Path dir = TestBroker.tempDir();
        TestTls tls = new TestTls(dir.resolve("broker.p12"), "ks-" + UUID.randomUUID(), dir.resolve("truststore.p12"),
                "ts-" + UUID.randomUUID());
        try {
            TestCertificates.Issued ca = TestCertificates.authority("Kafka test CA");
            TestCertificates.Issued broker = TestCertificates.server(ca, "localhost");
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("broker", broker.keys().getPrivate(), tls.keystorePassword().toCharArray(),
                    new Certificate[] {broker.certificate(), ca.certificate()});
            store(keys, tls.keystore(), tls.keystorePassword());
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("ca", ca.certificate());
            store(trust, tls.truststore(), tls.truststorePassword());
        } catch (Exception e) {
            throw new IllegalStateException("could not make the broker's TLS material", e);
        }
        return tls;
    }

    private static void store(KeyStore store, Path file, String password) throws Exception {
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, password.toCharArray());
        }
    }
}
