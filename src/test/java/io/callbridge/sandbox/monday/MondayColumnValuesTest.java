package io.callbridge.sandbox.monday;

import com.fasterxml.jackson.databind.JsonNode;
import io.callbridge.sandbox.SandboxHttp.Resp;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** create_item and the column writes: every column type, valid and refused, labels, and several mutations in one request. */
class MondayColumnValuesTest extends MondayTestSupport {

    private static final String CREATE = "mutation ($b: ID!, $n: String!, $cv: JSON, $create: Boolean) { create_item(board_id: $b, "
            + "item_name: $n, column_values: $cv, create_labels_if_missing: $create) { id name column_values { id type text value } } }";

    private static Resp create(String board, Object columnValues, Boolean createLabels) {
        Map<String, Object> v = vars("b", board, "n", "Jean Dupont", "cv", columnValues);
        if (createLabels != null) v.put("create", createLabels);
        return gql(CREATE, v);
    }

    private static Map<String, JsonNode> byId(JsonNode columnValues) {
        Map<String, JsonNode> m = new LinkedHashMap<>();
        columnValues.forEach(c -> m.put(c.get("id").asText(), c));
        return m;
    }

    @Test
    void createItemStoresEveryColumnTypeAsMondayDoes() {
        String contact = createItem(CONTACTS, "Jean Dupont", Map.of());
        Map<String, Object> contactValues = new LinkedHashMap<>();
        contactValues.put("phone", Map.of("phone", "+41791234567", "countryShortName", "CH"));
        contactValues.put("email", Map.of("email", "jean@example.ch", "text", "Jean"));
        contactValues.put("company", "Dupont SA");
        contactValues.put("owner", Map.of("personsAndTeams", List.of(Map.of("id", 60000002, "kind", "person"))));
        contactValues.put("lead_status", Map.of("label", "Lead"));
        contactValues.put("last_call", Map.of("date", "2026-11-28", "time", "09:15:00"));
        contactValues.put("lead_score", "12.5");
        contactValues.put("last_summary", Map.of("text", "Rappeler lundi"));
        contactValues.put("at_risk", Map.of("checked", "true"));
        contactValues.put("command_id", "evt-1:r:0");
        Resp r = create(CONTACTS, json(contactValues), null);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().has("errors")).as(r.body()).isFalse();
        JsonNode item = r.json().at("/data/create_item");
        assertThat(Long.parseLong(item.get("id").asText())).isGreaterThan(Long.parseLong(contact));
        assertThat(item.get("name").asText()).isEqualTo("Jean Dupont");
        Map<String, JsonNode> cv = byId(item.get("column_values"));
        assertThat(cv.keySet()).containsExactly("phone", "email", "company", "owner", "lead_status", "last_call", "lead_score",
                "last_summary", "at_risk", "command_id");
        assertThat(cv.get("phone").get("type").asText()).isEqualTo("phone");
        assertThat(cv.get("phone").get("text").asText()).isEqualTo("+41791234567");
        JsonNode phoneValue = io.callbridge.sandbox.Json.parseOrNull(cv.get("phone").get("value").asText().getBytes());
        assertThat(phoneValue.get("phone").asText()).as("value is a JSON-encoded string").isEqualTo("+41791234567");
        assertThat(phoneValue.get("countryShortName").asText()).isEqualTo("CH");
        assertThat(cv.get("email").get("text").asText()).isEqualTo("jean@example.ch");
        assertThat(cv.get("company").get("text").asText()).isEqualTo("Dupont SA");
        assertThat(cv.get("company").get("value").asText()).isEqualTo("\"Dupont SA\"");
        assertThat(cv.get("owner").get("text").asText()).isEqualTo("Marc Rochat");
        assertThat(cv.get("lead_status").get("text").asText()).isEqualTo("Lead");
        assertThat(cv.get("lead_status").get("value").asText()).contains("\"index\":1");
        assertThat(cv.get("last_call").get("text").asText()).isEqualTo("2026-11-28 09:15:00");
        assertThat(cv.get("lead_score").get("text").asText()).isEqualTo("12.5");
        assertThat(cv.get("last_summary").get("text").asText()).isEqualTo("Rappeler lundi");
        assertThat(cv.get("at_risk").get("text").asText()).isEqualTo("v");
        assertThat(cv.get("command_id").get("text").asText()).isEqualTo("evt-1:r:0");

        // the call, linked to the contact
        Map<String, Object> call = new LinkedHashMap<>();
        call.put("call_date", "2026-11-28 09:10:01");
        call.put("direction", Map.of("index", 0));
        call.put("duration", 242);
        call.put("contact", Map.of("item_ids", List.of(Long.parseLong(item.get("id").asText()))));
        call.put("summary", "Le client demande un devis");
        Resp c = create(CALLS, call, null);
        assertThat(c.json().has("errors")).as(c.body()).isFalse();
        Map<String, JsonNode> callValues = byId(c.json().at("/data/create_item/column_values"));
        assertThat(callValues.get("call_date").get("text").asText()).isEqualTo("2026-11-28 09:10:01");
        assertThat(callValues.get("direction").get("text").asText()).isEqualTo("Entrant");
        assertThat(callValues.get("duration").get("text").asText()).isEqualTo("242");
        assertThat(callValues.get("contact").get("text").asText()).isEqualTo("Jean Dupont");
        assertThat(callValues.get("contact").get("value").asText()).contains("\"linkedPulseId\":" + item.get("id").asText());
        assertThat(callValues.get("summary").get("text").asText()).isEqualTo("Le client demande un devis");
        assertThat(callValues.get("recording").get("text").isNull()).as("an empty column has no text").isTrue();
        assertThat(callValues.get("recording").get("value").isNull()).isTrue();
    }

    @Test
    void theSimpleStringFormsAreAcceptedToo() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("phone", "+41791234567 CH");
        values.put("email", "jean@example.ch jean@example.ch");
        values.put("lead_status", "Client");
        values.put("last_call", "2026-11-28");
        values.put("owner", "60000001, 60000002");
        Resp r = create(CONTACTS, json(values), null);
        assertThat(r.json().has("errors")).as(r.body()).isFalse();
        Map<String, JsonNode> cv = byId(r.json().at("/data/create_item/column_values"));
        assertThat(cv.get("phone").get("text").asText()).isEqualTo("+41791234567");
        assertThat(cv.get("email").get("text").asText()).isEqualTo("jean@example.ch");
        assertThat(cv.get("lead_status").get("text").asText()).isEqualTo("Client");
        assertThat(cv.get("last_call").get("text").asText()).isEqualTo("2026-11-28");
        assertThat(cv.get("owner").get("text").asText()).isEqualTo("Claire Martin, Marc Rochat");
    }

    @Test
    void columnValuesMayBeAnObjectInsteadOfAJsonString() {
        Resp r = create(CONTACTS, Map.of("company", "Objet SA"), null);
        assertThat(r.json().has("errors")).as(r.body()).isFalse();
        Resp literal = gql("mutation { create_item(board_id: 1000000001, item_name: \"Lit\", column_values: \"{\\\"company\\\":\\\"Lit SA\\\"}\") "
                + "{ column_values(ids: [\"company\"]) { text } } }");
        assertThat(literal.json().at("/data/create_item/column_values/0/text").asText()).as(literal.body()).isEqualTo("Lit SA");
    }

    /** Each invalid value is refused with ColumnValueException, monday's message, error_data, and nothing written. */
    @Test
    void invalidValuesAreRefusedWithColumnValueException() {
        String contact = createItem(CONTACTS, "Existing", Map.of());
        Object[][] cases = {
                {CONTACTS, "phone", Map.of("phone", "+4179123", "countryShortName", "CH"), "is not valid for the country CH"},
                {CONTACTS, "phone", Map.of("phone", "+41791234567", "countryShortName", "FR"), "is not valid for the country FR"},
                {CONTACTS, "phone", "+41791234567", "country short name"},
                {CONTACTS, "email", Map.of("email", "not-an-email", "text", "x"), "Invalid email address"},
                {CONTACTS, "last_call", Map.of("date", "28.11.2026"), "Invalid date format"},
                {CONTACTS, "last_call", Map.of("date", "2026-11-28", "time", "25:00:00"), "Invalid date format"},
                {CONTACTS, "lead_status", Map.of("label", "Prospect"), "This status label doesn't exist, possible statuses are: {0: Nouveau, 1: Lead, 2: Client}"},
                {CONTACTS, "lead_status", Map.of("index", 7), "This status index doesn't exist"},
                {CONTACTS, "lead_score", "douze", "Numbers column only accepts numeric values"},
                {CONTACTS, "last_summary", Map.of("text", "x".repeat(2001)), "longer than 2000 characters"},
                {CONTACTS, "at_risk", Map.of("checked", "yes"), "Invalid checkbox column value"},
                {CONTACTS, "owner", Map.of("personsAndTeams", List.of(Map.of("id", 123, "kind", "person"))), "The user with id 123 does not exist"},
                {CALLS, "contact", Map.of("item_ids", List.of(9999999999L)), "Item 9999999999 does not exist on the connected boards"},
        };
        for (Object[] c : cases) {
            Map<String, Object> values = new LinkedHashMap<>();
            values.put("command_id", "must-not-be-written");
            values.put((String) c[1], c[2]);
            Resp r = create((String) c[0], json(values), null);
            JsonNode e = error(r, 200, "ColumnValueException");
            assertThat(e.get("message").asText()).as(c[1] + " " + c[2]).contains((String) c[3]);
            assertThat(e.at("/extensions/status_code").asInt()).isEqualTo(200);
            assertThat(e.at("/extensions/error_data/column_id").asText()).isEqualTo(c[1]);
            assertThat(e.at("/extensions/error_data/column_type").asText()).isIn("phone", "email", "date", "status", "numbers",
                    "long_text", "checkbox", "people", "board_relation");
            assertThat(e.at("/extensions/error_data/column_value").asText()).isNotBlank();
            assertThat(e.get("path").toString()).isEqualTo("[\"create_item\"]");
            assertThat(e.at("/locations/0/line").asInt()).isEqualTo(1);
            assertThat(r.json().at("/data/create_item").isNull()).as(r.body()).isTrue();
        }
        // a connected item on another board is not linkable either
        String deal = createItem(DEALS, "Affaire", Map.of());
        JsonNode e = error(create(CALLS, json(Map.of("contact", Map.of("item_ids", List.of(Long.parseLong(deal))))), null), 200, "ColumnValueException");
        assertThat(e.at("/extensions/error_data/column_type").asText()).isEqualTo("board_relation");
        assertThat(records(CONTACTS)).as("only the first item exists").hasSize(1);
        assertThat(records(CALLS)).isEmpty();
        assertThat(records(CONTACTS).get(0).get("id").asText()).isEqualTo(contact);
    }

    @Test
    void anUnknownColumnOrBoardOrBadJsonIsRefused() {
        JsonNode column = error(create(CONTACTS, json(Map.of("telephone", "x")), null), 200, "InvalidColumnIdException");
        assertThat(column.get("message").asText()).isEqualTo("This column ID doesn't exist for the board");
        assertThat(column.at("/extensions/error_data/column_id").asText()).isEqualTo("telephone");
        JsonNode board = error(create("1999999999", json(Map.of()), null), 200, "InvalidBoardIdException");
        assertThat(board.at("/extensions/error_data/board_id").asText()).isEqualTo("1999999999");
        JsonNode bad = error(create(CONTACTS, "{\"company\":", null), 200, "JsonParseException");
        assertThat(bad.get("path").toString()).isEqualTo("[\"create_item\"]");
        assertThat(records(CONTACTS)).isEmpty();
    }

    @Test
    void aMissingStatusLabelIsCreatedOnlyWhenAsked() {
        error(create(CONTACTS, json(Map.of("lead_status", Map.of("label", "Partenaire"))), false), 200, "ColumnValueException");
        Resp r = create(CONTACTS, json(Map.of("lead_status", Map.of("label", "Partenaire"))), true);
        assertThat(r.json().has("errors")).as(r.body()).isFalse();
        JsonNode status = r.json().at("/data/create_item/column_values").get(4);
        assertThat(status.get("id").asText()).isEqualTo("lead_status");
        assertThat(status.get("text").asText()).isEqualTo("Partenaire");
        assertThat(status.get("value").asText()).contains("\"index\":3");
        JsonNode settings = data("{ boards(ids: [1000000001]) { columns(ids: [\"lead_status\"]) { settings_str } } }");
        assertThat(settings.at("/boards/0/columns/0/settings_str").asText()).contains("\"3\":\"Partenaire\"");
        Resp again = create(CONTACTS, json(Map.of("lead_status", Map.of("label", "Partenaire"))), false);
        assertThat(again.json().has("errors")).as("the label exists now").isFalse();
        sandbox.reset("monday");
        error(create(CONTACTS, json(Map.of("lead_status", Map.of("label", "Partenaire"))), false), 200, "ColumnValueException");
    }

    @Test
    void longTextTakesExactly2000Characters() {
        String max = "é".repeat(2000);
        Resp ok = create(CONTACTS, json(Map.of("last_summary", Map.of("text", max))), null);
        assertThat(ok.json().has("errors")).as(ok.body()).isFalse();
        assertThat(records(CONTACTS).get(0).at("/columns/last_summary/text").asText()).isEqualTo(max);
        JsonNode e = error(create(CONTACTS, json(Map.of("last_summary", max + "x")), null), 200, "ColumnValueException");
        assertThat(e.at("/extensions/error_data/column_type").asText()).isEqualTo("long_text");
    }

    @Test
    void aliasedMutationsAnswerEachOnItsOwnAndAFailedOneLeavesTheOthers() {
        String contact = createItem(CONTACTS, "Jean Dupont", Map.of());
        Resp r = gql("mutation ($ok: JSON, $bad: JSON) {\n"
                + "  call: create_item(board_id: 1000000002, item_name: \"Appel\", column_values: $ok) { id }\n"
                + "  note: create_update(item_id: " + contact + ", body: \"Résumé de l'appel\") { id body }\n"
                + "  broken: create_item(board_id: 1000000002, item_name: \"Appel 2\", column_values: $bad) { id }\n"
                + "  after: change_multiple_column_values(board_id: 1000000001, item_id: " + contact + ", column_values: \"{\\\"company\\\":\\\"Dupont SA\\\"}\") { id }\n"
                + "  complexity { query }\n"
                + "}", vars("ok", json(Map.of("direction", Map.of("label", "Sortant"))), "bad", json(Map.of("direction", Map.of("label", "Perdu")))));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        JsonNode data = r.json().get("data");
        assertThat(data.at("/call/id").asText()).isNotBlank();
        assertThat(data.at("/note/body").asText()).isEqualTo("Résumé de l'appel");
        assertThat(data.get("broken").isNull()).isTrue();
        assertThat(data.at("/after/id").asText()).isEqualTo(contact);
        assertThat(data.at("/complexity/query").asInt()).isEqualTo(4 * 10_000 + 1 + 1 + 1 + 1 + 1);
        JsonNode e = error(r, 200, "ColumnValueException");
        assertThat(e.get("path").toString()).isEqualTo("[\"broken\"]");
        assertThat(e.at("/locations/0/line").asInt()).isEqualTo(4);
        assertThat(r.json().get("account_id").asLong()).isEqualTo(MondaySandbox.ACCOUNT_ID);
        assertThat(records(CALLS)).hasSize(1);
        assertThat(records(CONTACTS).get(0).at("/columns/company/text").asText()).isEqualTo("Dupont SA");
    }

    @Test
    void changeMultipleColumnValuesUpdatesClearsAndRenames() {
        String id = createItem(CONTACTS, "Jean", Map.of("company", "Avant SA", "lead_status", Map.of("label", "Nouveau")));
        JsonNode d = data("mutation ($cv: JSON!) { change_multiple_column_values(board_id: 1000000001, item_id: " + id
                + ", column_values: $cv) { id name column_values(ids: [\"company\", \"lead_status\", \"phone\"]) { id text } } }",
                vars("cv", json(Map.of("name", "Jean Dupont", "company", "", "lead_status", Map.of("label", "Client"),
                        "phone", Map.of("phone", "0791234567", "countryShortName", "CH")))));
        JsonNode item = d.get("change_multiple_column_values");
        assertThat(item.get("name").asText()).isEqualTo("Jean Dupont");
        Map<String, JsonNode> cv = byId(item.get("column_values"));
        assertThat(cv.get("company").get("text").isNull()).as("an empty string clears").isTrue();
        assertThat(cv.get("lead_status").get("text").asText()).isEqualTo("Client");
        assertThat(cv.get("phone").get("text").asText()).as("a national number valid for CH").isEqualTo("0791234567");
        JsonNode wrongBoard = error(gql("mutation { change_multiple_column_values(board_id: 1000000002, item_id: " + id
                + ", column_values: \"{}\") { id } }"), 200, "InvalidItemIdException");
        assertThat(wrongBoard.at("/extensions/error_data/item_id").asText()).isEqualTo(id);
        JsonNode bad = error(gql("mutation { change_multiple_column_values(board_id: 1000000001, item_id: " + id
                + ", column_values: \"{\\\"lead_score\\\":\\\"x\\\",\\\"company\\\":\\\"Jamais SA\\\"}\") { id } }"), 200, "ColumnValueException");
        assertThat(bad.at("/extensions/error_data/column_id").asText()).isEqualTo("lead_score");
        assertThat(records(CONTACTS).get(0).at("/columns/company").isMissingNode()).as("nothing of a refused write is kept").isTrue();
    }

    @Test
    void changeSimpleAndSingleColumnValues() {
        String id = createItem(CONTACTS, "Jean", Map.of());
        JsonNode d = data("mutation { a: change_simple_column_value(board_id: 1000000001, item_id: " + id + ", column_id: \"phone\", "
                + "value: \"+41791234567 CH\") { id } b: change_column_value(board_id: 1000000001, item_id: " + id + ", column_id: \"lead_status\", "
                + "value: \"{\\\"label\\\":\\\"Lead\\\"}\") { column_values(ids: [\"phone\", \"lead_status\"]) { text } } }");
        assertThat(d.at("/b/column_values/0/text").asText()).isEqualTo("+41791234567");
        assertThat(d.at("/b/column_values/1/text").asText()).isEqualTo("Lead");
    }

    @Test
    void updatesAreCreatedOnItemsAndListedNewestFirst() {
        String id = createItem(CONTACTS, "Jean", Map.of());
        JsonNode first = data("mutation { create_update(item_id: " + id + ", body: \"<p>Premier appel</p>\") { id body text_body item_id creator_id } }")
                .get("create_update");
        assertThat(first.get("body").asText()).isEqualTo("<p>Premier appel</p>");
        assertThat(first.get("text_body").asText()).isEqualTo("Premier appel");
        assertThat(first.get("item_id").asText()).isEqualTo(id);
        assertThat(first.get("creator_id").asText()).isEqualTo("60000001");
        clock.advance(java.time.Duration.ofMinutes(1));
        data("mutation { create_update(item_id: " + id + ", body: \"Second appel\") { id } }");
        JsonNode updates = data("{ items(ids: [" + id + "]) { updates { id body } } }").at("/items/0/updates");
        assertThat(updates.findValuesAsText("body")).containsExactly("Second appel", "<p>Premier appel</p>");
        assertThat(records(CONTACTS).get(0).get("updates").findValuesAsText("body")).containsExactly("<p>Premier appel</p>", "Second appel");
        JsonNode e = error(gql("mutation { create_update(item_id: 1, body: \"x\") { id } }"), 200, "InvalidItemIdException");
        assertThat(e.get("path").toString()).isEqualTo("[\"create_update\"]");
    }
}
