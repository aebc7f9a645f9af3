package io.callbridge.sandbox.pipedrive;

import com.fasterxml.jackson.databind.JsonNode;
import io.callbridge.sandbox.SandboxHttp;
import io.callbridge.sandbox.SandboxHttp.Resp;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** API v2 persons: create, get, patch, delete, list, search by phone with exact_match. */
class PipedrivePersonsTest extends PipedriveTestSupport {

    private static final String JEAN = "{\"name\":\"Jean Dupont\",\"phones\":[{\"value\":\"079 123 45 67\",\"primary\":true,\"label\":\"mobile\"},"
            + "{\"value\":\"+41 21 555 00 00\",\"label\":\"work\"}],\"emails\":[{\"value\":\"jean.dupont@example.ch\",\"primary\":true,\"label\":\"work\"}]}";

    @Test
    void createdPersonsKeepPhonesExactlyAsTypedWithTimesAndOwner() {
        Resp r = call("POST", "/api/v2/persons", JEAN);
        JsonNode p = ok(r);
        assertThat(p.get("id").isIntegralNumber()).isTrue();
        assertThat(p.get("name").asText()).isEqualTo("Jean Dupont");
        assertThat(p.get("first_name").asText()).isEqualTo("Jean");
        assertThat(p.get("last_name").asText()).isEqualTo("Dupont");
        assertThat(p.get("phones").get(0).get("value").asText()).isEqualTo("079 123 45 67");
        assertThat(p.get("phones").get(0).get("primary").asBoolean()).isTrue();
        assertThat(p.get("phones").get(0).get("label").asText()).isEqualTo("mobile");
        assertThat(p.get("phones").get(1).get("value").asText()).isEqualTo("+41 21 555 00 00");
        assertThat(p.get("phones").get(1).get("primary").asBoolean()).isFalse();
        assertThat(p.get("owner_id").asLong()).isEqualTo(OWNER);
        assertThat(p.get("add_time").asText()).isEqualTo(PipedriveApi.v2Time(clock.instant()));
        assertThat(p.get("update_time").asText()).isEqualTo(p.get("add_time").asText());
        assertThat(p.get("is_deleted").asBoolean()).isFalse();
        assertRateLimitHeaders(r);
        assertThat(ok(call("GET", "/api/v2/persons/" + p.get("id").asLong(), null)).get("phones")).isEqualTo(p.get("phones"));
    }

    @Test
    void patchChangesOnlyWhatIsGivenAndMaintainsUpdateTime() {
        long id = createPerson(JEAN);
        clock.advance(Duration.ofMinutes(3));
        JsonNode p = ok(call("PATCH", "/api/v2/persons/" + id, "{\"job_title\":\"Directeur\",\"owner_id\":13053569}"));
        assertThat(p.get("job_title").asText()).isEqualTo("Directeur");
        assertThat(p.get("owner_id").asLong()).isEqualTo(13053569);
        assertThat(p.get("phones")).hasSize(2);
        assertThat(p.get("update_time").asText()).isEqualTo(PipedriveApi.v2Time(clock.instant()));
        assertThat(p.get("add_time").asText()).isNotEqualTo(p.get("update_time").asText());
        JsonNode replaced = ok(call("PATCH", "/api/v2/persons/" + id, "{\"phones\":[{\"value\":\"+41791234567\"}]}"));
        assertThat(replaced.get("phones")).hasSize(1);
        assertThat(replaced.get("phones").get(0).get("primary").asBoolean()).as("the only number becomes primary").isTrue();
        error(call("PATCH", "/api/v2/persons/" + id, "{\"owner_id\":1}"), 400);
        error(call("PATCH", "/api/v2/persons/999", "{\"name\":\"x\"}"), 404);
    }

    @Test
    void validationAnswersPipedriveErrors() {
        error(call("POST", "/api/v2/persons", "{\"emails\":[]}"), 400);
        error(call("POST", "/api/v2/persons", "{\"name\":\"X\",\"phones\":[\"079 123 45 67\"]}"), 400);
        error(call("POST", "/api/v2/persons", "{\"name\":\"X\",\"phones\":\"079 123 45 67\"}"), 400);
        error(call("POST", "/api/v2/persons", "{\"name\":42}"), 400);
        error(call("POST", "/api/v2/persons", "{\"name\":\"X\",\"org_id\":77}"), 404);
        error(call("POST", "/api/v2/persons", "{\"name\":\"X\",\"visible_to\":2}"), 400);
        error(call("POST", "/api/v2/persons", "{\"name\":\"X\",\"marketing_status\":\"maybe\"}"), 400);
        error(call("POST", "/api/v2/persons", "{\"name\":"), 400);
        error(call("GET", "/api/v2/persons/0", null), 400);
        assertThat(adminCall("GET", "/records/persons", null).json()).isEmpty();
    }

    @Test
    void deleteHidesThePerson() {
        long id = createPerson(JEAN);
        assertThat(ok(call("DELETE", "/api/v2/persons/" + id, null)).get("id").asLong()).isEqualTo(id);
        error(call("GET", "/api/v2/persons/" + id, null), 404);
        assertThat(ok(call("GET", "/api/v2/persons", null))).isEmpty();
    }

    @Test
    void listFiltersAndPagesWithCursor() {
        for (int i = 0; i < 5; i++) createPerson("{\"name\":\"P" + i + "\"" + (i % 2 == 0 ? ",\"owner_id\":13053569" : "") + "}");
        Resp first = call("GET", "/api/v2/persons?limit=2", null);
        assertThat(ok(first)).hasSize(2);
        String cursor = first.json().get("additional_data").get("next_cursor").asText();
        JsonNode second = ok(call("GET", "/api/v2/persons?limit=2&cursor=" + cursor, null));
        assertThat(second.get(0).get("name").asText()).isEqualTo("P2");
        assertThat(ok(call("GET", "/api/v2/persons?owner_id=13053569", null))).hasSize(3);
        assertThat(ok(call("GET", "/api/v2/persons?sort_by=id&sort_direction=desc&limit=1", null)).get(0).get("name").asText()).isEqualTo("P4");
        error(call("GET", "/api/v2/persons?limit=501", null), 400);
        error(call("GET", "/api/v2/persons?cursor=nonsense!", null), 400);
    }

    @Test
    void theLargestPageIsFiveHundredAndTheLastHasNoNextCursor() {
        for (int i = 0; i < 3; i++) createPerson("{\"name\":\"P" + i + "\"}");
        Resp all = call("GET", "/api/v2/persons?limit=500", null);
        assertThat(ok(all)).hasSize(3);
        assertThat(all.json().get("additional_data").has("next_cursor")).isFalse();
        JsonNode tooMany = error(call("GET", "/api/v2/persons?limit=501", null), 400);
        assertThat(tooMany.get("code").asText()).isEqualTo("ERR_SCHEMA_VALIDATION_FAILED");
        assertThat(tooMany.get("error").asText()).contains("limit");
        assertThat(error(call("GET", "/api/v2/persons?limit=0", null), 400).get("error").asText()).contains("limit");
        assertThat(error(call("GET", "/api/v2/persons?cursor=nonsense!", null), 400).get("error").asText()).contains("cursor");
    }

    @Test
    void personsAreReadByUpToAHundredIdsLeavingOutThoseDeletedOrUnknown() {
        long kept = createPerson(JEAN);
        long deleted = createPerson("{\"name\":\"Gone\"}");
        ok(call("DELETE", "/api/v2/persons/" + deleted, null));
        JsonNode read = ok(call("GET", "/api/v2/persons?ids=" + kept + "," + deleted + ",999&limit=100", null));
        assertThat(read).hasSize(1);
        assertThat(read.get(0).get("id").asLong()).isEqualTo(kept);
        assertThat(read.get(0).get("first_name").asText()).isEqualTo("Jean");

        StringBuilder ids = new StringBuilder("1");
        for (int i = 2; i <= 101; i++) ids.append(',').append(i);
        JsonNode tooMany = error(call("GET", "/api/v2/persons?ids=" + ids, null), 400);
        assertThat(tooMany.get("code").asText()).isEqualTo("ERR_SCHEMA_VALIDATION_FAILED");
        assertThat(tooMany.get("error").asText()).contains("ids");
        assertThat(ok(call("GET", "/api/v2/persons?ids=" + ids.substring(0, ids.lastIndexOf(",")), null))).hasSize(1);
    }

    private static List<Long> found(Resp r) {
        List<Long> ids = new ArrayList<>();
        ok(r).get("items").forEach(i -> ids.add(i.get("item").get("id").asLong()));
        return ids;
    }

    @Test
    void searchByPhoneMatchesTheDigitsAsTyped() {
        long jean = createPerson(JEAN);
        long other = createPerson("{\"name\":\"Marie Curie\",\"phones\":[{\"value\":\"+33 6 12 34 56 78\"}]}");
        // formatting is ignored, the digits must match: the national form finds the national form
        assertThat(found(call("GET", "/api/v2/persons/search?term=0791234567&fields=phone&exact_match=true", null))).containsExactly(jean);
        assertThat(found(call("GET", "/api/v2/persons/search?term=079%20123%2045%2067&fields=phone&exact_match=true", null))).containsExactly(jean);
        assertThat(found(call("GET", "/api/v2/persons/search?term=%2B41215550000&fields=phone&exact_match=true", null))).containsExactly(jean);
        // ... but an E.164 number does not find a number typed nationally: callers search several forms
        assertThat(found(call("GET", "/api/v2/persons/search?term=%2B41791234567&fields=phone&exact_match=true", null))).isEmpty();
        // without exact_match a part of the number is enough
        assertThat(found(call("GET", "/api/v2/persons/search?term=12345678&fields=phone", null))).containsExactly(other);
        JsonNode item = ok(call("GET", "/api/v2/persons/search?term=0791234567&fields=phone&exact_match=true", null)).get("items").get(0);
        assertThat(item.get("result_score").asDouble()).isGreaterThan(0);
        assertThat(item.get("item").get("type").asText()).isEqualTo("person");
        assertThat(item.get("item").get("phones").get(0).asText()).isEqualTo("079 123 45 67");
        assertThat(item.get("item").get("emails").get(0).asText()).isEqualTo("jean.dupont@example.ch");
        assertThat(item.get("item").get("owner").get("id").asLong()).isEqualTo(OWNER);
    }

    @Test
    void searchByNameAndEmailAndItsLimits() {
        long jean = createPerson(JEAN);
        assertThat(found(call("GET", "/api/v2/persons/search?term=dupont", null))).containsExactly(jean);
        assertThat(found(call("GET", "/api/v2/persons/search?term=dupont&exact_match=true", null))).isEmpty();
        assertThat(found(call("GET", "/api/v2/persons/search?term=JEAN%20DUPONT&fields=name&exact_match=true", null))).containsExactly(jean);
        assertThat(found(call("GET", "/api/v2/persons/search?term=jean.dupont%40example.ch&fields=email&exact_match=true", null))).containsExactly(jean);
        assertThat(found(call("GET", "/api/v2/persons/search?term=dupont&fields=phone", null))).isEmpty();
        assertThat(found(call("GET", "/api/v2/persons/search?term=dupont&fields=phone,email", null))).containsExactly(jean);
        error(call("GET", "/api/v2/persons/search?term=d", null), 400);
        assertThat(found(call("GET", "/api/v2/persons/search?term=x&exact_match=true", null))).isEmpty();
        error(SandboxHttp.json("GET", base() + "/api/v2/persons/search", null, null), 401);
        error(call("GET", "/api/v2/persons/search?term=dupont&fields=address", null), 400);
        error(call("GET", "/api/v2/persons/search", null), 400);
        // paging
        for (int i = 0; i < 3; i++) createPerson("{\"name\":\"Dupont " + i + "\"}");
        Resp page = call("GET", "/api/v2/persons/search?term=dupont&limit=2", null);
        assertThat(found(page)).hasSize(2);
        String cursor = page.json().get("additional_data").get("next_cursor").asText();
        assertThat(found(call("GET", "/api/v2/persons/search?term=dupont&limit=2&cursor=" + cursor, null))).hasSize(2);
    }

    @Test
    void organizationsAndUsersCanBeSeeded() {
        Resp seeded = adminCall("POST", "/seed", "{\"users\":[{\"id\":42,\"name\":\"Léa Favre\",\"email\":\"lea@example.test\"}],"
                + "\"organizations\":[{\"id\":7,\"name\":\"Dupont SA\"}],\"persons\":[{\"name\":\"Jean Dupont\",\"org_id\":7,\"owner_id\":42,"
                + "\"phones\":[{\"value\":\"079 123 45 67\"}]}]}");
        assertThat(seeded.status()).as(seeded.body()).isEqualTo(201);
        long id = seeded.json().get("persons").get(0).asLong();
        JsonNode p = ok(call("GET", "/api/v2/persons/" + id, null));
        assertThat(p.get("org_id").asLong()).isEqualTo(7);
        assertThat(p.get("owner_id").asLong()).isEqualTo(42);
        JsonNode item = ok(call("GET", "/api/v2/persons/search?term=0791234567&fields=phone&exact_match=true", null)).get("items").get(0).get("item");
        assertThat(item.get("organization").get("name").asText()).isEqualTo("Dupont SA");
        assertThat(found(call("GET", "/api/v2/persons/search?term=dupont&organization_id=7", null))).containsExactly(id);
        assertThat(ok(call("GET", "/v1/users/me", null)).get("id").asLong()).isEqualTo(OWNER);
        // a seed that fails part-way leaves nothing behind
        Resp failed = adminCall("POST", "/seed", "{\"persons\":[{\"name\":\"Paul\"},{\"name\":\"Marie\",\"org_id\":99}]}");
        assertThat(failed.status()).as(failed.body()).isEqualTo(400);
        assertThat(failed.json().get("error").asText()).contains("Organization not found");
        assertThat(adminCall("GET", "/records/persons", null).json()).hasSize(1);
    }
}
