package io.callbridge.crm.monday;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callbridge.sandbox.CrmSandbox;
import io.callbridge.sandbox.SandboxSettings;
import io.callbridge.sandbox.monday.MondaySandbox;
import io.callbridge.support.CrmFixture;
import io.callbridge.support.Events;
import io.callbridge.support.SandboxClient;

/**
 * monday.com in the tests: the sandbox's default workspace (the boards and columns of {@code mappings/monday/settings.yaml})
 * spoken to with a personal API token ({@link Account}). Records are items; a record type is a board id.
 */
public final class MondayFixture extends CrmFixture {

    public static final String TOKEN = MondaySandbox.DEFAULT_TOKEN;
    public static final String CONTACTS = MondaySandbox.CONTACTS_BOARD_ID;
    public static final String CALLS = MondaySandbox.CALLS_BOARD_ID;
    public static final String DEALS = MondaySandbox.DEALS_BOARD_ID;
    public static final String TASKS = MondaySandbox.TASKS_BOARD_ID;
    public static final String CASES = MondaySandbox.CASES_BOARD_ID;
    public static final String MEETINGS = MondaySandbox.MEETINGS_BOARD_ID;

    @Override
    public String crm() {
        return "monday";
    }

    @Override
    public Map<String, String> sandboxConfig(boolean unlimited) {
        Map<String, String> c = new LinkedHashMap<>(Map.of("token", TOKEN));
        if (unlimited) {
            c.put("complexity-per-minute", "100000000000");
            c.put("daily-limit", "100000000");
        }
        return c;
    }

    @Override
    public Map<String, String> settings(String baseUrl, boolean unlimited) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("callbridge.crm.monday.enabled", "true");
        s.put("callbridge.crm.monday.base-url", baseUrl);
        s.put("callbridge.crm.monday.token", TOKEN);
        if (unlimited) {
            s.put("callbridge.crm.monday.complexity-limit.max", "100000000000");
            s.put("callbridge.crm.monday.search-limit.max", "1000000");
        }
        return s;
    }

    @Override
    public String callType() {
        return CALLS;
    }

    @Override
    public String commandIdOfCall(JsonNode call) {
        return text(call, "command_id");
    }

    @Override
    public String summaryOfCall(JsonNode call) {
        return text(call, "summary");
    }

    @Override
    public String callerIdOfCall(JsonNode call) {
        return linked(call, "contact");
    }

    @Override
    public List<String> callerTypes() {
        return List.of(CONTACTS);
    }

    /** The phone as monday shows it (its digits), back to E.164 when it was written so. */
    @Override
    public String phoneOf(JsonNode caller) {
        JsonNode phone = caller.at("/columns/phone");
        return phone.path("phone").isTextual() ? phone.get("phone").asText() : phone.path("text").asText(null);
    }

    @Override
    public String nameOf(JsonNode caller) {
        return caller.path("name").asText();
    }

    @Override
    public String recordId(JsonNode record) {
        return record.path("id").asText();
    }

    /**
     * A wave's mutations of one board go as one request, so monday gets few: a higher rate keeps the faults a test. No
     * 429: monday's minute limit answers {@code Retry-After: 60}, which a chaos run of a minute cannot wait out many times
     * (its spent complexity budget is MondayConnectorIT's).
     */
    @Override
    public String chaosFaults(String late) {
        return "{\"errorRate\":0.1,\"errorStatuses\":[500,502,503]," + late + "}";
    }

    @Override
    public Map.Entry<String, JsonNode> knownCaller(String firstName, String lastName, String e164, String email) {
        ObjectNode item = Events.JSON.createObjectNode().put("name", firstName + " " + lastName);
        ObjectNode columns = item.putObject("column_values");
        columns.putObject("phone").put("phone", e164).put("countryShortName", e164.startsWith("+33") ? "FR" : "CH");
        columns.putObject("owner").putArray("personsAndTeams").addObject().put("id", Long.parseLong(MondaySandbox.OWNER_USER_ID))
                .put("kind", "person");
        if (email != null) {
            columns.putObject("email").put("email", email).put("text", email);
        }
        ObjectNode seed = Events.JSON.createObjectNode();
        seed.putArray(CONTACTS).add(item);
        return Map.entry(CONTACTS, seed);
    }

    @Override
    public Map<String, Integer> recordsPerEvent(boolean designExample) {
        return designExample ? Map.of(CALLS, 1, TASKS, 2, DEALS, 1) : Map.of(CALLS, 1);
    }

    /** A column's text as the sandbox lists it. */
    public static String text(JsonNode item, String column) {
        JsonNode c = item.path("columns").path(column);
        return c.isMissingNode() ? null : c.path("text").asText(null);
    }

    /** The first item a board-relation column links to. */
    public static String linked(JsonNode item, String column) {
        JsonNode id = item.path("columns").path(column).path("linkedPulseIds").path(0).path("linkedPulseId");
        return id.isMissingNode() ? null : id.asText();
    }

    /** A monday account in a sandbox, spoken to over GraphQL with its personal API token. */
    public static final class Account extends SandboxClient implements AutoCloseable {

        private final CrmSandbox sandbox;

        public Account(CrmSandbox sandbox) {
            super(() -> sandbox.baseUrl("monday"), "Authorization");
            this.sandbox = sandbox;
        }

        public static Account start(Map<String, String> config, java.time.Clock clock) {
            Map<String, String> all = new LinkedHashMap<>(new MondayFixture().sandboxConfig(false));
            all.putAll(config);
            return new Account(CrmSandbox.start(SandboxSettings.builder().port(0).seed(19).clock(clock).crm("monday")
                    .config("monday", all).build()));
        }

        public CrmSandbox sandbox() {
            return sandbox;
        }

        public Map<String, String> connectorSettings() {
            return new MondayFixture().settings(sandbox.baseUrl("monday"), false);
        }

        @Override
        protected String authorization() {
            return TOKEN;
        }

        /** A GraphQL request; answers monday's whole answer. */
        public JsonNode graphql(String query, JsonNode variables) {
            ObjectNode body = Events.JSON.createObjectNode().put("query", query);
            body.set("variables", variables == null ? Events.JSON.createObjectNode() : variables);
            return json("POST", "/v2", body);
        }

        /** A new item; answers its id. */
        public String create(String board, String name, ObjectNode columns) {
            ObjectNode v = Events.JSON.createObjectNode().put("board", board).put("name", name).put("columns", columns.toString());
            JsonNode answer = graphql("mutation ($board: ID!, $name: String!, $columns: JSON) { create_item(board_id: $board, "
                    + "item_name: $name, column_values: $columns) { id } }", v);
            String id = answer.at("/data/create_item/id").asText(null);
            if (id == null) {
                throw new IllegalStateException("create_item: " + answer);
            }
            return id;
        }

        /** Every item of a board, as the sandbox lists them. */
        public List<JsonNode> items(String board) {
            HttpResponse<String> r = Events.send(HttpRequest.newBuilder(URI.create(sandbox.adminUrl() + "/monday/records/" + board)).GET().build());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("records " + board + ": " + r.statusCode() + " " + r.body());
            }
            return StreamSupport.stream(Events.parse(r.body().getBytes(StandardCharsets.UTF_8)).spliterator(), false).toList();
        }

        /** The items of a board linked to a contact item. */
        public List<JsonNode> of(String board, String contactId) {
            return items(board).stream().filter(i -> contactId.equals(linked(i, "contact"))).toList();
        }

        public JsonNode item(String board, String id) {
            return items(board).stream().filter(i -> i.path("id").asText().equals(id)).findFirst().orElseThrow();
        }

        public JsonNode requests() {
            return Events.parse(Events.send(HttpRequest.newBuilder(URI.create(sandbox.adminUrl() + "/monday/requests")).GET().build())
                    .body().getBytes(StandardCharsets.UTF_8));
        }

        public HttpResponse<String> admin(String method, String path, String json) {
            HttpResponse<String> r = Events.send(HttpRequest.newBuilder(URI.create(sandbox.adminUrl() + "/monday" + path))
                    .header("Content-Type", "application/json")
                    .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json)).build());
            if (r.statusCode() >= 300) {
                throw new IllegalStateException(method + " " + path + ": " + r.statusCode() + " " + r.body());
            }
            return r;
        }

        @Override
        public void close() {
            sandbox.close();
        }
    }
}
