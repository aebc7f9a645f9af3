package io.callbridge.sandbox.monday;

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

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One monday sandbox per test class on a free port with a hand-moved clock, reset before each test; calls go over
 * real HTTP with the configured token.
 */
abstract class MondayTestSupport {

    static final String TOKEN = "test-monday-token";
    static final String CONTACTS = MondaySandbox.CONTACTS_BOARD_ID;
    static final String CALLS = MondaySandbox.CALLS_BOARD_ID;
    static final String DEALS = MondaySandbox.DEALS_BOARD_ID;
    static MutableClock clock;
    static CrmSandbox sandbox;

    static Map<String, String> config() {
        return Map.of("token", TOKEN);
    }

    @BeforeAll
    static void startSandbox() {
        clock = new MutableClock(Instant.parse("2026-11-28T09:00:00Z"));
        sandbox = CrmSandbox.start(SandboxSettings.builder().port(0).seed(11).clock(clock).config("monday", config()).build());
    }

    @AfterAll
    static void stopSandbox() {
        sandbox.close();
    }

    @BeforeEach
    void resetSandbox() {
        sandbox.reset("monday");
    }

    static String api() {
        return sandbox.baseUrl("monday") + "/v2";
    }

    /** POSTs a raw body with these headers. */
    static Resp post(Map<String, String> headers, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(api())).POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        headers.forEach(b::header);
        return SandboxHttp.send(b.build());
    }

    /** A GraphQL request with the token and API version 2026-10. */
    static Resp gql(String query, Map<String, Object> variables) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("query", query);
        if (variables != null) body.put("variables", variables);
        return post(Map.of("Authorization", TOKEN, "API-Version", "2026-10"), json(body));
    }

    static Resp gql(String query) {
        return gql(query, null);
    }

    /** The data of a request that must succeed without errors. */
    static JsonNode data(String query, Map<String, Object> variables) {
        Resp r = gql(query, variables);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().has("errors")).as(r.body()).isFalse();
        return r.json().get("data");
    }

    static JsonNode data(String query) {
        return data(query, null);
    }

    /** The single error of an answer, asserting HTTP status and code. */
    static JsonNode error(Resp r, int status, String code) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        JsonNode errors = r.json().get("errors");
        assertThat(errors).as(r.body()).isNotNull();
        assertThat(errors.size()).as(r.body()).isEqualTo(1);
        JsonNode e = errors.get(0);
        assertThat(e.path("extensions").path("code").asText()).as(r.body()).isEqualTo(code);
        assertThat(e.path("message").asText()).as(r.body()).isNotBlank();
        return e;
    }

    static String json(Object o) {
        try {
            return Json.MAPPER.writeValueAsString(o);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Creates an item through the API and answers its id. */
    static String createItem(String board, String name, Map<String, Object> columnValues) {
        JsonNode d = data("mutation ($b: ID!, $n: String!, $cv: JSON) { create_item(board_id: $b, item_name: $n, column_values: $cv) { id } }",
                vars("b", board, "n", name, "cv", json(columnValues)));
        return d.path("create_item").path("id").asText();
    }

    static Map<String, Object> vars(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return m;
    }

    static Resp adminCall(String method, String path, String body) {
        return SandboxHttp.json(method, sandbox.adminUrl() + "/monday" + path, null, body);
    }

    /** Seeds through the admin API; answers the ids by board. */
    static JsonNode seed(String json) {
        Resp r = adminCall("POST", "/seed", json);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json();
    }

    static JsonNode records(String board) {
        Resp r = adminCall("GET", "/records/" + board, null);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    static List<String> ids(JsonNode items) {
        List<String> out = new java.util.ArrayList<>();
        items.forEach(i -> out.add(i.get("id").asText()));
        return out;
    }
}
