package io.callbridge.crm.notion;

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
import io.callbridge.sandbox.notion.NotionSandbox;
import io.callbridge.support.CrmFixture;
import io.callbridge.support.Events;

/**
 * Notion in the tests: the sandbox's default workspace (the data sources and properties of
 * {@code mappings/notion/settings.yaml}) spoken to with an internal integration's secret ({@link Workspace}). Records
 * are pages; a record type is a data source id; a page's properties are read as their plain text.
 */
public final class NotionFixture extends CrmFixture {

    public static final String TOKEN = NotionSandbox.DEFAULT_TOKEN;
    public static final String VERSION = "2025-09-03";
    public static final String CONTACTS = NotionSandbox.CONTACTS_DATA_SOURCE_ID;
    public static final String CALLS = NotionSandbox.CALLS_DATA_SOURCE_ID;
    public static final String DEALS = NotionSandbox.DEALS_DATA_SOURCE_ID;
    public static final String TASKS = NotionSandbox.TASKS_DATA_SOURCE_ID;
    public static final String CASES = NotionSandbox.CASES_DATA_SOURCE_ID;
    public static final String MEETINGS = NotionSandbox.MEETINGS_DATA_SOURCE_ID;
    public static final String OWNER = NotionSandbox.OWNER_USER_ID;

    @Override
    public String crm() {
        return "notion";
    }

    @Override
    public Map<String, String> sandboxConfig(boolean unlimited) {
        Map<String, String> c = new LinkedHashMap<>(Map.of("token", TOKEN));
        if (unlimited) {
            c.put("rate-per-second", "1000000");
            c.put("burst", "1000000");
        }
        return c;
    }

    @Override
    public Map<String, String> settings(String baseUrl, boolean unlimited) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("callbridge.crm.notion.enabled", "true");
        s.put("callbridge.crm.notion.base-url", baseUrl);
        s.put("callbridge.crm.notion.token", TOKEN);
        if (unlimited) {
            s.put("callbridge.crm.notion.rate-limit.max", "1000000");
        }
        return s;
    }

    @Override
    public String callType() {
        return CALLS;
    }

    @Override
    public String commandIdOfCall(JsonNode call) {
        return text(call, "Command ID");
    }

    /** The call's summary is its page's text. */
    @Override
    public String summaryOfCall(JsonNode call) {
        return body(call);
    }

    @Override
    public String callerIdOfCall(JsonNode call) {
        return related(call, "Contact");
    }

    @Override
    public List<String> callerTypes() {
        return List.of(CONTACTS);
    }

    /** The number Callbridge keeps in E.164, else the phone as typed. */
    @Override
    public String phoneOf(JsonNode caller) {
        String e164 = text(caller, "Phone E164");
        return e164 != null ? e164 : caller.at("/properties/Phone/phone_number").asText(null);
    }

    @Override
    public String nameOf(JsonNode caller) {
        return text(caller, "Name");
    }

    @Override
    public String recordId(JsonNode record) {
        return record.path("id").asText();
    }

    /** Notion has no batch API, so it gets one request per command: its retryable 409, 429, 5xx and 529 (all with short waits). */
    @Override
    public String chaosFaults(String late) {
        return "{\"errorRate\":0.03,\"errorStatuses\":[500,503,529,429,409]," + late + "}";
    }

    @Override
    public Map.Entry<String, JsonNode> knownCaller(String firstName, String lastName, String e164, String email) {
        ObjectNode properties = Events.JSON.createObjectNode();
        properties.putObject("Name").putArray("title").addObject().putObject("text").put("content", firstName + " " + lastName);
        properties.putObject("Phone").put("phone_number", e164);
        properties.putObject("Owner").putArray("people").addObject().put("id", OWNER);
        if (email != null) {
            properties.putObject("Email").put("email", email);
        }
        ObjectNode seed = Events.JSON.createObjectNode();
        seed.putArray(CONTACTS).addObject().set("properties", properties);
        return Map.entry(CONTACTS, seed);
    }

    @Override
    public Map<String, Integer> recordsPerEvent(boolean designExample) {
        return designExample ? Map.of(CALLS, 1, TASKS, 2, DEALS, 1) : Map.of(CALLS, 1);
    }

    /** A title or text property's plain text, a select's or status's name, as the sandbox lists the page. */
    public static String text(JsonNode page, String property) {
        JsonNode p = page.path("properties").path(property);
        String type = p.path("type").asText("");
        JsonNode v = p.path(type);
        if (v.isArray()) {
            StringBuilder b = new StringBuilder();
            v.forEach(i -> b.append(i.has("plain_text") ? i.get("plain_text").asText() : i.path("text").path("content").asText()));
            return b.length() == 0 ? null : b.toString();
        }
        if (v.isObject()) {
            return v.path("name").asText(null);
        }
        return v.isMissingNode() || v.isNull() ? null : v.asText();
    }

    /** The first page a relation property points to. */
    public static String related(JsonNode page, String property) {
        return page.path("properties").path(property).path("relation").path(0).path("id").asText(null);
    }

    /** The page's text: its blocks' text, one after the other. */
    public static String body(JsonNode page) {
        StringBuilder b = new StringBuilder();
        page.path("children").forEach(c -> b.append(c.path("text").asText()));
        return b.length() == 0 ? null : b.toString();
    }

    /** A Notion workspace in a sandbox, spoken to with the integration's secret and a pinned Notion-Version. */
    public static final class Workspace implements AutoCloseable {

        private final CrmSandbox sandbox;

        public Workspace(CrmSandbox sandbox) {
            this.sandbox = sandbox;
        }

        public static Workspace start(Map<String, String> config, java.time.Clock clock) {
            Map<String, String> all = new LinkedHashMap<>(new NotionFixture().sandboxConfig(false));
            all.putAll(config);
            return new Workspace(CrmSandbox.start(SandboxSettings.builder().port(0).seed(23).clock(clock).crm("notion")
                    .config("notion", all).build()));
        }

        public CrmSandbox sandbox() {
            return sandbox;
        }

        public Map<String, String> connectorSettings() {
            return new NotionFixture().settings(sandbox.baseUrl("notion"), false);
        }

        /** A request to Notion's API that must succeed; answers its JSON. */
        public JsonNode api(String method, String path, JsonNode body) {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(sandbox.baseUrl("notion") + path))
                    .header("Authorization", "Bearer " + TOKEN).header("Notion-Version", VERSION);
            if (body == null) {
                b.method(method, HttpRequest.BodyPublishers.noBody());
            } else {
                b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body.toString()));
            }
            HttpResponse<String> r = Events.send(b.build());
            if (r.statusCode() >= 300) {
                throw new IllegalStateException(method + " " + path + " -> " + r.statusCode() + " " + r.body());
            }
            return Events.parse(r.body().getBytes(StandardCharsets.UTF_8));
        }

        /** A page in a data source with the given properties (as Notion takes them); answers its id. */
        public String create(String dataSource, ObjectNode properties) {
            ObjectNode body = Events.JSON.createObjectNode();
            body.putObject("parent").put("type", "data_source_id").put("data_source_id", dataSource);
            body.set("properties", properties);
            return api("POST", "/v1/pages", body).get("id").asText();
        }

        /** Every page of a data source, as the sandbox lists them (properties as Notion answers them, blocks' text). */
        public List<JsonNode> pages(String dataSource) {
            HttpResponse<String> r = Events.send(HttpRequest.newBuilder(URI.create(sandbox.adminUrl() + "/notion/records/" + dataSource)).GET().build());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("records " + dataSource + ": " + r.statusCode() + " " + r.body());
            }
            return StreamSupport.stream(Events.parse(r.body().getBytes(StandardCharsets.UTF_8)).spliterator(), false).toList();
        }

        /** The pages of a data source related to a contact page. */
        public List<JsonNode> of(String dataSource, String contactId) {
            return pages(dataSource).stream().filter(p -> contactId.equals(related(p, "Contact"))).toList();
        }

        public JsonNode page(String dataSource, String id) {
            return pages(dataSource).stream().filter(p -> p.path("id").asText().equals(id)).findFirst().orElseThrow();
        }

        /** Pages written as the sandbox's admin does ({@code {"<data source id>":[{"properties":{…}}]}}): no request counted. */
        public void seed(JsonNode pages) {
            admin("POST", "/seed", pages.toString());
        }

        /** Faults the sandbox injects from now on ({@code PUT /_sandbox/notion/faults}); {@code null} clears them. */
        public void faults(String spec) {
            admin(spec == null ? "DELETE" : "PUT", "/faults", spec);
        }

        /** Every token the sandbox issued is refused from now on, as after the integration's secret was revoked. */
        public void revokeTokens() {
            admin("POST", "/tokens/expire", null);
        }

        /** Empties the request journal. */
        public void clearRequests() {
            admin("DELETE", "/requests", null);
        }

        private void admin(String method, String path, String json) {
            HttpResponse<String> r = Events.send(HttpRequest.newBuilder(URI.create(sandbox.adminUrl() + "/notion" + path))
                    .header("Content-Type", "application/json")
                    .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json)).build());
            if (r.statusCode() >= 300) {
                throw new IllegalStateException(method + " " + path + ": " + r.statusCode() + " " + r.body());
            }
        }

        public JsonNode requests() {
            return Events.parse(Events.send(HttpRequest.newBuilder(URI.create(sandbox.adminUrl() + "/notion/requests")).GET().build())
                    .body().getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public void close() {
            sandbox.close();
        }
    }
}
