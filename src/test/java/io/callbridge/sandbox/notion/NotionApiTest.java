package io.callbridge.sandbox.notion;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Map;

import io.callbridge.sandbox.SandboxHttp.Resp;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Authentication, Notion-Version generations, the error envelope and unknown ids. */
class NotionApiTest extends NotionTestSupport {

    @Test
    void aRouteNotionHasButTheSandboxDoesNotSimulateAnswers501SayingSo() {
        Map<String, String> h = Map.of("Authorization", "Bearer " + TOKEN, "Notion-Version", V_NEW);
        JsonNode comments = error(raw("GET", "/v1/comments?block_id=" + CONTACTS, h, null), 501, "not_simulated");
        assertThat(comments.get("message").asText()).isEqualTo("not simulated by the sandbox: GET /v1/comments");
        error(raw("PATCH", "/v1/databases/" + NotionSandbox.CALLS_DATABASE_ID, h, "{}"), 501, "not_simulated");
    }

    @Test
    void aMissingOrWrongTokenIsUnauthorized() {
        error(raw("GET", "/v1/data_sources/" + CONTACTS, Map.of("Notion-Version", V_NEW), null), 401, "unauthorized");
        error(raw("GET", "/v1/data_sources/" + CONTACTS, Map.of("Notion-Version", V_NEW, "Authorization", "Bearer nope"), null), 401, "unauthorized");
        error(raw("GET", "/v1/data_sources/" + CONTACTS, Map.of("Notion-Version", V_NEW, "Authorization", TOKEN), null), 401, "unauthorized");
        assertThat(call("GET", "/v1/data_sources/" + CONTACTS, null).status()).isEqualTo(200);
        admin("POST", "/tokens/expire", null);
        error(call("GET", "/v1/data_sources/" + CONTACTS, null), 401, "unauthorized");
        sandbox.reset("notion");
        assertThat(call("GET", "/v1/data_sources/" + CONTACTS, null).status()).isEqualTo(200);
    }

    @Test
    void theVersionHeaderIsRequiredAndMustBeKnown() {
        Resp r = raw("GET", "/v1/data_sources/" + CONTACTS, Map.of("Authorization", "Bearer " + TOKEN), null);
        assertThat(error(r, 400, "missing_version").get("message").asText()).contains("Notion-Version");
        error(call("2024-01-01", "GET", "/v1/data_sources/" + CONTACTS, null), 400, "validation_error");
    }

    @Test
    void theOldVersionQueriesDatabasesAndSeesTheSchemaInline() {
        Resp db = call(V_OLD, "GET", "/v1/databases/" + NotionSandbox.CONTACTS_DATABASE_ID, null);
        assertThat(db.status()).isEqualTo(200);
        assertThat(db.json().at("/properties/Phone/type").asText()).isEqualTo("phone_number");
        assertThat(db.json().has("data_sources")).isFalse();
        String id = contact("Jean Dupont", "\"Phone\":{\"phone_number\":\"+41791234567\"}");
        Resp q = call(V_OLD, "POST", "/v1/databases/" + NotionSandbox.CONTACTS_DATABASE_ID + "/query",
                "{\"filter\":{\"property\":\"Phone\",\"phone_number\":{\"equals\":\"+41791234567\"}}}");
        assertThat(q.status()).as(q.body()).isEqualTo(200);
        assertThat(q.json().at("/results/0/id").asText()).isEqualTo(id);
        assertThat(q.json().at("/results/0/parent/type").asText()).isEqualTo("database_id");
        assertThat(q.json().at("/results/0/archived").asBoolean(true)).isFalse();
        // the new generation's endpoints and parents are not there
        error(call(V_OLD, "POST", "/v1/data_sources/" + CONTACTS + "/query", "{}"), 400, "invalid_request_url");
        error(call(V_OLD, "GET", "/v1/data_sources/" + CONTACTS, null), 400, "invalid_request_url");
        error(call(V_OLD, "POST", "/v1/pages", "{\"parent\":{\"data_source_id\":\"" + CONTACTS + "\"},\"properties\":{\"Name\":{\"title\":" + text("x") + "}}}"),
                400, "validation_error");
        Resp created = call(V_OLD, "POST", "/v1/pages", "{\"parent\":{\"database_id\":\"" + NotionSandbox.CALLS_DATABASE_ID + "\"},"
                + "\"properties\":{\"Name\":{\"title\":" + text("Appel") + "}}}");
        assertThat(created.status()).as(created.body()).isEqualTo(200);
    }

    @Test
    void theNewVersionsQueryDataSourcesAndListThemInTheDatabase() {
        for (String v : new String[] {V_MID, V_NEW}) {
            Resp db = call(v, "GET", "/v1/databases/" + NotionSandbox.CALLS_DATABASE_ID, null);
            assertThat(db.status()).as(db.body()).isEqualTo(200);
            assertThat(db.json().at("/data_sources/0/id").asText()).isEqualTo(CALLS);
            assertThat(db.json().has("properties")).isFalse();
            Resp ds = call(v, "GET", "/v1/data_sources/" + CALLS, null);
            assertThat(ds.json().at("/properties/Contact/relation/data_source_id").asText()).isEqualTo(CONTACTS);
            assertThat(ds.json().at("/properties/Direction/select/options/1/name").asText()).isEqualTo("Sortant");
            error(call(v, "POST", "/v1/databases/" + NotionSandbox.CALLS_DATABASE_ID + "/query", "{}"), 400, "invalid_request_url");
        }
        String id = contact("Anne", null);
        Resp page = call(V_NEW, "GET", "/v1/pages/" + id, null);
        assertThat(page.json().at("/parent/data_source_id").asText()).isEqualTo(CONTACTS);
        assertThat(page.json().has("archived")).isFalse();
        assertThat(call(V_MID, "GET", "/v1/pages/" + id, null).json().has("archived")).isTrue();
    }

    @Test
    void theWorkspacesUsersAreListedInPagesWithTheBotLast() {
        Resp all = call("GET", "/v1/users", null);
        assertThat(all.status()).as(all.body()).isEqualTo(200);
        assertThat(all.json().get("results")).extracting(u -> u.get("name").asText()).containsExactly("Claire Martin", "Marc Rochat", "Callbridge");
        assertThat(all.json().at("/results/0/id").asText()).isEqualTo(NotionSandbox.OWNER_USER_ID);
        assertThat(all.json().at("/results/0/person/email").asText()).isEqualTo("claire.martin@example.test");
        assertThat(all.json().at("/results/2/type").asText()).isEqualTo("bot");
        assertThat(all.json().get("has_more").asBoolean()).isFalse();
        Resp first = call("GET", "/v1/users?page_size=2", null);
        assertThat(first.json().get("results")).hasSize(2);
        assertThat(first.json().get("has_more").asBoolean()).isTrue();
        Resp rest = call("GET", "/v1/users?page_size=2&start_cursor=" + first.json().get("next_cursor").asText(), null);
        assertThat(rest.json().get("results")).extracting(u -> u.get("name").asText()).containsExactly("Callbridge");
        error(call("GET", "/v1/users?page_size=101", null), 400, "validation_error");
    }

    @Test
    void unknownIdsAreNotFoundAndMalformedOnesInvalid() {
        error(call("GET", "/v1/pages/7f3e2a10-5b4c-4d8e-9f01-999999999999", null), 404, "object_not_found");
        error(call("GET", "/v1/data_sources/7f3e2a10-5b4c-4d8e-9f01-999999999999", null), 404, "object_not_found");
        error(call("GET", "/v1/databases/7f3e2a10-5b4c-4d8e-9f01-999999999999", null), 404, "object_not_found");
        error(call("GET", "/v1/blocks/7f3e2a10-5b4c-4d8e-9f01-999999999999/children", null), 404, "object_not_found");
        error(call("GET", "/v1/pages/abc?v=1", null), 400, "validation_error");
        // ids without dashes are the same ids
        assertThat(call("GET", "/v1/data_sources/" + CONTACTS.replace("-", ""), null).json().get("id").asText()).isEqualTo(CONTACTS);
        error(call("POST", "/v1/pages", "{not json"), 400, "invalid_json");
    }

    @Test
    void theRateLimitIsATokenBucketWithRetryAfter() {
        try (var limited = io.callbridge.sandbox.CrmSandbox.start(io.callbridge.sandbox.SandboxSettings.builder().port(0).clock(clock)
                .config("notion", Map.of("token", TOKEN, "rate-per-second", "3", "burst", "10")).build())) {
            java.util.function.Supplier<Resp> get = () -> io.callbridge.sandbox.SandboxHttp.send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(limited.baseUrl("notion") + "/v1/data_sources/" + CONTACTS))
                    .header("Authorization", "Bearer " + TOKEN).header("Notion-Version", V_NEW).build());
            for (int i = 0; i < 10; i++) assertThat(get.get().status()).as("burst request " + i).isEqualTo(200);
            Resp r = get.get();
            error(r, 429, "rate_limited");
            assertThat(r.header("Retry-After")).isEqualTo("1");
            if (contract != null) assertThat(contract.checkResponse("GET", "/v1/data_sources/" + CONTACTS, 429, r.json())).isEmpty();
            clock.advance(Duration.ofMillis(340)); // one token at 3/s
            assertThat(get.get().status()).isEqualTo(200);
            assertThat(get.get().status()).isEqualTo(429);
            clock.advance(Duration.ofSeconds(2)); // six tokens
            for (int i = 0; i < 6; i++) assertThat(get.get().status()).isEqualTo(200);
            assertThat(get.get().status()).isEqualTo(429);
            limited.reset("notion");
            for (int i = 0; i < 10; i++) assertThat(get.get().status()).isEqualTo(200);
        }
    }

    @Test
    void injectedFaultsAnswerNotionsBodies() {
        admin("POST", "/faults/script", "[{\"status\":529},{\"status\":429},{\"status\":409}]");
        Resp a = call("GET", "/v1/data_sources/" + CONTACTS, null);
        error(a, 529, "service_overload");
        Resp b = call("GET", "/v1/data_sources/" + CONTACTS, null);
        error(b, 429, "rate_limited");
        assertThat(b.header("Retry-After")).matches("\\d+");
        error(call("GET", "/v1/data_sources/" + CONTACTS, null), 409, "conflict_error");
        assertThat(call("GET", "/v1/data_sources/" + CONTACTS, null).status()).isEqualTo(200);
    }
}
