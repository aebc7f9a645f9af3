package io.callbridge.support;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;

/** Speaks to one CRM of the sandbox as its API clients do: base URL, one auth header, JSON in and out. */
public abstract class SandboxClient {

    private final Supplier<String> baseUrl;
    private final String authHeader;

    protected SandboxClient(Supplier<String> baseUrl, String authHeader) {
        this.baseUrl = baseUrl;
        this.authHeader = authHeader;
    }

    /** The value of the auth header, e.g. {@code Bearer <token>}. */
    protected abstract String authorization();

    /** Sends a request; path relative to the CRM's base URL. */
    public HttpResponse<String> call(String method, String path, JsonNode body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl.get() + path)).header(authHeader, authorization());
        if (body == null) {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body.toString()));
        }
        return Events.send(b.build());
    }

    /** Sends a request that must succeed, and answers its JSON. */
    public JsonNode json(String method, String path, JsonNode body) {
        HttpResponse<String> r = call(method, path, body);
        if (r.statusCode() >= 300) {
            throw new IllegalStateException(method + " " + path + " -> " + r.statusCode() + " " + r.body());
        }
        return Events.parse(r.body().getBytes(StandardCharsets.UTF_8));
    }
}
