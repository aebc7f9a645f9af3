package io.callbridge.sandbox.notion;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.callbridge.sandbox.CrmSandbox;
import io.callbridge.sandbox.Json;
import io.callbridge.sandbox.MutableClock;
import io.callbridge.sandbox.SandboxHttp;
import io.callbridge.sandbox.SandboxHttp.Resp;
import io.callbridge.sandbox.SandboxSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One Notion sandbox per test class on a free port and a hand-moved clock, reset before each test, with a burst large
 * enough that only the rate-limit tests meet the limit. Every 2026-03-11 call made through {@link #call} is checked against
 * Notion's OpenAPI document when present (the request body when accepted, the answer always); calls of the older
 * versions are not (the document describes 2026-03-11 only: their pages still carry {@code archived}).
 */
abstract class NotionTestSupport {

    static final String TOKEN = "ntn_test_secret";
    static final String V_NEW = "2026-03-11";
    static final String V_MID = "2025-09-03";
    static final String V_OLD = "2022-06-28";
    static final String CONTACTS = NotionSandbox.CONTACTS_DATA_SOURCE_ID;
    static final String CALLS = NotionSandbox.CALLS_DATA_SOURCE_ID;
    static MutableClock clock;
    static CrmSandbox sandbox;
    static NotionContract contract;

    static Map<String, String> config() {
        return Map.of("token", TOKEN, "burst", "1000");
    }

    @BeforeAll
    static void startSandbox() {
        clock = new MutableClock(Instant.parse("2026-11-28T09:00:00Z"));
        contract = NotionContract.getIfAvailable();
    }

    @BeforeEach
    void startOrReset() {
        if (sandbox == null) sandbox = CrmSandbox.start(SandboxSettings.builder().port(0).seed(11).clock(clock).config("notion", config()).build());
        sandbox.reset("notion");
    }

    @AfterAll
    static void stopSandbox() {
        if (sandbox != null) sandbox.close();
        sandbox = null;
    }

    static Resp raw(String method, String path, Map<String, String> headers, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(sandbox.baseUrl("notion") + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(b::header);
        if (body != null) b.header("Content-Type", "application/json");
        return SandboxHttp.send(b.build());
    }

    static Resp call(String version, String method, String path, String body) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Authorization", "Bearer " + TOKEN);
        h.put("Notion-Version", version);
        Resp r = raw(method, path, h, body);
        if (version.equals(V_NEW)) check(method, path, body, r);
        return r;
    }

    static Resp call(String method, String path, String body) {
        return call(V_NEW, method, path, body);
    }

    static void check(String method, String path, String body, Resp r) {
        if (contract == null) return;
        String api = path.replaceFirst("\\?.*", "");
        // a route the document lacks (the old generation's query, refused by the new versions) is not checked
        if (contract.operation(method, api) == null) return;
        if (r.status() < 300 && body != null) {
            JsonNode json = Json.parseOrNull(body.getBytes(StandardCharsets.UTF_8));
            assertThat(contract.checkRequest(method, api, json)).as("request " + method + " " + path + " " + body).isEmpty();
        }
        if (r.body() != null && !r.body().isEmpty()) {
            assertThat(contract.checkResponse(method, api, r.status(), r.json())).as("answer " + r.status() + " to " + method + " " + path + ": " + r.body()).isEmpty();
        }
    }

    /** Asserts Notion's error envelope. */
    static JsonNode error(Resp r, int status, String code) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        JsonNode b = r.json();
        assertThat(b.get("object").asText()).isEqualTo("error");
        assertThat(b.get("status").asInt()).isEqualTo(status);
        assertThat(b.get("code").asText()).as(r.body()).isEqualTo(code);
        assertThat(b.get("message").asText()).isNotBlank();
        assertThat(b.get("request_id").asText()).matches("[0-9a-f-]{36}");
        return b;
    }

    static String text(String s) {
        return "[{\"text\":{\"content\":" + Json.object().textNode(s) + "}}]";
    }

    /** Creates a contact with these extra property JSON members; answers its id. */
    static String contact(String name, String extra) {
        Resp r = call("POST", "/v1/pages", "{\"parent\":{\"type\":\"data_source_id\",\"data_source_id\":\"" + CONTACTS + "\"},"
                + "\"properties\":{\"Name\":{\"title\":" + text(name) + "}" + (extra == null ? "" : "," + extra) + "}}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json().get("id").asText();
    }

    static Resp query(String dataSource, String body) {
        return call("POST", "/v1/data_sources/" + dataSource + "/query", body);
    }

    static List<String> titles(Resp r) {
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        List<String> out = new ArrayList<>();
        r.json().get("results").forEach(p -> out.add(p.at("/properties/Name/title/0/plain_text").asText()));
        return out;
    }

    static Resp admin(String method, String path, String body) {
        return SandboxHttp.json(method, sandbox.adminUrl() + "/notion" + path, null, body);
    }
}
