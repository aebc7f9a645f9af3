package io.callbridge.sandbox.monday;

import com.fasterxml.jackson.databind.JsonNode;
import io.callbridge.sandbox.SandboxHttp;
import io.callbridge.sandbox.SandboxHttp.Resp;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Authentication, API versions, request-level errors, parsing and validation against the schema subset. */
class MondayApiTest extends MondayTestSupport {

    private static final String ME = "{\"query\":\"{ me { id name email } }\"}";

    @Test
    void theRawTokenOrABearerTokenAuthenticates() {
        for (String header : new String[] {TOKEN, "Bearer " + TOKEN}) {
            Resp r = post(Map.of("Authorization", header), ME);
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            JsonNode me = r.json().at("/data/me");
            assertThat(me.get("id").asText()).isEqualTo("60000001");
            assertThat(me.get("name").asText()).isEqualTo("Claire Martin");
            assertThat(me.get("email").asText()).isEqualTo("claire.martin@example.test");
            assertThat(r.json().at("/extensions/request_id").asText()).isNotBlank();
            assertThat(r.header("RateLimit-Policy")).contains("\"complexity\";q=10000000;w=60");
            assertThat(r.header("RateLimit")).contains("\"complexity\";r=");
        }
    }

    @Test
    void aMissingOrWrongTokenAnswers401WithoutData() {
        for (Map<String, String> headers : java.util.List.of(Map.<String, String>of(), Map.of("Authorization", "nope"),
                Map.of("Authorization", "Bearer nope"))) {
            Resp r = post(headers, ME);
            JsonNode e = error(r, 401, "UNAUTHENTICATED");
            assertThat(e.get("message").asText()).isEqualTo("Not Authenticated");
            assertThat(e.at("/extensions/status_code").asInt()).isEqualTo(401);
            assertThat(r.json().has("data")).isFalse();
        }
    }

    @Test
    void expiredTokensAnswer401UntilReset() {
        assertThat(adminCall("POST", "/tokens/expire", null).status()).isEqualTo(204);
        error(post(Map.of("Authorization", TOKEN), ME), 401, "UNAUTHENTICATED");
        sandbox.reset("monday");
        assertThat(post(Map.of("Authorization", TOKEN), ME).status()).isEqualTo(200);
    }

    @Test
    void theApiVersionHeaderPicksTheVersionServed() {
        String q = "{\"query\":\"{ version { value kind } versions { value kind } }\"}";
        JsonNode none = post(Map.of("Authorization", TOKEN), q).json().get("data");
        assertThat(none.at("/version/value").asText()).as("no header: the current version").isEqualTo("2026-10");
        assertThat(none.at("/version/kind").asText()).isEqualTo("current");
        assertThat(none.get("versions").toString()).isEqualTo("[{\"value\":\"2026-07\",\"kind\":\"maintenance\"},"
                + "{\"value\":\"2026-10\",\"kind\":\"current\"},{\"value\":\"2027-01\",\"kind\":\"release_candidate\"}]");
        JsonNode rc = post(Map.of("Authorization", TOKEN, "API-Version", "2027-01"), q).json().get("data");
        assertThat(rc.at("/version/value").asText()).isEqualTo("2027-01");
        assertThat(rc.at("/version/kind").asText()).isEqualTo("release_candidate");
        JsonNode old = post(Map.of("Authorization", TOKEN, "API-Version", "2025-01"), q).json().get("data");
        assertThat(old.at("/version/value").asText()).as("a deprecated version is routed to the oldest supported").isEqualTo("2026-07");
        for (String bad : new String[] {"2099-01", "2026-08", "latest"}) {
            JsonNode e = error(post(Map.of("Authorization", TOKEN, "API-Version", bad), q), 400, "InvalidVersionException");
            assertThat(e.get("message").asText()).contains(bad).contains("2026-07, 2026-10, 2027-01");
        }
    }

    @Test
    void aBodyThatIsNotJsonOrHasNoQueryAnswers400() {
        JsonNode e = error(post(Map.of("Authorization", TOKEN), "{not json"), 400, "JsonParseException");
        assertThat(e.at("/extensions/status_code").asInt()).isEqualTo(400);
        JsonNode none = error(post(Map.of("Authorization", TOKEN), "{\"variables\":{}}"), 400, "BAD_REQUEST");
        assertThat(none.get("message").asText()).isEqualTo("No query string was present");
        Resp get = SandboxHttp.send("GET", api(), null, null, null);
        assertThat(get.status()).as("no token: 401 first").isEqualTo(401);
        Resp elsewhere = post(Map.of("Authorization", TOKEN), ME.replace("me", "me"));
        assertThat(elsewhere.status()).isEqualTo(200);
        Resp unknownPath = SandboxHttp.json("POST", sandbox.baseUrl("monday") + "/v1", TOKEN, ME);
        JsonNode notSimulated = error(unknownPath, 501, "NOT_SIMULATED");
        assertThat(notSimulated.get("message").asText()).isEqualTo("not simulated by the sandbox: POST /v1");
    }

    @Test
    void aSyntaxErrorAnswers200WithAParseErrorAndItsLocation() {
        Resp r = gql("query {\n  boards(ids: [1000000001]) { id name \n}");
        JsonNode e = error(r, 200, "GRAPHQL_PARSE_FAILED");
        assertThat(e.get("message").asText()).isEqualTo("Unexpected end of document");
        assertThat(r.json().has("data")).isFalse();
        Resp paren = gql("{ boards(ids: [1]) { id ) }");
        JsonNode p = error(paren, 200, "GRAPHQL_PARSE_FAILED");
        assertThat(p.get("message").asText()).isEqualTo("Parse error on \")\" (RPAREN) at [1, 25]");
        assertThat(p.at("/locations/0/line").asInt()).isEqualTo(1);
        assertThat(p.at("/locations/0/column").asInt()).isEqualTo(25);
        assertThat(paren.json().get("account_id").asLong()).isEqualTo(MondaySandbox.ACCOUNT_ID);
    }

    @Test
    void anUnknownFieldIsRefusedBeforeAnythingRuns() {
        Resp r = gql("mutation {\n  create_item(board_id: 1000000001, item_name: \"x\") { id nickname }\n}");
        JsonNode e = error(r, 200, "undefinedField");
        assertThat(e.get("message").asText()).isEqualTo("Field 'nickname' doesn't exist on type 'Item'");
        assertThat(e.at("/extensions/typeName").asText()).isEqualTo("Item");
        assertThat(e.at("/extensions/fieldName").asText()).isEqualTo("nickname");
        assertThat(e.at("/locations/0/line").asInt()).isEqualTo(2);
        assertThat(e.at("/locations/0/column").asInt()).isEqualTo(58);
        assertThat(e.get("path").toString()).isEqualTo("[\"mutation\",\"create_item\",\"nickname\"]");
        assertThat(r.json().has("data")).isFalse();
        assertThat(records(CONTACTS)).as("the mutation did not run").isEmpty();
    }

    @Test
    void unknownAndMissingArgumentsAndBadValuesAreValidationErrors() {
        JsonNode unknown = error(gql("{ boards(ids: [1], color: \"red\") { id } }"), 200, "argumentNotAccepted");
        assertThat(unknown.get("message").asText()).isEqualTo("Field 'boards' doesn't accept argument 'color'");
        JsonNode missing = error(gql("mutation { create_item(board_id: 1000000001) { id } }"), 200, "missingRequiredArguments");
        assertThat(missing.get("message").asText()).isEqualTo("Field 'create_item' is missing required arguments: item_name");
        JsonNode wrong = error(gql("{ boards(ids: [1000000001]) { items_page(limit: \"ten\") { cursor } } }"), 200, "argumentLiteralsIncompatible");
        assertThat(wrong.get("message").asText()).isEqualTo("Argument 'limit' on Field 'items_page' has an invalid value (\"ten\"). Expected type 'Int!'.");
        assertThat(wrong.get("path").toString()).isEqualTo("[\"query\",\"boards\",\"items_page\"]");
        JsonNode mismatch = error(gql("query ($b: String) { boards(ids: [$b]) { id } }", vars("b", "1")), 200, "variableMismatch");
        assertThat(mismatch.get("message").asText()).isEqualTo("Type mismatch on variable $b in field 'boards' (String / ID!)");
        JsonNode enumValue = error(gql("{ boards(ids: [1000000001]) { items_page(query_params: {rules: [{column_id: \"phone\", "
                + "compare_value: [\"1\"], operator: resembles}]}) { cursor } } }"), 200, "argumentLiteralsIncompatible");
        assertThat(enumValue.get("message").asText()).startsWith("Argument 'query_params' on Field 'items_page' has an invalid value (")
                .contains("operator : resembles").endsWith("Expected type 'ItemsQuery'.");
        JsonNode leaf = error(gql("{ me }"), 200, "selectionMismatch");
        assertThat(leaf.get("message").asText()).contains("'me' returns User but has no selections");
        JsonNode undeclared = error(gql("query { boards(ids: [$b]) { id } }"), 200, "variableNotDefined");
        assertThat(undeclared.get("message").asText()).isEqualTo("Variable $b is used by query but not declared");
    }

    @Test
    void fieldsOfMondaysSchemaThatTheSubsetLacksAreRefusedToo() {
        JsonNode e = error(gql("{ boards(ids: [1000000001]) { id workspace_id } }"), 200, "undefinedField");
        assertThat(e.get("message").asText()).isEqualTo("Field 'workspace_id' doesn't exist on type 'Board'");
    }

    @Test
    void usersAndBoardsWithTheirColumns() {
        JsonNode d = data("{ users(ids: [60000002]) { id name email } boards(ids: [1000000001]) { id name groups { id title } "
                + "columns { id title type settings_str } } }");
        assertThat(d.at("/users/0/name").asText()).isEqualTo("Marc Rochat");
        assertThat(d.get("users").size()).isEqualTo(1);
        JsonNode board = d.at("/boards/0");
        assertThat(board.get("name").asText()).isEqualTo("Contacts");
        assertThat(board.at("/groups/0/id").asText()).isEqualTo("topics");
        assertThat(board.get("columns").findValuesAsText("id")).containsExactly("name", "phone", "email", "company", "owner",
                "lead_status", "last_call", "lead_score", "last_summary", "at_risk", "command_id");
        JsonNode status = board.get("columns").get(5);
        assertThat(status.get("type").asText()).isEqualTo("status");
        assertThat(status.get("settings_str").asText()).isEqualTo("{\"labels\":{\"0\":\"Nouveau\",\"1\":\"Lead\",\"2\":\"Client\"}}");
        JsonNode all = data("{ boards { id name } }").get("boards");
        assertThat(all.findValuesAsText("id")).containsExactly("1000000001", "1000000002", "1000000003", "1000000004", "1000000005", "1000000006");
        assertThat(all.findValuesAsText("name")).containsExactly("Contacts", "Appels", "Affaires", "Tâches", "Réclamations", "Rendez-vous");
        JsonNode relation = data("{ boards(ids: [1000000002]) { columns(ids: [\"contact\"]) { type settings_str } } }").at("/boards/0/columns/0");
        assertThat(relation.get("type").asText()).isEqualTo("board_relation");
        assertThat(relation.get("settings_str").asText()).isEqualTo("{\"boardIds\":[1000000001]}");
    }

    @Test
    void variablesMayComeAsAJsonString() {
        Resp r = post(Map.of("Authorization", TOKEN), "{\"query\":\"query ($ids: [ID!]) { users(ids: $ids) { name } }\","
                + "\"variables\":\"{\\\"ids\\\":[\\\"60000002\\\"]}\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().at("/data/users/0/name").asText()).isEqualTo("Marc Rochat");
    }

    @Test
    void aMissingOrMistypedVariableIsRefusedWithoutData() {
        Resp missing = gql("query ($ids: [ID!]!) { users(ids: $ids) { id } }", vars());
        JsonNode e = error(missing, 200, "GRAPHQL_VALIDATION_FAILED");
        assertThat(e.get("message").asText()).contains("ids");
        assertThat(missing.json().path("data").isMissingNode() || missing.json().get("data").isNull()).as(missing.body()).isTrue();
        Resp mistyped = gql("query ($limit: Int!) { boards(ids: [1000000001]) { items_page(limit: $limit) { cursor } } }", vars("limit", "ten"));
        error(mistyped, 200, "GRAPHQL_VALIDATION_FAILED");
        Resp twoOps = gql("query A { me { id } } query B { me { name } }");
        error(twoOps, 200, "GRAPHQL_VALIDATION_FAILED");
        Resp named = post(Map.of("Authorization", TOKEN), "{\"query\":\"query A { me { id } } query B { me { name } }\",\"operationName\":\"B\"}");
        assertThat(named.json().at("/data/me/name").asText()).as(named.body()).isEqualTo("Claire Martin");
    }
}
