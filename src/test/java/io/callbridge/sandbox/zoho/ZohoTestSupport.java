package io.callbridge.sandbox.zoho;

import com.fasterxml.jackson.databind.JsonNode;
import io.callbridge.sandbox.CrmSandbox;
import io.callbridge.sandbox.Json;
import io.callbridge.sandbox.MutableClock;
import io.callbridge.sandbox.SandboxHttp;
import io.callbridge.sandbox.SandboxHttp.Resp;
import io.callbridge.sandbox.SandboxRequest;
import io.callbridge.sandbox.SandboxSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One Zoho sandbox per test class on a free port and a hand-moved clock, reset before each test, with an access
 * token from the refresh grant. Every call made through {@link #call} is checked against Zoho's v8 OpenAPI
 * documents when they are present: the query parameters and the request body when the sandbox accepted the call,
 * the answer always.
 */
abstract class ZohoTestSupport {

    static final String CLIENT_ID = "1000.TESTCLIENT";
    static final String CLIENT_SECRET = "test-secret";
    static final String REFRESH_TOKEN = "1000.test.refresh";
    static final String OWNER = "4876876000000335001";
    static final String OTHER_USER = "4876876000000335002";
    static final String CUSTOM_FIELDS = "Calls.Callbridge_Command_Id:text:unique,Leads.Callbridge_Command_Id:text:unique,"
            + "Contacts.Callbridge_Command_Id:text:unique,Deals.Callbridge_Command_Id:text:unique,Tasks.Callbridge_Command_Id:text:unique,"
            + "Events.Callbridge_Command_Id:text:unique,Cases.Callbridge_Command_Id:text:unique,Contacts.Work_Phone_2:phone,"
            + "Contacts.Loyalty_Level:picklist=Gold|Silver,Contacts.Visits:number";
    static MutableClock clock;
    static CrmSandbox sandbox;
    static ZohoContract contract;
    static String token;

    static SandboxSettings.Builder settings() {
        return SandboxSettings.builder().port(0).seed(8).clock(clock)
                .config("zoho", Map.of("client-id", CLIENT_ID, "client-secret", CLIENT_SECRET, "refresh-token", REFRESH_TOKEN,
                        "custom-fields", CUSTOM_FIELDS, "time-zone", "Europe/Zurich"));
    }

    @BeforeAll
    static void startSandbox() {
        clock = new MutableClock(Instant.parse("2026-11-28T09:00:00Z"));
        sandbox = CrmSandbox.start(settings().build());
        contract = ZohoContract.getIfAvailable();
    }

    @AfterAll
    static void stopSandbox() {
        sandbox.close();
    }

    @BeforeEach
    void resetSandbox() {
        sandbox.reset("zoho");
        token = refresh().json().get("access_token").asText();
    }

    static String base() {
        return sandbox.baseUrl("zoho");
    }

    static String admin() {
        return sandbox.adminUrl() + "/zoho";
    }

    static Resp refresh() {
        return SandboxHttp.form(base() + "/oauth/v2/token", Map.of("grant_type", "refresh_token", "client_id", CLIENT_ID,
                "client_secret", CLIENT_SECRET, "refresh_token", REFRESH_TOKEN));
    }

    /** Sends with these headers; no contract check. */
    static Resp raw(String method, String pathAndQuery, Map<String, String> headers, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + pathAndQuery))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(b::header);
        if (body != null) b.header("Content-Type", "application/json");
        return SandboxHttp.send(b.build());
    }

    /** A call with these headers, checked against the documents when they are present. */
    static Resp callWith(String method, String pathAndQuery, Map<String, String> headers, String body) {
        Resp r = raw(method, pathAndQuery, headers, body);
        check(method, pathAndQuery, body, r);
        return r;
    }

    /** A call with the current access token, checked against the documents when they are present. */
    static Resp call(String method, String pathAndQuery, String body) {
        return callWith(method, pathAndQuery, Map.of("Authorization", "Zoho-oauthtoken " + token), body);
    }

    static void check(String method, String pathAndQuery, String body, Resp r) {
        if (contract == null || contract.operation(method, pathAndQuery) == null) return;
        // the sandbox's own answer to a route it does not simulate: nothing of Zoho's to hold it to
        if (r.status() == SandboxRequest.NOT_SIMULATED) return;
        int q = pathAndQuery.indexOf('?');
        Map<String, String> query = new LinkedHashMap<>();
        if (q >= 0) SandboxRequest.parseQuery(pathAndQuery.substring(q + 1)).forEach((k, v) -> query.put(k, v.get(0)));
        if (r.status() < 300) {
            assertThat(contract.checkQuery(method, pathAndQuery, query)).as("query of " + method + " " + pathAndQuery).isEmpty();
            JsonNode json = body == null ? null : Json.parseOrNull(body.getBytes(StandardCharsets.UTF_8));
            if (json != null) assertThat(contract.checkRequest(method, pathAndQuery, json)).as("request " + method + " " + pathAndQuery + " " + body).isEmpty();
        }
        if (r.body() != null && !r.body().isEmpty()) {
            assertThat(contract.checkResponse(method, pathAndQuery, r.status(), r.json()))
                    .as("answer " + r.status() + " to " + method + " " + pathAndQuery + ": " + r.body()).isEmpty();
        }
    }

    /** Inserts one record and answers its id. */
    static String insert(String module, String recordJson) {
        Resp r = call("POST", "/crm/v8/" + module, "{\"data\":[" + recordJson + "]}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().at("/data/0/details/id").asText();
    }

    /** Loads records through the admin API; answers the ids by module. */
    static JsonNode seed(String json) {
        Resp r = adminCall("POST", "/seed", json);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json();
    }

    /** Asserts Zoho's error envelope and answers it. */
    static JsonNode error(Resp r, int status, String code) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        JsonNode b = r.json();
        assertThat(b.get("code").asText()).as(r.body()).isEqualTo(code);
        assertThat(b.get("status").asText()).isEqualTo("error");
        assertThat(b.get("message").asText()).isNotBlank();
        assertThat(b.get("details").isObject()).as(r.body()).isTrue();
        return b;
    }

    /** The 204 of a search or read that found nothing: no body at all. */
    static void noContent(Resp r) {
        assertThat(r.status()).as(r.body()).isEqualTo(204);
        assertThat(r.body()).isEmpty();
    }

    static List<String> ids(Resp r) {
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        List<String> out = new java.util.ArrayList<>();
        r.json().get("data").forEach(d -> out.add(d.get("id").asText()));
        return out;
    }

    static Resp adminCall(String method, String path, String body) {
        return SandboxHttp.json(method, admin() + path, null, body);
    }

    /** The sandbox clock's now as Zoho writes it for this org (Europe/Zurich): {@code 2026-11-28T10:00:00+01:00}. */
    static String zohoNow() {
        return java.time.format.DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssxxx")
                .format(clock.instant().atZone(java.time.ZoneId.of("Europe/Zurich")));
    }

    static String enc(String s) {
        return SandboxHttp.enc(s);
    }
}
