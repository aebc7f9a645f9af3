package io.callbridge.crm.monday;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callbridge.sandbox.monday.MondaySandbox;
import io.callbridge.support.CallerLookupContract;
import io.callbridge.support.Events;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Caller lookups with monday as the primary CRM: the contacts board's phone columns containing the number's digits,
 * confirmed by normalising what was typed. The board has a second phone column here ({@code mobile}), as an admin may
 * add, and {@code contact-phone-columns} names both.
 */
class MondayCallerLookupIT extends CallerLookupContract {

    private static final List<String> PHONES = List.of("phone", "mobile");
    private static MondayFixture.Account account;

    @BeforeAll
    static void start() {
        account = MondayFixture.Account.start(Map.of("workspace", workspaceWithMobile()), clock);
        sandbox = account.sandbox();
        Map<String, String> settings = new LinkedHashMap<>(account.connectorSettings());
        settings.put("callbridge.crm.monday.contact-phone-columns", String.join(",", PHONES));
        app = startApp("monday", settings);
    }

    /** The sandbox's default workspace, its contacts board with a second phone column. */
    private static String workspaceWithMobile() {
        try (InputStream in = MondaySandbox.class.getResourceAsStream("monday-workspace.json")) {
            ObjectNode workspace = (ObjectNode) Events.JSON.readTree(in);
            for (JsonNode board : workspace.path("boards")) {
                if (board.path("id").asText().equals(MondayFixture.CONTACTS)) {
                    ((ArrayNode) board.get("columns")).addObject().put("id", "mobile").put("title", "Mobile").put("type", "phone");
                }
            }
            return workspace.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected String crm() {
        return "monday";
    }

    @Override
    protected String searchPath() {
        return "/v2";
    }

    /** Each number with the country a user would pick for it: French numbers are French, the rest Swiss. */
    @Override
    protected String contact(String first, String last, String... phones) {
        ObjectNode columns = Events.JSON.createObjectNode();
        for (int i = 0; i < phones.length; i++) {
            String country = phones[i].startsWith("+33") || phones[i].startsWith("06") ? "FR" : "CH";
            columns.putObject(PHONES.get(i)).put("phone", phones[i]).put("countryShortName", country);
        }
        columns.putObject("owner").putArray("personsAndTeams").addObject().put("id", 60000001).put("kind", "person");
        return account.create(MondayFixture.CONTACTS, first + " " + last, columns);
    }

    @Override
    protected void touch(String id) {
        ObjectNode v = Events.JSON.createObjectNode().put("board", MondayFixture.CONTACTS).put("item", id)
                .put("columns", "{\"company\":\"touched " + unique() + "\"}");
        account.graphql("mutation ($board: ID!, $item: ID!, $columns: JSON!) { change_multiple_column_values(board_id: $board, "
                + "item_id: $item, column_values: $columns) { id } }", v);
    }

    @Test
    void callersRingingTogetherAreAskedForInOneQuery() throws Exception {
        int callers = 12;
        List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < callers; i++) {
            ids.add(contact("Mia", "Ensemble" + i, String.format("+41 78 530 %02d 00", i)));
        }
        // monday taking 100 ms a query: the callers who ring meanwhile wait for one to come back, then go together
        java.net.http.HttpResponse<String> slow = Events.send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(sandbox.adminUrl() + "/monday/faults")).header("Content-Type", "application/json")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{\"latencyMs\":100,\"match\":\"/v2\"}")).build());
        assertThat(slow.statusCode()).as(slow.body()).isEqualTo(200);
        long before = requestsTo(searchPath());
        java.util.concurrent.ExecutorService phones = java.util.concurrent.Executors.newFixedThreadPool(callers);
        try {
            List<java.util.concurrent.Future<java.net.http.HttpResponse<String>>> rings = new java.util.ArrayList<>();
            for (int i = 0; i < callers; i++) {
                String e164 = String.format("+4178530%02d00", i);
                rings.add(phones.submit(() -> lookup(e164)));
            }
            for (java.util.concurrent.Future<java.net.http.HttpResponse<String>> ring : rings) {
                assertThat(ring.get(10, java.util.concurrent.TimeUnit.SECONDS).statusCode()).isIn(200, 503);
            }
        } finally {
            phones.shutdownNow();
            Events.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(sandbox.adminUrl() + "/monday/faults")).DELETE().build());
        }
        assertThat(requestsTo(searchPath()) - before).as("%d callers at once, up to 5 numbers a query", callers)
                .isBetween(3L, (long) callers - 3);
        for (int i = 0; i < callers; i++) {
            String e164 = String.format("+4178530%02d00", i);
            String id = ids.get(i);
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                    .until(() -> lookup(e164).statusCode() == 200 && json(lookup(e164)).get("recordId").asText().equals(id));
        }
    }

    @Test
    void theOwnersNameComesFromTheAccountsUsers() {
        contact("Olga", "Owner", "+41 78 555 03 03");
        JsonNode p = json(lookup("+41785550303"));
        assertThat(p.get("displayName").asText()).isEqualTo("Olga Owner");
        assertThat(p.at("/owner/name").asText()).isEqualTo("Claire Martin");
    }
}
