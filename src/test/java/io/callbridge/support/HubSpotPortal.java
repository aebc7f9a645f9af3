package io.callbridge.support;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.callbridge.sandbox.CrmSandbox;
import io.callbridge.sandbox.SandboxSettings;
import io.callbridge.sandbox.hubspot.HubSpotSandbox;

/** A HubSpot portal in the CRM sandbox with the custom properties Callbridge's default mappings write. */
public final class HubSpotPortal extends SandboxClient implements AutoCloseable {

    public static final String TOKEN = HubSpotSandbox.DEFAULT_TOKEN;
    public static final String CUSTOM_PROPERTIES = "contacts.callbridge_last_call:datetime,contacts.callbridge_lead_score:number,"
            + "contacts.callbridge_last_summary:string,contacts.callbridge_at_risk:bool,contacts.callbridge_command_id:string:unique,"
            + "calls.callbridge_command_id:string:unique,tasks.callbridge_command_id:string:unique,"
            + "meetings.callbridge_command_id:string:unique,notes.callbridge_command_id:string:unique,"
            + "deals.callbridge_command_id:string:unique,tickets.callbridge_command_id:string:unique";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final CrmSandbox sandbox;

    private HubSpotPortal(CrmSandbox sandbox) {
        super(() -> sandbox.baseUrl("hubspot"), "Authorization");
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
    protected String authorization() {
        return "Bearer " + TOKEN;
    }

    @Override
    public void close() {
        sandbox.close();
    }
}
