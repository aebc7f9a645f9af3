package io.callbridge.sandbox.monday;

import com.fasterxml.jackson.databind.JsonNode;
import io.callbridge.sandbox.SandboxHttp.Resp;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Finding items: items_page rules (phone contains_text), items_page_by_column_values, cursors, items(ids). */
class MondaySearchTest extends MondayTestSupport {

    private static final String PAGE = "query ($rules: [ItemsQueryRule!], $op: ItemsQueryOperator, $limit: Int!) { boards(ids: [1000000001]) "
            + "{ items_page(limit: $limit, query_params: {rules: $rules, operator: $op}) { cursor items { id name } } } }";

    /** Three contacts: two Swiss numbers (one stored with inner spaces) and a French one. */
    private JsonNode contacts() {
        return seed("{\"1000000001\":["
                + "{\"name\":\"Jean Dupont\",\"column_values\":{\"phone\":{\"phone\":\"+41791234567\",\"countryShortName\":\"CH\"},"
                + "\"lead_status\":{\"label\":\"Client\"},\"company\":\"Dupont SA\",\"owner\":{\"personsAndTeams\":[{\"id\":60000002,\"kind\":\"person\"}]}}},"
                + "{\"name\":\"Marie Curie\",\"column_values\":{\"phone\":\"+33612345678 FR\",\"lead_status\":{\"label\":\"Lead\"},\"lead_score\":\"40\"}},"
                + "{\"name\":\"Paul Favre\",\"column_values\":{\"phone\":{\"phone\":\"079 765 43 21\",\"countryShortName\":\"CH\"},\"lead_score\":\"75\"}},"
                + "{\"name\":\"Sans Téléphone\",\"column_values\":{\"company\":\"Vide SA\"}}]}").get(CONTACTS);
    }

    private static List<String> found(Resp r) {
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().has("errors")).as(r.body()).isFalse();
        return ids(r.json().at("/data/boards/0/items_page/items"));
    }

    private static Map<String, Object> rule(String column, Object compare, String operator) {
        return Map.of("column_id", column, "compare_value", compare, "operator", operator);
    }

    @Test
    void containsTextOnAPhoneMatchesTheStoredDigits() {
        JsonNode ids = contacts();
        assertThat(found(gql(PAGE, vars("rules", List.of(rule("phone", List.of("791234567"), "contains_text")), "limit", 25))))
                .containsExactly(ids.get(0).asText());
        assertThat(found(gql(PAGE, vars("rules", List.of(rule("phone", "+41791234567", "contains_text")), "limit", 25))))
                .containsExactly(ids.get(0).asText());
        assertThat(found(gql(PAGE, vars("rules", List.of(rule("phone", List.of("765 43 21"), "contains_text")), "limit", 25))))
                .as("spaces in the compare value do not match stored digits").isEmpty();
        assertThat(found(gql(PAGE, vars("rules", List.of(rule("phone", List.of("7654321"), "contains_text")), "limit", 25))))
                .as("the number given with spaces was stored as digits").containsExactly(ids.get(2).asText());
        assertThat(found(gql(PAGE, vars("rules", List.of(rule("phone", List.of("791234567"), "not_contains_text")), "limit", 25))))
                .containsExactly(ids.get(1).asText(), ids.get(2).asText(), ids.get(3).asText());
        JsonNode stored = records(CONTACTS).get(2);
        assertThat(stored.at("/columns/phone/phone").asText()).isEqualTo("0797654321");
        assertThat(stored.at("/columns/phone/text").asText()).isEqualTo("0797654321");
    }

    @Test
    void phoneAnyOfComparesCountriesAndEmptinessOperatorsWork() {
        JsonNode ids = contacts();
        assertThat(found(gql(PAGE, vars("rules", List.of(rule("phone", List.of("CH"), "any_of")), "limit", 25))))
                .containsExactly(ids.get(0).asText(), ids.get(2).asText());
        assertThat(found(gql(PAGE, vars("rules", List.of(rule("phone", List.of("CH"), "not_any_of")), "limit", 25))))
                .containsExactly(ids.get(1).asText(), ids.get(3).asText());
        assertThat(found(gql(PAGE, vars("rules", List.of(rule("phone", List.of(), "is_empty")), "limit", 25))))
                .containsExactly(ids.get(3).asText());
        assertThat(found(gql(PAGE, vars("rules", List.of(rule("phone", List.of(), "is_not_empty")), "limit", 25))))
                .containsExactly(ids.get(0).asText(), ids.get(1).asText(), ids.get(2).asText());
    }

    @Test
    void rulesCombineWithAndOrOrAndCoverStatusPeopleNumbersAndText() {
        JsonNode ids = contacts();
        assertThat(found(gql(PAGE, vars("rules", List.of(rule("lead_status", List.of(2), "any_of")), "limit", 25))))
                .as("status by index").containsExactly(ids.get(0).asText());
        assertThat(found(gql(PAGE, vars("rules", List.of(rule("lead_status", List.of("Lead"), "any_of")), "limit", 25))))
                .as("status by label").containsExactly(ids.get(1).asText());
        assertThat(found(gql(PAGE, vars("rules", List.of(rule("owner", List.of("person-60000002"), "any_of")), "limit", 25))))
                .containsExactly(ids.get(0).asText());
        assertThat(found(gql(PAGE, vars("rules", List.of(rule("lead_score", List.of(50), "greater_than")), "limit", 25))))
                .containsExactly(ids.get(2).asText());
        assertThat(found(gql(PAGE, vars("rules", List.of(rule("name", List.of("dupont"), "contains_text")), "limit", 25))))
                .containsExactly(ids.get(0).asText());
        List<Map<String, Object>> two = List.of(rule("phone", List.of("CH"), "any_of"), rule("lead_score", List.of(), "is_not_empty"));
        assertThat(found(gql(PAGE, vars("rules", two, "limit", 25)))).containsExactly(ids.get(2).asText());
        assertThat(found(gql(PAGE, vars("rules", two, "op", "or", "limit", 25))))
                .containsExactly(ids.get(0).asText(), ids.get(1).asText(), ids.get(2).asText());
        JsonNode unknown = error(gql(PAGE, vars("rules", List.of(rule("telephone", List.of("1"), "contains_text")), "limit", 25)),
                200, "InvalidColumnIdException");
        assertThat(unknown.get("path").toString()).isEqualTo("[\"boards\",0,\"items_page\"]");
        error(gql(PAGE, vars("rules", List.of(rule("company", List.of("x"), "within_the_next")), "limit", 25)), 200, "InvalidArgumentException");
    }

    @Test
    void itemsPageByColumnValuesMatchesExactValuesAndCombinesColumns() {
        JsonNode ids = contacts();
        String q = "query ($cols: [ItemsPageByColumnValuesQuery!]) { items_page_by_column_values(board_id: 1000000001, limit: 10, "
                + "columns: $cols) { cursor items { id name column_values(ids: [\"phone\"]) { text } } } }";
        JsonNode byPhone = data(q, vars("cols", List.of(Map.of("column_id", "phone", "column_values", List.of("+41791234567", "+33612345678")))));
        assertThat(ids(byPhone.at("/items_page_by_column_values/items"))).containsExactly(ids.get(0).asText(), ids.get(1).asText());
        assertThat(byPhone.at("/items_page_by_column_values/cursor").isNull()).isTrue();
        JsonNode partial = data(q, vars("cols", List.of(Map.of("column_id", "phone", "column_values", List.of("791234567")))));
        assertThat(partial.at("/items_page_by_column_values/items")).as("exact match only").isEmpty();
        JsonNode and = data(q, vars("cols", List.of(Map.of("column_id", "phone", "column_values", List.of("+41791234567", "+33612345678")),
                Map.of("column_id", "lead_status", "column_values", List.of("Lead")))));
        assertThat(ids(and.at("/items_page_by_column_values/items"))).containsExactly(ids.get(1).asText());
        JsonNode byName = data(q, vars("cols", List.of(Map.of("column_id", "name", "column_values", List.of("Paul Favre")))));
        assertThat(ids(byName.at("/items_page_by_column_values/items"))).containsExactly(ids.get(2).asText());
        error(gql("{ items_page_by_column_values(board_id: 42, columns: [{column_id: \"phone\", column_values: [\"1\"]}]) { cursor } }"),
                200, "InvalidBoardIdException");
    }

    @Test
    void cursorsWalkEveryPageOnceAndExpireAfterAnHour() {
        StringBuilder b = new StringBuilder("{\"1000000002\":[");
        for (int i = 0; i < 7; i++) b.append(i == 0 ? "" : ",").append("{\"name\":\"Appel ").append(i).append("\",\"column_values\":{\"duration\":\"")
                .append(i * 10).append("\"}}");
        JsonNode seeded = seed(b.append("]}").toString()).get(CALLS);
        JsonNode first = data("{ boards(ids: [1000000002]) { items_page(limit: 3, query_params: {rules: [{column_id: \"duration\", "
                + "compare_value: [0], operator: greater_than}]}) { cursor items { id } } } }").at("/boards/0/items_page");
        assertThat(ids(first.get("items"))).containsExactly(seeded.get(1).asText(), seeded.get(2).asText(), seeded.get(3).asText());
        String cursor = first.get("cursor").asText();
        assertThat(cursor).isNotBlank();
        String next = "query ($c: String!) { next_items_page(cursor: $c, limit: 3) { cursor items { id } } }";
        JsonNode second = data(next, vars("c", cursor)).get("next_items_page");
        assertThat(ids(second.get("items"))).containsExactly(seeded.get(4).asText(), seeded.get(5).asText(), seeded.get(6).asText());
        assertThat(second.get("cursor").isNull()).as("the filter's last page").isTrue();
        JsonNode again = data(next, vars("c", cursor)).get("next_items_page");
        assertThat(ids(again.get("items"))).as("a cursor can be read again within its hour").containsExactly(seeded.get(4).asText(),
                seeded.get(5).asText(), seeded.get(6).asText());
        JsonNode byValues = data("{ items_page_by_column_values(board_id: 1000000002, limit: 5, columns: [{column_id: \"duration\", "
                + "column_values: [\"0\", \"10\", \"20\", \"30\", \"40\", \"50\"]}]) { cursor items { id } } }").get("items_page_by_column_values");
        assertThat(byValues.get("items")).hasSize(5);
        JsonNode rest = data(next, vars("c", byValues.get("cursor").asText())).get("next_items_page");
        assertThat(ids(rest.get("items"))).containsExactly(seeded.get(5).asText());
        clock.advance(Duration.ofMinutes(61));
        JsonNode expired = error(gql(next, vars("c", cursor)), 200, "CursorException");
        assertThat(expired.get("message").asText()).contains("expired");
        error(gql(next, vars("c", "bm90LWEtY3Vyc29y")), 200, "CursorException");
        JsonNode tooMany = error(gql("{ boards(ids: [1000000002]) { items_page(limit: 501) { cursor } } }"), 200, "InvalidArgumentException");
        assertThat(tooMany.get("message").asText()).contains("500");
    }

    @Test
    void itemsByIdsWithTheirBoardAndGroup() {
        JsonNode ids = contacts();
        JsonNode items = data("{ items(ids: [" + ids.get(1).asText() + ", 1, " + ids.get(0).asText() + "]) { id name board { id name } "
                + "group { id } column_values(types: [phone, status]) { id type ... on PhoneValue { phone country_short_name } "
                + "... on StatusValue { index label } } } }").get("items");
        assertThat(ids(items)).as("unknown ids are left out").containsExactly(ids.get(1).asText(), ids.get(0).asText());
        JsonNode marie = items.get(0);
        assertThat(marie.at("/board/name").asText()).isEqualTo("Contacts");
        assertThat(marie.at("/group/id").asText()).isEqualTo("topics");
        assertThat(marie.at("/column_values/0/phone").asText()).isEqualTo("+33612345678");
        assertThat(marie.at("/column_values/0/country_short_name").asText()).isEqualTo("FR");
        assertThat(marie.at("/column_values/1/label").asText()).isEqualTo("Lead");
        assertThat(marie.at("/column_values/1/index").asInt()).isEqualTo(1);
    }
}
