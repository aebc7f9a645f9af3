package io.callbridge.sandbox.pipedrive;

import com.fasterxml.jackson.databind.JsonNode;
import io.callbridge.sandbox.CrmSandbox;
import io.callbridge.sandbox.Json;
import io.callbridge.sandbox.SandboxHttp;
import io.callbridge.sandbox.SandboxHttp.Resp;
import io.callbridge.sandbox.SandboxRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** API v2 organizations as the Node client sends them: create, get, patch, delete, list with cursor; persons link to them. */
class PipedriveOrganizationsTest extends PipedriveTestSupport {

    private static final String DUPONT = "{\"name\":\"Dupont SA\",\"owner_id\":" + OWNER + ",\"visible_to\":3,\"label_ids\":[],"
            + "\"address\":{\"value\":\"Rue du Lac 1, 1003 Lausanne\",\"locality\":\"Lausanne\",\"postal_code\":\"1003\",\"country\":\"Switzerland\"},"
            + "\"website\":\"https://dupont.example\",\"employee_count\":12,\"custom_fields\":{}}";

    static long createOrganization(String json) {
        return ok(call("POST", "/api/v2/organizations", json)).get("id").asLong();
    }

    @Test
    void createGetPatchAndDeleteAnswerTheV2Shape() {
        Resp created = call("POST", "/api/v2/organizations", DUPONT);
        JsonNode o = ok(created);
        assertRateLimitHeaders(created);
        long id = o.get("id").asLong();
        assertThat(o.get("id").isIntegralNumber()).isTrue();
        assertThat(o.get("name").asText()).isEqualTo("Dupont SA");
        assertThat(o.get("owner_id").asLong()).isEqualTo(OWNER);
        assertThat(o.get("add_time").asText()).isEqualTo(PipedriveApi.v2Time(clock.instant()));
        assertThat(o.get("update_time").asText()).isEqualTo(o.get("add_time").asText());
        assertThat(o.get("is_deleted").asBoolean(true)).isFalse();
        assertThat(o.get("visible_to").asInt()).isEqualTo(3);
        assertThat(o.get("label_ids")).isEmpty();
        assertThat(o.get("address").get("value").asText()).isEqualTo("Rue du Lac 1, 1003 Lausanne");
        assertThat(o.get("address").get("locality").asText()).isEqualTo("Lausanne");
        assertThat(o.get("website").asText()).isEqualTo("https://dupont.example");
        assertThat(o.get("employee_count").asInt()).isEqualTo(12);
        assertThat(o.get("linkedin").isNull()).as("nullable fields without a value are null").isTrue();
        assertThat(o.get("industry").isNull()).isTrue();
        assertThat(o.get("custom_fields").isObject()).isTrue();
        assertThat(ok(call("GET", "/api/v2/organizations/" + id, null))).isEqualTo(o);

        clock.advance(Duration.ofMinutes(5));
        JsonNode patched = ok(call("PATCH", "/api/v2/organizations/" + id, "{\"name\":\"Dupont & Fils SA\",\"industry\":4,\"label_ids\":[2],"
                + "\"custom_fields\":{\"a1b2c3\":\"Gold\"}}"));
        assertThat(patched.get("name").asText()).isEqualTo("Dupont & Fils SA");
        assertThat(patched.get("industry").asInt()).isEqualTo(4);
        assertThat(patched.get("label_ids").get(0).asInt()).isEqualTo(2);
        assertThat(patched.get("custom_fields").get("a1b2c3").asText()).isEqualTo("Gold");
        assertThat(patched.get("website").asText()).as("what the patch does not name stays").isEqualTo("https://dupont.example");
        assertThat(patched.get("address").get("postal_code").asText()).isEqualTo("1003");
        assertThat(patched.get("add_time").asText()).isEqualTo(o.get("add_time").asText());
        assertThat(patched.get("update_time").asText()).isEqualTo(PipedriveApi.v2Time(clock.instant()));
        assertThat(ok(call("PATCH", "/api/v2/organizations/" + id, "{\"website\":null}")).get("website").isNull()).isTrue();
        error(call("PATCH", "/api/v2/organizations/" + id, "{\"address\":null}"), 400);

        assertThat(ok(call("DELETE", "/api/v2/organizations/" + id, null)).get("id").asLong()).isEqualTo(id);
        assertThat(error(call("GET", "/api/v2/organizations/" + id, null), 404).get("error").asText()).isEqualTo("Organization not found");
        error(call("PATCH", "/api/v2/organizations/" + id, "{\"name\":\"x\"}"), 404);
        error(call("DELETE", "/api/v2/organizations/" + id, null), 404);
        assertThat(ok(call("GET", "/api/v2/organizations", null))).isEmpty();
        error(call("POST", "/api/v2/persons", "{\"name\":\"Jean Dupont\",\"org_id\":" + id + "}"), 404);
        JsonNode kept = adminCall("GET", "/records/organizations", null).json();
        assertThat(kept.get(0).get("is_deleted").asBoolean()).as("deleted as Pipedrive does: marked, kept 30 days").isTrue();
    }

    @Test
    void validationAnswersPipedriveErrors() {
        error(call("POST", "/api/v2/organizations", "{\"visible_to\":3}"), 400);
        error(call("POST", "/api/v2/organizations", "{\"name\":\"  \"}"), 400);
        error(call("POST", "/api/v2/organizations", "{\"name\":42}"), 400);
        error(call("POST", "/api/v2/organizations", "{\"name\":\"X\",\"owner_id\":1}"), 400);
        error(call("POST", "/api/v2/organizations", "{\"name\":\"X\",\"visible_to\":2}"), 400);
        error(call("POST", "/api/v2/organizations", "{\"name\":\"X\",\"address\":\"Rue du Lac 1\"}"), 400);
        error(call("POST", "/api/v2/organizations", "{\"name\":\"X\",\"address\":{\"postal_code\":1003}}"), 400);
        error(call("POST", "/api/v2/organizations", "{\"name\":\"X\",\"employee_count\":\"12\"}"), 400);
        error(call("POST", "/api/v2/organizations", "{\"name\":\"X\",\"label_ids\":[\"vip\"]}"), 400);
        error(call("POST", "/api/v2/organizations", "{\"name\":"), 400);
        long id = createOrganization("{\"name\":\"X\"}");
        error(call("PATCH", "/api/v2/organizations/" + id, "{\"name\":\"\"}"), 400);
        error(call("GET", "/api/v2/organizations/999", null), 404);
        error(call("GET", "/api/v2/organizations/0", null), 400);
        assertThat(adminCall("GET", "/records/organizations", null).json()).hasSize(1);
    }

    private static List<String> names(JsonNode data) {
        List<String> out = new ArrayList<>();
        data.forEach(o -> out.add(o.get("name").asText()));
        return out;
    }

    @Test
    void listPagesWithACursorAndFiltersAsDocumented() {
        for (int i = 0; i < 5; i++) {
            createOrganization("{\"name\":\"Org " + i + "\"" + (i % 2 == 0 ? ",\"owner_id\":13053569" : "") + "}");
            clock.advance(Duration.ofMinutes(1));
        }
        Resp first = callWith("GET", "/api/v2/organizations?limit=2&api_token=" + API_TOKEN, Map.of(), null);
        assertThat(names(ok(first))).containsExactly("Org 0", "Org 1");
        String cursor = first.json().get("additional_data").get("next_cursor").asText();
        Resp second = call("GET", "/api/v2/organizations?limit=2&cursor=" + cursor, null);
        assertThat(names(ok(second))).containsExactly("Org 2", "Org 3");
        Resp last = call("GET", "/api/v2/organizations?limit=2&cursor=" + second.json().get("additional_data").get("next_cursor").asText(), null);
        assertThat(names(ok(last))).containsExactly("Org 4");
        assertThat(last.json().get("additional_data").has("next_cursor")).as("no cursor past the last page").isFalse();
        assertThat(names(ok(call("GET", "/api/v2/organizations?owner_id=13053569", null)))).containsExactly("Org 0", "Org 2", "Org 4");
        assertThat(names(ok(call("GET", "/api/v2/organizations?ids=2,4,99", null)))).containsExactly("Org 1", "Org 3");
        assertThat(names(ok(call("GET", "/api/v2/organizations?sort_by=id&sort_direction=desc&limit=2", null)))).containsExactly("Org 4", "Org 3");
        assertThat(names(ok(call("GET", "/api/v2/organizations?updated_since=2026-11-28T09:03:00Z&updated_until=2026-11-28T09:04:00Z", null))))
                .containsExactly("Org 3");
        error(call("GET", "/api/v2/organizations?updated_since=yesterday", null), 400);
        error(call("GET", "/api/v2/organizations?limit=501", null), 400);
        JsonNode filter = error(call("GET", "/api/v2/organizations?filter_id=12", null), SandboxRequest.NOT_SIMULATED);
        assertThat(filter.get("error").asText()).startsWith("not simulated by the sandbox: GET /api/v2/organizations");
        assertThat(filter.get("code").asText()).isEqualTo("NOT_SIMULATED");
    }

    @Test
    void personsNotesAndSearchResultsLinkToTheOrganization() {
        long org = createOrganization(DUPONT);
        long person = createPerson("{\"name\":\"Jean Dupont\",\"org_id\":" + org + ",\"phones\":[{\"value\":\"079 123 45 67\"}]}");
        createPerson("{\"name\":\"Marie Curie\"}");
        assertThat(ok(call("GET", "/api/v2/persons/" + person, null)).get("org_id").asLong()).isEqualTo(org);
        JsonNode linked = ok(call("GET", "/api/v2/persons?org_id=" + org, null));
        assertThat(linked).hasSize(1);
        assertThat(linked.get(0).get("id").asLong()).isEqualTo(person);
        JsonNode item = ok(call("GET", "/api/v2/persons/search?term=0791234567&fields=phone&exact_match=true", null)).get("items").get(0).get("item");
        assertThat(item.get("organization").get("id").asLong()).isEqualTo(org);
        assertThat(item.get("organization").get("name").asText()).isEqualTo("Dupont SA");
        assertThat(item.get("organization").get("address").asText()).isEqualTo("Rue du Lac 1, 1003 Lausanne");
        JsonNode note = ok(call("POST", "/v1/notes", "{\"content\":\"Offre envoyée\",\"org_id\":" + org + "}"));
        assertThat(note.get("organization").get("name").asText()).isEqualTo("Dupont SA");
        ok(call("PATCH", "/api/v2/organizations/" + org, "{\"name\":\"Dupont & Fils SA\"}"));
        assertThat(ok(call("GET", "/api/v2/persons/search?term=0791234567&fields=phone&exact_match=true", null))
                .at("/items/0/item/organization/name").asText()).as("a person shows its organization's name of now").isEqualTo("Dupont & Fils SA");
    }

    @Test
    void seededOrganizationsKeepTheirIdAndLaterOnesComeAfter() {
        Resp seeded = adminCall("POST", "/seed", "{\"organizations\":[{\"id\":7,\"name\":\"Dupont SA\",\"address\":{\"value\":\"Lausanne\"}}],"
                + "\"persons\":[{\"name\":\"Jean Dupont\",\"org_id\":7}]}");
        assertThat(seeded.status()).as(seeded.body()).isEqualTo(201);
        assertThat(seeded.json().get("organizations").get(0).asLong()).isEqualTo(7);
        JsonNode o = ok(call("GET", "/api/v2/organizations/7", null));
        assertThat(o.get("address").get("value").asText()).isEqualTo("Lausanne");
        assertThat(createOrganization("{\"name\":\"Next\"}")).isEqualTo(8);
        Resp taken = adminCall("POST", "/seed", "{\"organizations\":[{\"id\":7,\"name\":\"Again\"}]}");
        assertThat(taken.status()).as(taken.body()).isEqualTo(400);
    }

    /** A data directory written before organizations were records held their names only: it still starts, every link intact. */
    @Test
    void aSnapshotThatKeptOnlyOrganizationNamesComesBackAsRecords(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("pipedrive.json"), "{\"users\":[{\"id\":" + OWNER + ",\"name\":\"Claire Martin\",\"email\":\"claire.martin@example.test\"}],"
                + "\"organizations\":{\"7\":\"Dupont SA\"},"
                + "\"records\":{\"persons\":[{\"id\":1,\"record\":{\"id\":1,\"name\":\"Jean Dupont\",\"first_name\":\"Jean\",\"last_name\":\"Dupont\","
                + "\"owner_id\":" + OWNER + ",\"org_id\":7,\"add_time\":\"2026-11-01T08:00:00Z\",\"update_time\":\"2026-11-01T08:00:00Z\","
                + "\"emails\":[],\"phones\":[{\"value\":\"079 123 45 67\",\"primary\":true,\"label\":\"work\"}],\"is_deleted\":false,"
                + "\"visible_to\":3,\"label_ids\":[],\"custom_fields\":{}}}],\"deals\":[],\"activities\":[],\"notes\":[]},"
                + "\"callLogs\":{},\"nextIds\":{\"persons\":2,\"deals\":1,\"activities\":1,\"notes\":1,\"organizations\":8}}");
        try (CrmSandbox restarted = CrmSandbox.start(settings().dataDir(dir).build())) {
            String url = restarted.baseUrl("pipedrive");
            JsonNode o = ok(SandboxHttp.send("GET", url + "/api/v2/organizations/7?api_token=" + API_TOKEN, null, null, null));
            assertThat(o.get("name").asText()).isEqualTo("Dupont SA");
            assertThat(o.get("owner_id").asLong()).isEqualTo(OWNER);
            assertThat(o.get("is_deleted").asBoolean(true)).isFalse();
            if (contract != null) assertThat(contract.checkResponse("GET", "/api/v2/organizations/7", 200, answer(o))).isEmpty();
            JsonNode item = ok(SandboxHttp.send("GET", url + "/api/v2/persons/search?term=0791234567&fields=phone&exact_match=true&api_token="
                    + API_TOKEN, null, null, null)).at("/items/0/item");
            assertThat(item.get("organization").get("name").asText()).isEqualTo("Dupont SA");
            Resp next = SandboxHttp.json("POST", url + "/api/v2/organizations?api_token=" + API_TOKEN, null, "{\"name\":\"Next\"}");
            assertThat(ok(next).get("id").asLong()).as("ids are not handed out twice").isEqualTo(8);
        }
        String rewritten = Files.readString(dir.resolve("pipedrive.json"));
        assertThat(Json.parse(rewritten.getBytes(java.nio.charset.StandardCharsets.UTF_8)).path("records").path("organizations")).hasSize(2);
        try (CrmSandbox again = CrmSandbox.start(settings().dataDir(dir).build())) {
            JsonNode all = ok(SandboxHttp.send("GET", again.baseUrl("pipedrive") + "/api/v2/organizations?api_token=" + API_TOKEN, null, null, null));
            assertThat(names(all)).containsExactly("Dupont SA", "Next");
        }
    }

    private static JsonNode answer(JsonNode data) {
        return Json.object().put("success", true).set("data", data);
    }
}
