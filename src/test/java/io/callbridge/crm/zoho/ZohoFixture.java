package io.callbridge.crm.zoho;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callbridge.sandbox.CrmSandbox;
import io.callbridge.sandbox.SandboxSettings;
import io.callbridge.sandbox.zoho.ZohoSandbox;
import io.callbridge.support.CrmFixture;
import io.callbridge.support.Events;
import io.callbridge.support.SandboxClient;

/**
 * Zoho CRM in the tests: an org whose admin created the fields the README names (the unique commandId field on
 * every module Callbridge writes, the call facts on Contacts and Leads), spoken to with a self client's refresh
 * token ({@link Org}).
 */
public final class ZohoFixture extends CrmFixture {

    public static final String CLIENT_ID = ZohoSandbox.DEFAULT_CLIENT_ID;
    public static final String CLIENT_SECRET = ZohoSandbox.DEFAULT_CLIENT_SECRET;
    public static final String REFRESH_TOKEN = ZohoSandbox.DEFAULT_REFRESH_TOKEN;
    /** The fields an admin creates for Callbridge's default templates (README, Zoho CRM). */
    public static final String CUSTOM_FIELDS = String.join(",",
            "Calls.Callbridge_Command_Id:text:unique", "Tasks.Callbridge_Command_Id:text:unique",
            "Events.Callbridge_Command_Id:text:unique", "Deals.Callbridge_Command_Id:text:unique",
            "Cases.Callbridge_Command_Id:text:unique", "Leads.Callbridge_Command_Id:text:unique",
            "Contacts.Callbridge_Command_Id:text:unique",
            "Contacts.Callbridge_Last_Call:datetime", "Contacts.Callbridge_Lead_Score:number",
            "Contacts.Callbridge_Last_Summary:textarea", "Contacts.Callbridge_At_Risk:boolean",
            "Leads.Callbridge_Last_Call:datetime", "Leads.Callbridge_Lead_Score:number",
            "Leads.Callbridge_Last_Summary:textarea", "Leads.Callbridge_At_Risk:boolean");

    @Override
    public String crm() {
        return "zoho";
    }

    @Override
    public Map<String, String> sandboxConfig(boolean unlimited) {
        Map<String, String> c = new LinkedHashMap<>(Map.of("client-id", CLIENT_ID, "client-secret", CLIENT_SECRET,
                "refresh-token", REFRESH_TOKEN, "custom-fields", CUSTOM_FIELDS));
        if (unlimited) {
            c.put("credits", "1000000000");
            c.put("concurrency", "10000");
        }
        return c;
    }

    @Override
    public Map<String, String> settings(String baseUrl, boolean unlimited) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("callbridge.crm.zoho.enabled", "true");
        s.put("callbridge.crm.zoho.accounts-url", baseUrl);
        s.put("callbridge.crm.zoho.client-id", CLIENT_ID);
        s.put("callbridge.crm.zoho.client-secret", CLIENT_SECRET);
        s.put("callbridge.crm.zoho.refresh-token", REFRESH_TOKEN);
        if (unlimited) {
            s.put("callbridge.crm.zoho.rate-limit.max", "1000000");
            s.put("callbridge.crm.zoho.search-limit.max", "1000000");
        }
        return s;
    }

    @Override
    public String callType() {
        return "Calls";
    }

    @Override
    public String commandIdOfCall(JsonNode call) {
        return call.path("Callbridge_Command_Id").asText(null);
    }

    @Override
    public String summaryOfCall(JsonNode call) {
        return call.path("Description").asText(null);
    }

    /** A contact in Who_Id, a lead in What_Id. */
    @Override
    public String callerIdOfCall(JsonNode call) {
        JsonNode who = call.path("Who_Id").path("id");
        return who.isValueNode() ? who.asText() : call.path("What_Id").path("id").asText(null);
    }

    @Override
    public List<String> callerTypes() {
        return List.of("Contacts", "Leads");
    }

    @Override
    public String phoneOf(JsonNode caller) {
        return caller.path("Phone").asText(null);
    }

    @Override
    public String nameOf(JsonNode caller) {
        return (caller.path("First_Name").asText("") + " " + caller.path("Last_Name").asText("")).trim();
    }

    @Override
    public String recordId(JsonNode record) {
        return record.path("id").asText();
    }

    @Override
    public String chaosFaults(String late) {
        return "{\"errorRate\":0.06,\"errorStatuses\":[500,503,429]," + late + "}";
    }

    @Override
    public Map.Entry<String, JsonNode> knownCaller(String firstName, String lastName, String e164, String email) {
        ObjectNode contact = Events.JSON.createObjectNode().put("First_Name", firstName).put("Last_Name", lastName).put("Phone", e164);
        if (email != null) {
            contact.put("Email", email);
        }
        ObjectNode seed = Events.JSON.createObjectNode();
        seed.putArray("Contacts").add(contact);
        return Map.entry("Contacts", seed);
    }

    @Override
    public Map<String, Integer> recordsPerEvent(boolean designExample) {
        return designExample ? Map.of("Calls", 1, "Tasks", 2, "Deals", 1) : Map.of("Calls", 1);
    }

    /** A Zoho org in a sandbox, spoken to as an integrator would: a token from the refresh token, then the v8 API. */
    public static final class Org extends SandboxClient implements AutoCloseable {

        private final CrmSandbox sandbox;
        private volatile String token;

        public Org(CrmSandbox sandbox) {
            super(() -> sandbox.baseUrl("zoho") + "/crm/v8", "Authorization");
            this.sandbox = sandbox;
        }

        /** An org in a sandbox of its own, with the given configuration besides the fixture's. */
        public static Org start(Map<String, String> config) {
            return start(config, java.time.Clock.systemUTC());
        }

        /** The same, on a clock the test moves (the records' Created_Time and Modified_Time). */
        public static Org start(Map<String, String> config, java.time.Clock clock) {
            Map<String, String> all = new LinkedHashMap<>(new ZohoFixture().sandboxConfig(false));
            all.putAll(config);
            return new Org(CrmSandbox.start(SandboxSettings.builder().port(0).seed(17).clock(clock).crm("zoho").config("zoho", all)
                    .build()));
        }

        public CrmSandbox sandbox() {
            return sandbox;
        }

        /** Where Callbridge refreshes its tokens (the org's accounts server). */
        public String accountsUrl() {
            return sandbox.baseUrl("zoho");
        }

        /** The settings that point Callbridge's Zoho connector at this org. */
        public Map<String, String> connectorSettings() {
            return new ZohoFixture().settings(accountsUrl(), false);
        }

        @Override
        protected String authorization() {
            if (token == null) {
                token = refresh();
            }
            return "Zoho-oauthtoken " + token;
        }

        /** As an integrator's client does: a 401 refreshes the token and the request is sent once more. */
        @Override
        public HttpResponse<String> call(String method, String path, JsonNode body) {
            HttpResponse<String> r = super.call(method, path, body);
            if (r.statusCode() != 401) {
                return r;
            }
            token = refresh();
            return super.call(method, path, body);
        }

        private String refresh() {
            String form = "grant_type=refresh_token&client_id=" + CLIENT_ID + "&client_secret=" + CLIENT_SECRET + "&refresh_token="
                    + REFRESH_TOKEN;
            HttpResponse<String> r = Events.send(HttpRequest.newBuilder(URI.create(accountsUrl() + "/oauth/v2/token"))
                    .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build());
            JsonNode body = Events.parse(r.body().getBytes(StandardCharsets.UTF_8));
            if (!body.path("access_token").isTextual()) {
                throw new IllegalStateException("token refresh: " + r.body());
            }
            return body.get("access_token").asText();
        }

        /** Inserts one record; answers its id. */
        public String insert(String module, ObjectNode record) {
            ObjectNode body = Events.JSON.createObjectNode();
            body.putArray("data").add(record);
            JsonNode answer = json("POST", "/" + module, body);
            return answer.at("/data/0/details/id").asText();
        }

        public JsonNode record(String module, String id) {
            return json("GET", "/" + module + "/" + id, null).at("/data/0");
        }

        /** Every record of a module, as the sandbox holds it. */
        public List<JsonNode> all(String module) {
            HttpResponse<String> r = Events.send(HttpRequest.newBuilder(URI.create(sandbox.adminUrl() + "/zoho/records/"
                    + URLEncoder.encode(module, StandardCharsets.UTF_8))).GET().build());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("records " + module + ": " + r.statusCode() + " " + r.body());
            }
            JsonNode body = Events.parse(r.body().getBytes(StandardCharsets.UTF_8));
            return StreamSupport.stream((body.isArray() ? body : body.path("records")).spliterator(), false).toList();
        }

        /** The records of a module linked to a caller (Who_Id, What_Id, a deal's Contact_Name, a case's Related_To). */
        public List<JsonNode> of(String module, String callerId) {
            return all(module).stream().filter(r -> callerId.equals(r.path("Who_Id").path("id").asText())
                    || callerId.equals(r.path("What_Id").path("id").asText())
                    || callerId.equals(r.path("Contact_Name").path("id").asText())
                    || callerId.equals(r.path("Related_To").path("id").asText())).toList();
        }

        /** The sandbox's journal of requests (method, path, status). */
        public JsonNode requests() {
            return Events.parse(Events.send(HttpRequest.newBuilder(URI.create(sandbox.adminUrl() + "/zoho/requests")).GET().build())
                    .body().getBytes(StandardCharsets.UTF_8));
        }

        /** The sandbox's fault injection (PUT /_sandbox/zoho/faults). */
        public void faults(String json) {
            admin("PUT", "/faults", json);
        }

        public HttpResponse<String> admin(String method, String path, String json) {
            HttpResponse<String> r = Events.send(HttpRequest.newBuilder(URI.create(sandbox.adminUrl() + "/zoho" + path))
                    .header("Content-Type", "application/json")
                    .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json)).build());
            if (r.statusCode() >= 300) {
                throw new IllegalStateException(method + " " + path + ": " + r.statusCode() + " " + r.body());
            }
            return r;
        }

        @Override
        public void close() {
            sandbox.close();
        }
    }
}
