package io.callbridge.support;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callbridge.sandbox.CrmSandbox;
import io.callbridge.sandbox.SandboxSettings;

/** A Salesforce org in the CRM sandbox, with the custom fields Callbridge's default mappings write, spoken to over HTTP. */
public final class SalesforceOrg extends SandboxClient implements AutoCloseable {

    public static final String CLIENT_ID = "cb-client";
    public static final String CLIENT_SECRET = "cb-secret";
    public static final String CUSTOM_FIELDS = "Contact.Callbridge_Last_Call__c:datetime,Contact.Callbridge_Lead_Score__c:double,"
            + "Contact.Callbridge_Last_Summary__c:textarea,Contact.Callbridge_At_Risk__c:boolean,"
            + "Lead.Callbridge_Last_Call__c:datetime,Lead.Callbridge_Lead_Score__c:double,"
            + "Lead.Callbridge_Last_Summary__c:textarea,Lead.Callbridge_At_Risk__c:boolean";

    private final CrmSandbox sandbox;
    private String token;

    private SalesforceOrg(CrmSandbox sandbox) {
        super(() -> sandbox.baseUrl("salesforce"), "Authorization");
        this.sandbox = sandbox;
    }

    public static SalesforceOrg start() {
        return new SalesforceOrg(CrmSandbox.start(SandboxSettings.builder().port(0).seed(7)
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
