package io.callbridge;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;

import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The image's health check: the image has no shell, curl or wget, so compose runs
 * {@code /opt/java/bin/java -cp /opt/callbridge/callbridge.jar io.callbridge.LiveProbe [port]}, which exits 0 when
 * {@code /observe/health/live} answers 200 and 1 otherwise. Liveness, not readiness: a CRM being down must not get
 * the container restarted (README).
 */
public final class LiveProbe {

    static final int DEFAULT_PORT = 8080;
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private LiveProbe() {
    }

    public static void main(String[] args) {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : DEFAULT_PORT;
        // the container's own settings: HTTPS when Callbridge serves it
        String cert = System.getenv("CALLBRIDGE_HTTP_TLS_CERT_FILE");
        System.exit((cert == null || cert.isBlank() ? isLive(port) : isLive(port, Path.of(cert))) ? 0 : 1);
    }

    /**
     * The same over HTTPS. The certificate Callbridge serves is the one trusted, and only it: it is issued for the
     * service's name, not for localhost, so the name is not what is checked.
     */
    public static boolean isLive(int port, Path certFile) {
        String uri = "https://localhost:" + port + "/observe/health/live";
        try (InputStream in = Files.newInputStream(certFile)) {
            KeyStore trusted = KeyStore.getInstance("PKCS12");
            trusted.load(null, null);
            trusted.setCertificateEntry("callbridge", CertificateFactory.getInstance("X.509").generateCertificate(in));
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trusted);
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(null, tmf.getTrustManagers(), null);
            HttpsURLConnection c = (HttpsURLConnection) URI.create(uri).toURL().openConnection();
            c.setSSLSocketFactory(tls.getSocketFactory());
            c.setHostnameVerifier((host, session) -> true);
            c.setConnectTimeout((int) TIMEOUT.toMillis());
            c.setReadTimeout((int) TIMEOUT.toMillis());
            int status = c.getResponseCode();
            c.disconnect();
            if (status != 200) {
                System.err.println(uri + " answered " + status);
            }
            return status == 200;
        } catch (IOException | GeneralSecurityException e) {
            System.err.println(uri + ": " + e);
            return false;
        }
    }

    /** True when Callbridge on localhost:port answers 200 within the timeout; why not, on stderr for the health log. */
    static boolean isLive(int port) {
        URI uri = URI.create("http://localhost:" + port + "/observe/health/live");
        HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
        try {
            int status = client.send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status != 200) {
                System.err.println(uri + " answered " + status);
            }
            return status == 200;
        } catch (IOException e) {
            System.err.println(uri + ": " + e);
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
