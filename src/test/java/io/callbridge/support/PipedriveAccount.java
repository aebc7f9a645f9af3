package io.callbridge.support;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.JsonNode;
import io.callbridge.sandbox.CrmSandbox;
import io.callbridge.sandbox.SandboxSettings;
import io.callbridge.sandbox.pipedrive.PipedriveSandbox;

/** A Pipedrive company account in the CRM sandbox, spoken to over HTTP with its API token. */
public final class PipedriveAccount implements AutoCloseable {

    public static final String TOKEN = PipedriveSandbox.DEFAULT_API_TOKEN;

    private final CrmSandbox sandbox;

    private PipedriveAccount(CrmSandbox sandbox) {
        this.sandbox = sandbox;
    }

    public static PipedriveAccount start() {
        return new PipedriveAccount(CrmSandbox.start(SandboxSettings.builder().port(0).seed(3).crm("pipedrive").build()));
    }

    public CrmSandbox sandbox() {
        return sandbox;
    }

    public String baseUrl() {
        return sandbox.baseUrl("pipedrive");
    }

    public void reset() {
        sandbox.reset("pipedrive");
    }

    public HttpResponse<String> call(String method, String path, JsonNode body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl() + path)).header("x-api-token", TOKEN);
        if (body == null) {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body.toString()));
        }
        return Events.send(b.build());
    }

    public JsonNode json(String method, String path, JsonNode body) {
        HttpResponse<String> r = call(method, path, body);
        if (r.statusCode() >= 300) {
            throw new IllegalStateException(method + " " + path + " -> " + r.statusCode() + " " + r.body());
        }
        return Events.parse(r.body().getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        sandbox.close();
    }
}
