package io.callbridge.crm.salesforce;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callbridge.sandbox.CrmSandbox;
import io.callbridge.sandbox.SandboxSettings;
import io.callbridge.support.CrmFixture;
import io.callbridge.support.Events;
import io.callbridge.support.SandboxClient;

/** Salesforce in the tests: an org with the custom fields Callbridge's default mappings write, and a client of it ({@link Org}). */
public final class SalesforceFixture extends CrmFixture {

    public static final String CLIENT_ID = "cb-client";
    public static final String CLIENT_SECRET = "cb-secret";
    public static final String CUSTOM_FIELDS = "Contact.Callbridge_Last_Call__c:datetime,Contact.Callbridge_Lead_Score__c:double,"
            + "Contact.Callbridge_Last_Summary__c:textarea,Contact.Callbridge_At_Risk__c:boolean,"
            + "Lead.Callbridge_Last_Call__c:datetime,Lead.Callbridge_Lead_Score__c:double,"
            + "Lead.Callbridge_Last_Summary__c:textarea,Lead.Callbridge_At_Risk__c:boolean";

    @Override
    public String crm() {
        return "salesforce";
    }

    @Override
    public Map<String, String> sandboxConfig(boolean unlimited) {
        return Map.of("client-id", CLIENT_ID, "client-secret", CLIENT_SECRET, "custom-fields", CUSTOM_FIELDS);
    }

    @Override
    public Map<String, String> settings(String baseUrl, boolean unlimited) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("callbridge.crm.salesforce.enabled", "true");
        s.put("callbridge.crm.salesforce.login-url", baseUrl);
        s.put("callbridge.crm.salesforce.client-id", CLIENT_ID);
        s.put("callbridge.crm.salesforce.client-secret", CLIENT_SECRET);
        return s;
    }

    @Override
    public String callType() {
        return "Task";
    }

    @Override
    public String commandIdOfCall(JsonNode call) {
        return call.path("Callbridge_Command_Id__c").asText(null);
    }

    @Override
    public String summaryOfCall(JsonNode call) {
        return call.path("Description").asText();
    }

    @Override
    public String callerIdOfCall(JsonNode call) {
        return call.path("WhoId").asText(null);
    }

    @Override
    public List<String> callerTypes() {
        return List.of("Lead", "Contact");
    }

    @Override
    public String phoneOf(JsonNode caller) {
        return caller.path("Phone").asText(null);
    }

    @Override
    public String nameOf(JsonNode caller) {
        return (caller.path("FirstName").asText("") + " " + caller.path("LastName").asText("")).trim();
    }

    @Override
    public String recordId(JsonNode record) {
        return record.path("Id").asText();
    }

    @Override
    public String chaosFaults(String late) {
        // a collection carries a wave's calls in one request, so fewer requests: a higher rate still injects enough faults
        return "{\"errorRate\":0.08,\"errorStatuses\":[500,503],\"match\":\"/services/data/\"," + late + "}";
    }

    @Override
    public boolean sessionsExpire() {
        return true;
    }

    @Override
    public Map.Entry<String, JsonNode> knownCaller(String firstName, String lastName, String e164, String email) {
        ObjectNode contact = Events.JSON.createObjectNode().put("FirstName", firstName).put("LastName", lastName).put("MobilePhone", e164);
        if (email != null) {
            contact.put("Email", email);
        }
        ObjectNode seed = Events.JSON.createObjectNode();
        seed.putArray("Contact").add(contact);
        return Map.entry("Contact", seed);
    }

    @Override
    public Map<String, Integer> recordsPerEvent(boolean designExample) {
        return designExample ? Map.of("Task", 3, "Opportunity", 1) : Map.of("Task", 1); // log-call, notify-owner, callback task
    }

    /** A Salesforce org in a sandbox of its own, with these custom fields, spoken to over HTTP. */
    public static final class Org extends SandboxClient implements AutoCloseable {

        private final CrmSandbox sandbox;
        private String token;

        Org(CrmSandbox sandbox) {
            super(() -> sandbox.baseUrl("salesforce"), "Authorization");
            this.sandbox = sandbox;
        }

        public static Org start() {
            return new Org(CrmSandbox.start(SandboxSettings.builder().port(0).seed(7)
                    .config("salesforce", Map.of("client-id", CLIENT_ID, "client-secret", CLIENT_SECRET,
                            "custom-fields", CUSTOM_FIELDS))
                    .build()));
        }

        public CrmSandbox sandbox() {
            return sandbox;
        }

        public String baseUrl() {
            return sandbox.baseUrl("salesforce");
        }

        /** The settings that enable Callbridge's connector for this org. */
        public Map<String, String> connectorSettings() {
            return new SalesforceFixture().settings(baseUrl(), false);
        }

        public void reset() {
            sandbox.reset("salesforce");
            token = null;
        }

        public String token() {
            if (token == null) {
                String form = Map.of("grant_type", "client_credentials", "client_id", CLIENT_ID, "client_secret", CLIENT_SECRET)
                        .entrySet().stream().map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                        .collect(Collectors.joining("&"));
                HttpResponse<String> r = Events.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/services/oauth2/token"))
                        .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build());
                if (r.statusCode() != 200) {
                    throw new IllegalStateException("login refused: " + r.body());
                }
                token = Events.parse(r.body().getBytes(StandardCharsets.UTF_8)).get("access_token").asText();
            }
            return token;
        }

        @Override
        protected String authorization() {
            return "Bearer " + token();
        }

        public JsonNode query(String soql) {
            HttpResponse<String> r = call("GET", "/services/data/v60.0/query?q=" + URLEncoder.encode(soql, StandardCharsets.UTF_8), null);
            if (r.statusCode() != 200) {
                throw new IllegalStateException(soql + " -> " + r.statusCode() + " " + r.body());
            }
            return Events.parse(r.body().getBytes(StandardCharsets.UTF_8)).get("records");
        }

        public String create(String sobject, ObjectNode fields) {
            HttpResponse<String> r = call("POST", "/services/data/v60.0/sobjects/" + sobject, fields);
            if (r.statusCode() != 201) {
                throw new IllegalStateException(sobject + " not created: " + r.body());
            }
            return Events.parse(r.body().getBytes(StandardCharsets.UTF_8)).get("id").asText();
        }

        public JsonNode get(String sobject, String id) {
            HttpResponse<String> r = call("GET", "/services/data/v60.0/sobjects/" + sobject + "/" + id, null);
            return Events.parse(r.body().getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public void close() {
            sandbox.close();
        }
    }
}
