package io.callbridge.http;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.callbridge.config.Setting;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;

import io.callbridge.config.Settings;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.TrustOptions;

/**
 * HTTPS on the API port from PEM files, as cert-manager, Let's Encrypt clients and Kubernetes secrets write them; TLS 1.2
 * and 1.3 only. With a client CA, clients may present a certificate it issued (mTLS), and {@link RequestGate} refuses the
 * requests that come without one.
 */
public final class ServerTls {

    private static final String P = "callbridge.http.tls.";

    public static final Setting CERT_FILE = Setting.of(P + "cert-file", null,
            "PEM certificate chain served on the API port (HTTPS, TLS 1.2 or later); read again when it changes");
    public static final Setting KEY_FILE = Setting.of(P + "key-file", null, "PEM private key of that certificate (PKCS#8 or PKCS#1)");
    public static final Setting CLIENT_CA_FILE = Setting.of(P + "client-ca-file", null,
            "PEM certificates of the CAs that issue client certificates (mTLS): when set, every request but `/observe/health` "
                    + "must come with a certificate they issued, or it is refused (401)");
    public static final Setting RELOAD_INTERVAL_MS = Setting.of(P + "reload-interval-ms", "30000",
            "how often the certificate, key and client CA files are checked for a change");

    static final Set<String> PROTOCOLS = Set.of("TLSv1.2", "TLSv1.3");

    private final Path cert;
    private final Path key;
    private final Optional<Path> clientCa;
    private final long reloadIntervalMs;

    private ServerTls(Path cert, Path key, Optional<Path> clientCa, long reloadIntervalMs) {
        this.cert = cert;
        this.key = key;
        this.clientCa = clientCa;
        this.reloadIntervalMs = reloadIntervalMs;
    }

    /** The configured TLS, nothing when plain HTTP is asked for explicitly; neither stops start-up with what to set. */
    public static Optional<ServerTls> from(Settings settings) {
        Optional<String> cert = settings.find(CERT_FILE);
        boolean plain = settings.getBoolean(HttpSettings.PLAIN);
        if (cert.isEmpty()) {
            if (!plain) {
                throw new IllegalStateException(CERT_FILE.key() + " and " + KEY_FILE.key() + " are not set: set them to serve HTTPS, "
                        + "or set " + HttpSettings.PLAIN.key() + "=true to serve plain HTTP (behind a proxy that ends TLS, or "
                        + "for local development: the dev profile does)");
            }
            return Optional.empty();
        }
        if (plain) {
            throw new IllegalStateException(HttpSettings.PLAIN.key() + "=true and " + CERT_FILE.key() + " are both set: choose one");
        }
        ServerTls tls = new ServerTls(readable(CERT_FILE, cert.get()),
                readable(KEY_FILE, settings.require(KEY_FILE, "it is the private key of " + CERT_FILE.key())),
                settings.find(CLIENT_CA_FILE).map(f -> readable(CLIENT_CA_FILE, f)), settings.getLong(RELOAD_INTERVAL_MS));
        return Optional.of(tls);
    }

    private static Path readable(Setting setting, String file) {
        Path path = Path.of(file);
        if (!Files.isReadable(path)) {
            throw new IllegalStateException(setting.key() + " names " + file + ", which cannot be read");
        }
        return path;
    }

    boolean requiresClientCertificate() {
        return clientCa.isPresent();
    }

    long reloadIntervalMs() {
        return reloadIntervalMs;
    }

    /**
     * What the files hold at one moment: what is checked is what is served, even if the files change meanwhile.
     */
    record Pem(Buffer cert, Buffer key, Optional<Buffer> clientCa) {

        byte[] fingerprint() {
            try {
                MessageDigest digest = MessageDigest.getInstance("SHA-256");
                digest.update(cert.getBytes());
                digest.update((byte) 0);
                digest.update(key.getBytes());
                digest.update((byte) 0);
                clientCa.ifPresent(ca -> digest.update(ca.getBytes()));
                return digest.digest();
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    Pem read() throws IOException {
        Optional<Buffer> ca = Optional.empty();
        if (clientCa.isPresent()) {
            ca = Optional.of(Buffer.buffer(Files.readAllBytes(clientCa.get())));
        }
        return new Pem(Buffer.buffer(Files.readAllBytes(cert)), Buffer.buffer(Files.readAllBytes(key)), ca);
    }

    /** Camel's options for the server, made HTTPS: each handshake asks {@code current} for the certificate and the client CAs. */
    HttpServerOptions apply(HttpServerOptions options, CurrentCertificate current) {
        options.setSsl(true).setEnabledSecureTransportProtocols(PROTOCOLS).setKeyCertOptions(KeyCertOptions.wrap(current.keyManager()));
        if (clientCa.isPresent()) {
            // REQUEST, not REQUIRED: health probes (kubelet, LiveProbe) have no certificate; RequestGate refuses the rest
            options.setTrustOptions(TrustOptions.wrap(current.trustManager())).setClientAuth(ClientAuth.REQUEST);
        }
        return options;
    }

    /** What the files hold, ready to serve. */
    CurrentCertificate serve(Vertx vertx, Pem pem) throws Exception {
        X509ExtendedKeyManager keys = keys(vertx, pem);
        return new CurrentCertificate(keys, clients(vertx, pem));
    }

    /** The next handshakes get what the files hold now. */
    void serve(CurrentCertificate current, Vertx vertx, Pem pem) throws Exception {
        X509ExtendedKeyManager keys = keys(vertx, pem);
        current.use(keys, clients(vertx, pem));
    }

    private static X509ExtendedTrustManager clients(Vertx vertx, Pem pem) throws Exception {
        if (pem.clientCa().isEmpty()) {
            return null;
        }
        return (X509ExtendedTrustManager) new PemTrustOptions().addCertValue(pem.clientCa().get()).getTrustManagerFactory(vertx)
                .getTrustManagers()[0];
    }

    /**
     * The key and certificate, once the key is shown to belong to the certificate: files replaced one after the other are
     * for a moment a new certificate with the old key, with which every handshake would fail.
     */
    private static X509ExtendedKeyManager keys(Vertx vertx, Pem pem) throws Exception {
        X509ExtendedKeyManager km = (X509ExtendedKeyManager) new PemKeyCertOptions().setCertValue(pem.cert()).setKeyValue(pem.key())
                .getKeyManagerFactory(vertx).getKeyManagers()[0];
        for (String type : List.of("RSA", "EC", "RSASSA-PSS", "Ed25519", "EdDSA")) {
            String[] aliases = km.getServerAliases(type, null);
            for (String alias : aliases == null ? new String[0] : aliases) {
                PrivateKey privateKey = km.getPrivateKey(alias);
                X509Certificate[] chain = km.getCertificateChain(alias);
                if (privateKey == null || chain == null || chain.length == 0 || !signs(privateKey, chain[0].getPublicKey())) {
                    throw new IllegalStateException(KEY_FILE.key() + " is not the private key of the certificate in " + CERT_FILE.key());
                }
                return km;
            }
        }
        throw new IllegalStateException(KEY_FILE.key() + " holds no key of a kind a TLS server uses (RSA, EC, Ed25519)");
    }

    private static boolean signs(PrivateKey key, PublicKey certified) throws Exception {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "RSASSA-PSS" -> "RSASSA-PSS";
            default -> key.getAlgorithm();
        };
        byte[] challenge = new byte[32];
        new SecureRandom().nextBytes(challenge);
        Signature signer = Signature.getInstance(algorithm);
        if (algorithm.equals("RSASSA-PSS")) {
            signer.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
        }
        signer.initSign(key);
        signer.update(challenge);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance(algorithm);
        if (algorithm.equals("RSASSA-PSS")) {
            verifier.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
        }
        verifier.initVerify(certified);
        verifier.update(challenge);
        return verifier.verify(signature);
    }

    @Override
    public String toString() {
        return "TLS from " + cert + (clientCa.isPresent() ? ", client certificates from the CAs in " + clientCa.get() : "");
    }
}
