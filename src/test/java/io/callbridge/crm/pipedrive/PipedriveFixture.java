package io.callbridge.crm.pipedrive;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callbridge.sandbox.CrmSandbox;
import io.callbridge.sandbox.SandboxSettings;
import io.callbridge.support.CrmFixture;
import io.callbridge.support.Events;
import io.callbridge.support.SandboxClient;

/** Pipedrive in the tests: a company account spoken to with its API token ({@link Account}). */
public final class PipedriveFixture extends CrmFixture {

    public static final String TOKEN = io.callbridge.sandbox.pipedrive.PipedriveSandbox.DEFAULT_API_TOKEN;
    private static final Pattern COMMAND_ID = Pattern.compile("Callbridge : (\\S+)");

    @Override
    public String crm() {
        return "pipedrive";
    }

    @Override
    public Map<String, String> sandboxConfig(boolean unlimited) {
        Map<String, String> c = new LinkedHashMap<>(Map.of("api-token", TOKEN));
        if (unlimited) {
            c.put("rate-limit.quota", "1000000");
            c.put("search-rate-limit.quota", "1000000");
        }
        return c;
    }

    @Override
    public Map<String, String> settings(String baseUrl, boolean unlimited) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("callbridge.crm.pipedrive.enabled", "true");
        s.put("callbridge.crm.pipedrive.base-url", baseUrl);
        s.put("callbridge.crm.pipedrive.token", TOKEN);
        if (unlimited) {
            s.put("callbridge.crm.pipedrive.rate-limit.max", "1000000");
            s.put("callbridge.crm.pipedrive.search-limit.max", "1000000");
        }
        return s;
    }

    @Override
    public String callType() {
        return "activities";
    }

    /** Activities carry their commandId in the note ({@code Réf. Callbridge : <commandId>}). */
    @Override
    public String commandIdOfCall(JsonNode call) {
        Matcher m = COMMAND_ID.matcher(call.path("note").asText(""));
        return m.find() ? m.group(1) : null;
    }

    /** The note starts with the summary, then a line break and the links. */
    @Override
    public String summaryOfCall(JsonNode call) {
        String note = call.path("note").asText("");
        int end = note.indexOf('\n');
        return end < 0 ? note : note.substring(0, end);
    }

    @Override
    public String callerIdOfCall(JsonNode call) {
        return call.path("person_id").asText(null);
    }

    @Override
    public List<String> callerTypes() {
        return List.of("persons");
    }

    @Override
    public String phoneOf(JsonNode caller) {
        return caller.at("/phones/0/value").asText(null);
    }

    @Override
    public String nameOf(JsonNode caller) {
        return caller.path("name").asText();
    }

    @Override
    public String recordId(JsonNode record) {
        return record.path("id").asText();
    }

    @Override
    public String chaosFaults(String late) {
        return "{\"errorRate\":0.03,\"errorStatuses\":[500,503,401,429]," + late + "}";
    }

    @Override
    public Map.Entry<String, JsonNode> knownCaller(String firstName, String lastName, String e164, String email) {
        ObjectNode person = Events.JSON.createObjectNode().put("name", firstName + " " + lastName);
        person.putArray("phones").addObject().put("value", e164).put("primary", true);
        if (email != null) {
            person.putArray("emails").addObject().put("value", email).put("primary", true);
        }
        ObjectNode seed = Events.JSON.createObjectNode();
        seed.putArray("persons").add(person);
        return Map.entry("persons", seed);
    }

    @Override
    public Map<String, Integer> recordsPerEvent(boolean designExample) {
        return designExample ? Map.of("activities", 3, "deals", 1) : Map.of("activities", 1);
    }

    /** A Pipedrive company account, spoken to over HTTP with its API token or an OAuth access token. */
    public static final class Account extends SandboxClient implements AutoCloseable {

        private final CrmSandbox sandbox;
        private final String authorization;

        /** @param authorization {@code Bearer <OAuth access token>}, or the API token */
        public Account(CrmSandbox sandbox, String authorization) {
            super(() -> sandbox.baseUrl("pipedrive"), authorization.startsWith("Bearer ") ? "Authorization" : "x-api-token");
            this.sandbox = sandbox;
            this.authorization = authorization;
        }

        /** An account in a sandbox of its own. */
        public static Account start() {
            return new Account(CrmSandbox.start(SandboxSettings.builder().port(0).seed(3).config("pipedrive", Map.of("api-token", TOKEN))
                    .build()), TOKEN);
        }

        public CrmSandbox sandbox() {
            return sandbox;
        }

        public String baseUrl() {
            return sandbox.baseUrl("pipedrive");
        }

        public void reset() {
            sandbox.reset("pipedrive");
        }

        @Override
        protected String authorization() {
            return authorization;
        }

        @Override
        public void close() {
            sandbox.close();
        }
    }
}
