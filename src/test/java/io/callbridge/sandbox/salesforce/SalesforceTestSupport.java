package io.callbridge.sandbox.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import io.callbridge.sandbox.CrmSandbox;
import io.callbridge.sandbox.SandboxHttp;
import io.callbridge.sandbox.SandboxHttp.Resp;
import io.callbridge.sandbox.SandboxSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Starts one Salesforce sandbox per test class on a free port and resets it before each test. */
abstract class SalesforceTestSupport {

    static final String V = "56.0";
    static final String CLIENT_ID = "test-client";
    static final String CLIENT_SECRET = "test-secret";
    static final String REFRESH_TOKEN = "test-refresh-token";

    static CrmSandbox sandbox;
    String token;

    static final String USERNAME = "api@example.test";

    static SandboxSettings.Builder settings() {
        return SandboxSettings.builder().port(0).seed(11)
                .config("salesforce", Map.of("client-id", CLIENT_ID, "client-secret", CLIENT_SECRET,
                        "refresh-token", REFRESH_TOKEN, "username", USERNAME, "password", "pw", "security-token", "TOK",
                        "jwt-certificate", resource("jwt-test.crt").toString()));
    }

    /** A file under src/test/resources/sandbox/salesforce. */
    static java.nio.file.Path resource(String name) {
        try {
            return java.nio.file.Path.of(SalesforceTestSupport.class.getResource("/sandbox/salesforce/" + name).toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @BeforeAll
    static void startSandbox() {
        sandbox = CrmSandbox.start(settings().build());
    }

    @AfterAll
    static void stopSandbox() {
        sandbox.close();
    }

    @BeforeEach
    void resetAndLogin() {
        sandbox.reset("salesforce");
        token = login();
    }

    static String base() {
        return sandbox.baseUrl("salesforce");
    }

    static String admin() {
        return sandbox.adminUrl() + "/salesforce";
    }

    static String login() {
        Resp r = SandboxHttp.form(base() + "/services/oauth2/token", Map.of("grant_type", "client_credentials",
                "client_id", CLIENT_ID, "client_secret", CLIENT_SECRET));
        assertEquals(200, r.status(), r.body());
        return r.json().get("access_token").asText();
    }

    static String data(String path) {
        return base() + "/services/data/v" + V + path;
    }

    Resp get(String path) {
        return SandboxHttp.json("GET", data(path), token, null);
    }

    Resp post(String path, String body) {
        return SandboxHttp.json("POST", data(path), token, body);
    }

    Resp patch(String path, String body) {
        return SandboxHttp.json("PATCH", data(path), token, body);
    }

    Resp delete(String path) {
        return SandboxHttp.json("DELETE", data(path), token, null);
    }

    Resp query(String soql) {
        return get("/query?q=" + SandboxHttp.enc(soql));
    }

    /** Creates a record and answers its id, failing the test on an error. */
    String create(String type, String json) {
        Resp r = post("/sobjects/" + type, json);
        assertEquals(201, r.status(), r.body());
        return r.json().get("id").asText();
    }

    /** The keys of a JSON object in their order (Salesforce's answers keep the order of the SELECT list). */
    static java.util.List<String> keys(JsonNode o) {
        java.util.List<String> out = new java.util.ArrayList<>();
        o.fieldNames().forEachRemaining(out::add);
        return out;
    }

    /** Asserts a Salesforce error body [{message, errorCode, (fields)}] and answers its first entry. */
    static JsonNode error(Resp r, int status, String code) {
        assertEquals(status, r.status(), r.body());
        JsonNode body = r.json();
        assertEquals(true, body.isArray(), r.body());
        assertEquals(code, body.get(0).get("errorCode").asText(), r.body());
        assertEquals(true, body.get(0).hasNonNull("message"), r.body());
        return body.get(0);
    }
}
