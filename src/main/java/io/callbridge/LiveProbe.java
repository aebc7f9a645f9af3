package io.callbridge;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

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
        System.exit(isLive(port) ? 0 : 1);
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
