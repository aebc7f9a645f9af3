package io.callbridge.crm.monday;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callbridge.support.CallerDirectoryContract;
import io.callbridge.support.CrmFixture;
import io.callbridge.support.Events;
import org.junit.jupiter.api.BeforeAll;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * monday's caller directory (the contacts board's items, 500 a query, within the complexity budget), kept current by the
 * board's webhooks, which Callbridge makes at start (the app's signing secret on both sides). Items are created, renamed,
 * renumbered and deleted through monday's GraphQL API.
 */
class MondayCallerDirectoryIT extends CallerDirectoryContract {

    private static final String SECRET = "monday-directory-signing-secret";

    /** monday's API of the contract's sandbox (closed with it). */
    private static MondayFixture.Account account;
    /** The last name each created item's name keeps when it is renamed. */
    private final Map<String, String> lastNames = new ConcurrentHashMap<>();

    @BeforeAll
    static void start() {
        int port = freePort();
        start(CrmFixture.of("monday"), port, Map.of("signing-secret", SECRET), Map.of("callbridge.crm.monday.signing-secret", SECRET,
                "callbridge.crm.monday.change-url", "http://localhost:" + port + "/v1/crm-changes/monday"));
        account = new MondayFixture.Account(crms.sandbox());
    }

    @Override
    protected String create(String first, String last, String phone) {
        ObjectNode columns = Events.JSON.createObjectNode();
        columns.putObject("phone").put("phone", phone).put("countryShortName", "CH");
        JsonNode item = graphql("mutation ($board: ID!, $name: String!, $columns: JSON) { create_item(board_id: $board, item_name: $name, "
                + "column_values: $columns) { id } }", variables().put("name", first + " " + last).put("columns", columns.toString()))
                .path("create_item");
        String id = item.path("id").asText();
        lastNames.put(id, last);
        return id;
    }

    @Override
    protected void rename(String id, String first) {
        change(id, Events.JSON.createObjectNode().put("name", first + " " + lastNames.get(id)));
    }

    @Override
    protected void renumber(String id, String phone) {
        ObjectNode columns = Events.JSON.createObjectNode();
        columns.putObject("phone").put("phone", phone).put("countryShortName", "CH");
        change(id, columns);
    }

    @Override
    protected void delete(String id) {
        graphql("mutation ($item: ID) { delete_item(item_id: $item) { id } }", variables().put("item", id));
    }

    /** An item's name is whole: the profile has no first name, its display name begins with it. */
    @Override
    protected String firstName(JsonNode profile) {
        return profile.path("displayName").asText().split(" ")[0];
    }

    /** The search filters the board's items page; the listing pages it unfiltered and reads items by id (the sandbox notes which). */
    @Override
    protected boolean isSearch(JsonNode journalEntry) {
        return journalEntry.path("note").asText().endsWith(" query_params");
    }

    private static void change(String id, ObjectNode columns) {
        graphql("mutation ($board: ID!, $item: ID, $columns: JSON!) { change_multiple_column_values(board_id: $board, item_id: $item, "
                + "column_values: $columns) { id } }", variables().put("item", id).put("columns", columns.toString()));
    }

    private static ObjectNode variables() {
        return Events.JSON.createObjectNode().put("board", MondayFixture.CONTACTS);
    }

    private static JsonNode graphql(String query, ObjectNode variables) {
        JsonNode answer = account.graphql(query, variables);
        assertThat(answer.has("errors")).as(answer.toString()).isFalse();
        return answer.path("data");
    }
}
