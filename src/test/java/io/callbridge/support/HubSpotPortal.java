package io.callbridge.support;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.callbridge.sandbox.CrmSandbox;
import io.callbridge.sandbox.SandboxSettings;
import io.callbridge.sandbox.hubspot.HubSpotSandbox;

/** A HubSpot portal in the CRM sandbox with the custom properties Callbridge's default mappings write. */
public final class HubSpotPortal implements AutoCloseable {

    public static final String TOKEN = HubSpotSandbox.DEFAULT_TOKEN;
    public static final String CUSTOM_PROPERTIES = "contacts.callbridge_last_call:datetime,contacts.callbridge_lead_score:number,"
            + "contacts.callbridge_last_summary:string,contacts.callbridge_at_risk:bool,contacts.callbridge_command_id:string:unique,"
            + "calls.callbridge_command_id:string:unique,tasks.callbridge_command_id:string:unique,"
            + "meetings.callbridge_command_id:string:unique,notes.callbridge_command_id:string:unique,"
            + "deals.callbridge_command_id:string:unique,tickets.callbridge_command_id:string:unique";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final CrmSandbox sandbox;

    private HubSpotPortal(CrmSandbox sandbox) {
        this.sandbox = sandbox;
    }

    public static HubSpotPortal start() {
        return new HubSpotPortal(CrmSandbox.start(SandboxSettings.builder().port(0).seed(5)
                .config("hubspot", Map.of("custom-properties", CUSTOM_PROPERTIES, "search-rate-limit.quota", "1000")).build()));
    }

    public CrmSandbox sandbox() {
        return sandbox;
    }

    public String baseUrl() {
        return sandbox.baseUrl("hubspot");
    }

    public void reset() {
        sandbox.reset("hubspot");
    }

    public HttpResponse<String> call(String method, String path, JsonNode body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl() + path)).header("Authorization", "Bearer " + TOKEN);
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

    /** All records of a type with the given properties and their contact associations. */
    public JsonNode list(String type, String properties) {
        return json("GET", "/crm/v3/objects/" + type + "?limit=100&associations=contacts&properties=" + properties, null).get("results");
    }

    public JsonNode createContact(String json) {
        try {
            return json("POST", "/crm/v3/objects/contacts", JSON.readTree(json));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        sandbox.close();
    }
}
