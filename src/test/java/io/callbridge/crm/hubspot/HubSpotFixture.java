package io.callbridge.crm.hubspot;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callbridge.sandbox.CrmSandbox;
import io.callbridge.sandbox.SandboxSettings;
import io.callbridge.support.CrmFixture;
import io.callbridge.support.Events;
import io.callbridge.support.SandboxClient;

/** HubSpot in the tests: a portal with the custom properties Callbridge's default mappings write, and a client of it ({@link Portal}). */
public final class HubSpotFixture extends CrmFixture {

    public static final String TOKEN = io.callbridge.sandbox.hubspot.HubSpotSandbox.DEFAULT_TOKEN;
    public static final String CUSTOM_PROPERTIES = "contacts.callbridge_last_call:datetime,contacts.callbridge_lead_score:number,"
            + "contacts.callbridge_last_summary:string,contacts.callbridge_at_risk:bool,contacts.callbridge_command_id:string:unique,"
            + "calls.callbridge_command_id:string:unique,tasks.callbridge_command_id:string:unique,"
            + "meetings.callbridge_command_id:string:unique,notes.callbridge_command_id:string:unique,"
            + "deals.callbridge_command_id:string:unique,tickets.callbridge_command_id:string:unique";

    @Override
    public String crm() {
        return "hubspot";
    }

    @Override
    public Map<String, String> sandboxConfig(boolean unlimited) {
        Map<String, String> c = new LinkedHashMap<>(Map.of("token", TOKEN, "custom-properties", CUSTOM_PROPERTIES));
        if (unlimited) {
            c.put("rate-limit.quota", "1000000");
            c.put("rate-limit.window-seconds", "1");
            c.put("search-rate-limit.quota", "1000000");
            c.put("daily-limit", "100000000");
        }
        return c;
    }

    @Override
    public Map<String, String> settings(String baseUrl, boolean unlimited) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("callbridge.crm.hubspot.enabled", "true");
        s.put("callbridge.crm.hubspot.base-url", baseUrl);
        s.put("callbridge.crm.hubspot.token", TOKEN);
        if (unlimited) {
            s.put("callbridge.crm.hubspot.rate-limit.max", "1000000");
            s.put("callbridge.crm.hubspot.search-limit.max", "1000000");
            // a 429 without Retry-After pauses half a window: one second, not HubSpot's ten
            s.put("callbridge.crm.hubspot.rate-limit.window-ms", "1000");
        }
        return s;
    }

    @Override
    public String callType() {
        return "calls";
    }

    @Override
    public String commandIdOfCall(JsonNode call) {
        return call.at("/properties/callbridge_command_id").asText(null);
    }

    @Override
    public String summaryOfCall(JsonNode call) {
        return call.at("/properties/hs_call_body").asText();
    }

    @Override
    public String callerIdOfCall(JsonNode call) {
        return call.at("/associations/contacts/results/0/id").asText(null);
    }

    @Override
    public List<String> callerTypes() {
        return List.of("contacts");
    }

    @Override
    public String phoneOf(JsonNode caller) {
        return caller.at("/properties/phone").asText(null);
    }

    @Override
    public String nameOf(JsonNode caller) {
        return (caller.at("/properties/firstname").asText("") + " " + caller.at("/properties/lastname").asText("")).trim();
    }

    @Override
    public String recordId(JsonNode record) {
        return record.path("id").asText();
    }

    @Override
    public String chaosFaults(String late) {
        // batch creates carry a wave's calls in one request, so fewer requests: a higher rate still injects enough faults
        return "{\"errorRate\":0.08,\"errorStatuses\":[500,502,503,401,429]," + late + "}";
    }

    @Override
    public Map.Entry<String, JsonNode> knownCaller(String firstName, String lastName, String e164, String email) {
        ObjectNode p = Events.JSON.createObjectNode().put("firstname", firstName).put("lastname", lastName).put("phone", e164);
        if (email != null) {
            p.put("email", email);
        }
        ObjectNode seed = Events.JSON.createObjectNode();
        seed.putArray("contacts").addObject().set("properties", p);
        return Map.entry("contacts", seed);
    }

    @Override
    public Map<String, Integer> recordsPerEvent(boolean designExample) {
        return designExample ? Map.of("calls", 1, "tasks", 2, "deals", 1) : Map.of("calls", 1);
    }

    /** A HubSpot portal in a sandbox of its own, with these custom properties, spoken to over HTTP with the private-app token. */
    public static final class Portal extends SandboxClient implements AutoCloseable {

        private static final ObjectMapper JSON = new ObjectMapper();

        private final CrmSandbox sandbox;

        private Portal(CrmSandbox sandbox) {
            super(() -> sandbox.baseUrl("hubspot"), "Authorization");
            this.sandbox = sandbox;
        }

        public static Portal start() {
            return new Portal(CrmSandbox.start(SandboxSettings.builder().port(0).seed(5)
                    .config("hubspot", Map.of("token", TOKEN, "custom-properties", CUSTOM_PROPERTIES, "search-rate-limit.quota", "1000")).build()));
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
}
