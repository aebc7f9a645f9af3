package io.callbridge.sandbox.monday;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A caller directory's requests: the contacts board listed 500 items a query with the column values a search reads,
 * items read again by id (at most 100), and the journal telling a search from a listing and a read by a note.
 */
class MondayListingTest extends MondayTestSupport {

    private static final String ITEM = "id name updated_at column_values { id type text value }";
    private static final String FIRST = "query ($board: ID!, $limit: Int!) { boards(ids: [$board]) { items_page(limit: $limit) "
            + "{ cursor items { " + ITEM + " } } } complexity { before after query reset_in_x_seconds } }";
    private static final String NEXT = "query ($cursor: String!, $limit: Int!) { next_items_page(cursor: $cursor, limit: $limit) "
            + "{ cursor items { " + ITEM + " } } complexity { before after query } }";
    private static final String READ = "query ($ids: [ID!], $limit: Int) { items(ids: $ids, limit: $limit, exclude_nonactive: true) "
            + "{ board { id } " + ITEM + " } }";

    private static JsonNode contacts(int n) {
        StringBuilder json = new StringBuilder("{\"" + CONTACTS + "\":[");
        for (int i = 0; i < n; i++) {
            json.append(i == 0 ? "" : ",").append("{\"name\":\"Dora").append(i).append(" Directory\",\"column_values\":{\"phone\":{\"phone\":\"+4179444")
                    .append(String.format("%04d", i)).append("\",\"countryShortName\":\"CH\"}}}");
        }
        return seed(json.append("]}").toString()).get(CONTACTS);
    }

    @Test
    void theContactsBoardIsListed500ItemsAQueryWithinTheBudget() {
        JsonNode ids = contacts(600);
        JsonNode first = data(FIRST, vars("board", CONTACTS, "limit", 500));
        JsonNode page = first.at("/boards/0/items_page");
        assertThat(page.get("items")).hasSize(500);
        assertThat(page.at("/items/0/column_values").findValuesAsText("id")).contains("phone");
        JsonNode cost = first.get("complexity");
        assertThat(cost.get("before").asLong() - cost.get("after").asLong()).as("charged what it cost").isEqualTo(cost.get("query").asLong());
        assertThat(cost.get("query").asLong()).as("a page with its column values is far below one query's 5,000,000 maximum")
                .isBetween(10_000L, 100_000L);

        JsonNode next = data(NEXT, vars("cursor", page.get("cursor").asText(), "limit", 500)).get("next_items_page");
        assertThat(next.get("items")).hasSize(100);
        assertThat(next.get("cursor").isNull()).as("the last page has no cursor").isTrue();
        assertThat(next.at("/items/99/id").asText()).isEqualTo(ids.get(599).asText());
    }

    @Test
    void itemsAreReadByIdAtMostAHundredAQueryADeletedOneNotAnswered() {
        JsonNode seeded = contacts(101);
        List<String> ids = new ArrayList<>();
        seeded.forEach(i -> ids.add(i.asText()));
        data("mutation ($id: ID) { delete_item(item_id: $id) { id } }", vars("id", ids.get(1)));

        JsonNode read = data(READ, vars("ids", ids.subList(0, 100), "limit", 100)).get("items");
        assertThat(ids(read)).hasSize(99).doesNotContain(ids.get(1)).startsWith(ids.get(0));
        assertThat(read.at("/0/board/id").asText()).isEqualTo(CONTACTS);

        assertThat(error(gql(READ, vars("ids", ids, "limit", 100)), 200, "InvalidArgumentException").get("message").asText())
                .contains("100");
        assertThat(error(gql(READ, vars("ids", ids.subList(0, 5), "limit", 101)), 200, "InvalidArgumentException").get("message").asText())
                .contains("100");
        assertThat(ids(data(READ, vars("ids", ids.subList(0, 30))).get("items"))).as("25 unless a limit is given").hasSize(25);
    }

    @Test
    void theJournalTellsASearchFromAListingAndAReadByTheirFieldsNeverTheirValues() {
        String id = contacts(2).get(0).asText();
        data("query ($rules: [ItemsQueryRule!]) { boards(ids: [1000000001]) { items_page(limit: 50, query_params: {rules: $rules, "
                + "operator: or}) { items { id } } } complexity { after } }", vars("rules", List.of(Map.of("column_id", "phone",
                "compare_value", List.of("794440001"), "operator", "contains_text"))));
        data(FIRST, vars("board", CONTACTS, "limit", 1));
        String cursor = data(FIRST, vars("board", CONTACTS, "limit", 1)).at("/boards/0/items_page/cursor").asText();
        data(NEXT, vars("cursor", cursor, "limit", 1));
        data(READ, vars("ids", List.of(id)));

        List<String> notes = new ArrayList<>();
        adminCall("GET", "/requests", null).json().forEach(e -> notes.add(e.path("note").asText("-")));
        assertThat(notes.subList(notes.size() - 5, notes.size()))
                .containsExactly("boards query_params", "boards", "boards", "next_items_page", "items");
        assertThat(adminCall("GET", "/requests", null).body()).doesNotContain("794440001", cursor, id);
    }
}
