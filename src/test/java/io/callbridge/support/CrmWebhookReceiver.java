package io.callbridge.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.callbridge.sandbox.Json;

/**
 * The endpoint a CRM sandbox posts its webhooks to, over real HTTP on a free local port: records every request under
 * its path and answers it (200 and no body unless told otherwise). One receiver for every sandbox's webhook test, so
 * each test says only what its CRM sends, not again how an endpoint is built. Not {@link WebhookReceiver}: that one
 * plays Zapier or n8n, which Callbridge itself posts to.
 */
public final class CrmWebhookReceiver implements AutoCloseable {

    /** One request as it arrived; header names are looked up without regard to case, as HTTP has them. */
    public record Request(String method, URI uri, Map<String, List<String>> headers, byte[] body) {

        /** Every value of that header, none when it is absent. */
        public List<String> headers(String name) {
            return headers.getOrDefault(name, List.of());
        }

        /** The header's first value, or null when it is absent. */
        public String header(String name) {
            List<String> values = headers(name);
            return values.isEmpty() ? null : values.get(0);
        }

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        /** The body as JSON, or null when it is empty or not JSON. */
        public JsonNode json() {
            return Json.parseOrNull(body);
        }
    }

    /** What the receiver answers: a status and a JSON body, or no body when it is empty. */
    public record Answer(int status, String body) {
        public static final Answer OK = new Answer(200, "");
    }

    private final HttpServer server;
    private final String path;
    private final Function<Request, Answer> answers;
    private final List<Request> received = new CopyOnWriteArrayList<>();

    private CrmWebhookReceiver(String path, Function<Request, Answer> answers) {
        this.path = path;
        this.answers = answers;
        try {
            server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext(path, this::handle);
        server.start();
    }

    /** Receives on {@code path} (and below it), answering every request 200. */
    public static CrmWebhookReceiver start(String path) {
        return start(path, request -> Answer.OK);
    }

    /** Receives on {@code path} (and below it), answering each request as {@code answers} says (a challenge to echo). */
    public static CrmWebhookReceiver start(String path, Function<Request, Answer> answers) {
        return new CrmWebhookReceiver(path, answers);
    }

    /** {@code http://localhost:<port><path>}. */
    public String url() {
        return "http://localhost:" + server.getAddress().getPort() + path;
    }

    /** What has arrived so far, in order. */
    public List<Request> received() {
        return List.copyOf(received);
    }

    public void clear() {
        received.clear();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name, List.copyOf(values)));
            Request request = new Request(exchange.getRequestMethod(), exchange.getRequestURI(), Collections.unmodifiableMap(headers),
                    exchange.getRequestBody().readAllBytes());
            received.add(request);
            Answer answer = answers.apply(request);
            byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
            if (body.length > 0) {
                exchange.getResponseHeaders().add("Content-Type", "application/json");
            }
            exchange.sendResponseHeaders(answer.status(), body.length > 0 ? body.length : -1);
            exchange.getResponseBody().write(body);
        } finally {
            exchange.close();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
