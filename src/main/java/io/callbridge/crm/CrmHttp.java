package io.callbridge.crm;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The one HTTP client of caller lookups: JDK HttpClient, HTTP/1.1 keep-alive (connections are pooled
 * and reused per host), asynchronous, every request bounded by a timeout. Bodies are never logged:
 * they carry personal data, requests carry credentials.
 */
public final class CrmHttp implements AutoCloseable {

    public static final ObjectMapper JSON = new ObjectMapper();

    private final ExecutorService executor;
    private final HttpClient client;
    private final Duration timeout;
    private final CrmMetrics metrics;

    public CrmHttp(Duration timeout, CrmMetrics metrics) {
        AtomicInteger n = new AtomicInteger();
        this.executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "callbridge-crm-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout).executor(executor).build();
        this.timeout = timeout;
        this.metrics = metrics;
    }

    /** A request builder for {@code url}, with the timeout and {@code Accept: application/json}. */
    public HttpRequest.Builder request(String url) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(timeout).header("Accept", "application/json");
    }

    /** {@code bytes} read as a JSON object; null when they are not one (a CRM's notification, a token's part). */
    public static JsonNode objectOrNull(byte[] bytes) {
        try {
            JsonNode n = JSON.readTree(bytes);
            return n != null && n.isObject() ? n : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** A caller lookup's request: the answer as JSON with its status; transport failures complete exceptionally. */
    public CompletableFuture<Answer> send(String crm, HttpRequest request) {
        return send(crm, CrmMetrics.LOOKUP, request);
    }

    /** The same for an {@code operation} of {@link CrmMetrics}, counted and timed under it. */
    public CompletableFuture<Answer> send(String crm, String operation, HttpRequest request) {
        long started = System.nanoTime();
        return client.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()).whenComplete((r, failure) ->
                metrics.request(crm, operation, r == null ? null : r.statusCode(), System.nanoTime() - started)).thenApply(r -> {
            JsonNode body;
            try {
                body = r.body().length == 0 ? JSON.nullNode() : JSON.readTree(r.body());
            } catch (IOException e) {
                body = JSON.getNodeFactory().textNode("");
            }
            Map<String, String> headers = new HashMap<>();
            r.headers().map().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v.isEmpty() ? "" : v.get(0)));
            return new Answer(crm, r.statusCode(), body, headers);
        });
    }

    /**
     * Sends the request built for the CRM's current credentials (given for the API's URL), with their
     * headers; a 401 renews them ({@link CrmAuth#refused}) and the request is sent once more.
     */
    public CompletableFuture<Answer> send(String crm, CrmAuth auth, Function<CrmAuth.Credentials, HttpRequest.Builder> request) {
        return send(crm, CrmMetrics.LOOKUP, auth, request);
    }

    /** The same for an {@code operation} of {@link CrmMetrics}. */
    public CompletableFuture<Answer> send(String crm, String operation, CrmAuth auth,
            Function<CrmAuth.Credentials, HttpRequest.Builder> request) {
        return auth.credentials().thenCompose(used -> send(crm, operation, authenticated(request, used)).thenCompose(a -> {
            if (a.status() != 401) {
                return CompletableFuture.completedFuture(a);
            }
            auth.refused(used);
            return auth.credentials().thenCompose(fresh -> send(crm, operation, authenticated(request, fresh)));
        }));
    }

    private static HttpRequest authenticated(Function<CrmAuth.Credentials, HttpRequest.Builder> request, CrmAuth.Credentials credentials) {
        HttpRequest.Builder b = request.apply(credentials);
        credentials.headers().forEach(b::header);
        return b.build();
    }

    /** Runs blocking work (a component's login) off the caller's thread. */
    public <T> CompletableFuture<T> supply(java.util.function.Supplier<T> work) {
        return CompletableFuture.supplyAsync(work, executor);
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }

    /** A CRM's answer; header names in lower case. */
    public record Answer(String crm, int status, JsonNode body, Map<String, String> headers) {

        public boolean ok() {
            return status >= 200 && status < 300;
        }

        /** This answer as a failure; the CRM's own error code is kept, values it may echo are not. */
        public CrmException failure(String what) {
            return failure(what, false);
        }

        /** The same, saying whether the CRM's quota is spent until it resets (the breaker opens rather than retry). */
        public CrmException failure(String what, boolean quotaExhausted) {
            String code = body.isArray() && body.size() > 0 ? body.get(0).path("errorCode").asText("")
                    : body.path("category").asText(body.path("error").asText(body.path("errorCode").asText(body.path("code").asText(""))));
            return CrmException.failed(crm, status, what, code, quotaExhausted);
        }
    }
}
