package io.callbridge.sandbox;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a simulated CRM calls its subscribers, as the vendors' webhooks do: a JSON body POSTed to the subscriber's URL,
 * with the vendor's headers (its signature among them). {@link #post} sends off the request thread, so that an API call
 * that changed a record is answered without waiting for the subscriber; {@link #postNow} waits, for a URL check whose
 * answer decides the API call's own (monday's challenge). Sent once: the vendors' retries are not simulated.
 */
public final class WebhookSender {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookSender.class);

    private final String crm;
    // the vendors' timeouts are not published; a short one keeps a sandbox thread from waiting on a stuck subscriber
    // HTTP/1.1: the JDK client's default h2c upgrade met Vert.x's stream limit under a burst of changes ("too many
    // concurrent streams") and the notifications were lost
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2))
            .build();

    public WebhookSender(String crm) {
        this.crm = crm;
    }

    /** Sends in the background; completes with the subscriber's status (0 when it could not be reached). */
    public CompletableFuture<Integer> post(URI target, String body, Map<String, String> headers, String what) {
        return http.sendAsync(request(target, body, headers), HttpResponse.BodyHandlers.discarding()).handle((r, failure) -> {
            if (failure != null || r.statusCode() >= 300) {
                // the URL only: bodies hold the CRM's records
                LOG.info("{} notified {} to {}: {}", crm, what, target, failure != null ? failure.toString() : r.statusCode());
            }
            return failure != null ? 0 : r.statusCode();
        });
    }

    /** Sends and waits for the subscriber's answer. */
    public HttpResponse<String> postNow(URI target, String body, Map<String, String> headers) throws IOException, InterruptedException {
        return http.send(request(target, body, headers), HttpResponse.BodyHandlers.ofString());
    }

    /** HMAC-SHA256 of {@code data} (UTF-8) keyed by {@code key}: every vendor's signature starts from it. */
    public static byte[] hmacSha256(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    private static HttpRequest request(URI target, String body, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(5)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(b::header);
        return b.build();
    }
}
