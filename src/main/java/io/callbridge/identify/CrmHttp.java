package io.callbridge.identify;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The one HTTP client of caller identification: JDK HttpClient, HTTP/1.1 keep-alive (connections
 * are pooled and reused per host), asynchronous, every request bounded by a timeout. Bodies are
 * never logged: they carry personal data, requests carry credentials.
 */
public final class CrmHttp implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();

    private final ExecutorService executor;
    private final HttpClient client;
    private final Duration timeout;

    public CrmHttp(Duration timeout) {
        AtomicInteger n = new AtomicInteger();
        this.executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "callbridge-identify-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout).executor(executor).build();
        this.timeout = timeout;
    }

    public HttpRequest.Builder request(String url) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(timeout).header("Accept", "application/json");
    }

    /** The answer as JSON with its status; transport failures complete exceptionally. */
    public CompletableFuture<Answer> send(String crm, HttpRequest request) {
        return client.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()).thenApply(r -> {
            JsonNode body;
            try {
                body = r.body().length == 0 ? JSON.nullNode() : JSON.readTree(r.body());
            } catch (IOException e) {
                body = JSON.getNodeFactory().textNode("");
            }
            return new Answer(crm, r.statusCode(), body, r.headers().firstValue("Retry-After").orElse(null));
        });
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }

    /** A CRM's answer. */
    public record Answer(String crm, int status, JsonNode body, String retryAfter) {

        public boolean ok() {
            return status >= 200 && status < 300;
        }

        /** This answer as a failure; the CRM's own error code is kept, values it may echo are not. */
        public CrmException failure(String what) {
            String code = body.isArray() && body.size() > 0 ? body.get(0).path("errorCode").asText("")
                    : body.path("category").asText(body.path("error").asText(body.path("errorCode").asText("")));
            return new CrmException(crm, status, what + " answered " + status + (code.isEmpty() ? "" : " " + code));
        }
    }

    /** A CRM refused or failed a lookup. The message names the CRM, the status and its error code only. */
    public static final class CrmException extends RuntimeException {
        private final String crm;
        private final int status;

        public CrmException(String crm, int status, String message) {
            super(crm + ": " + message);
            this.crm = crm;
            this.status = status;
        }

        public String crm() {
            return crm;
        }

        public int status() {
            return status;
        }
    }
}
