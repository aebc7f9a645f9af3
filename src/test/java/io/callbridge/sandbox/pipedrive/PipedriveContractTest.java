package io.callbridge.sandbox.pipedrive;

import com.fasterxml.jackson.databind.JsonNode;
import io.callbridge.sandbox.Json;
import io.callbridge.sandbox.SandboxHttp.Resp;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sandbox against Pipedrive's own OpenAPI documents (read from ../shared, skipped without them, failed
 * without them under CI=true): every route it serves is a Pipedrive operation, and one pass over all of them
 * validates each request body it accepts and each answer, errors included.
 */
class PipedriveContractTest extends PipedriveTestSupport {

    @BeforeEach
    void requireDocuments() {
        contract = PipedriveContract.require();
    }

    @Test
    void everyServedRouteIsAnOperationOfTheDocuments() {
        List<String> missing = new ArrayList<>();
        for (String route : PipedriveSandbox.ROUTES) {
            String[] mp = route.split(" ");
            String concrete = mp[1].replace("{id}", "1");
            if (contract.operation(mp[0], concrete) == null) missing.add(route);
        }
        assertThat(missing).isEmpty();
    }

    @Test
    void oneCallOfEveryRouteValidatesRequestAndAnswer() {
        PipedriveContract.VALIDATED.clear();
        long org = ok(call("POST", "/api/v2/organizations", "{\"name\":\"Dupont SA\",\"owner_id\":" + OWNER + ",\"visible_to\":3,"
                + "\"label_ids\":[1],\"address\":{\"value\":\"Rue du Lac 1, 1003 Lausanne\",\"locality\":\"Lausanne\",\"postal_code\":\"1003\"},"
                + "\"website\":\"https://dupont.example\",\"linkedin\":null,\"industry\":4,\"annual_revenue\":1000000,\"employee_count\":12,"
                + "\"custom_fields\":{}}")).get("id").asLong();
        ok(call("GET", "/api/v2/organizations/" + org, null));
        ok(call("PATCH", "/api/v2/organizations/" + org, "{\"name\":\"Dupont & Fils SA\",\"employee_count\":null}"));
        ok(call("GET", "/api/v2/organizations?owner_id=" + OWNER + "&sort_by=update_time&sort_direction=desc&limit=10"
                + "&updated_since=2026-01-01T00:00:00Z", null));
        long person = createPerson("{\"name\":\"Jean Dupont\",\"org_id\":" + org + ",\"owner_id\":" + OWNER + ",\"emails\":[{\"value\":\"jean.dupont@example.ch\",\"primary\":true,"
                + "\"label\":\"work\"}],\"phones\":[{\"value\":\"079 123 45 67\",\"primary\":true,\"label\":\"mobile\"}],\"visible_to\":3,"
                + "\"label_ids\":[],\"job_title\":\"Directeur\",\"marketing_status\":\"subscribed\",\"custom_fields\":{}}");
        ok(call("GET", "/api/v2/persons/" + person, null));
        ok(call("PATCH", "/api/v2/persons/" + person, "{\"name\":\"Jean Dupont\",\"phones\":[{\"value\":\"+41 79 123 45 67\",\"primary\":true,\"label\":\"mobile\"}]}"));
        ok(call("GET", "/api/v2/persons?limit=10&sort_by=update_time&sort_direction=desc", null));
        ok(call("GET", "/api/v2/persons/search?term=41791234567&fields=phone&exact_match=true&limit=5", null));
        ok(call("GET", "/api/v2/itemSearch?term=dupont&item_types=person%2Corganization%2Cdeal&fields=phone%2Cemail%2Cname&exact_match=false"
                + "&search_for_related_items=true&include_fields=person.picture&limit=10", null));
        ok(call("GET", "/api/v2/itemSearch/field?term=Jean&entity_type=person&field=name&match=beginning&limit=10", null));
        long deal = ok(call("POST", "/api/v2/deals", "{\"title\":\"Produit X\",\"value\":20000,\"currency\":\"CHF\",\"person_id\":" + person
                + ",\"owner_id\":" + OWNER + ",\"pipeline_id\":1,\"stage_id\":2,\"status\":\"open\",\"expected_close_date\":\"2027-03-31\","
                + "\"probability\":null,\"visible_to\":3,\"label_ids\":[]}")).get("id").asLong();
        ok(call("GET", "/api/v2/deals/" + deal, null));
        ok(call("PATCH", "/api/v2/deals/" + deal, "{\"status\":\"won\"}"));
        ok(call("GET", "/api/v2/deals?person_id=" + person + "&status=won", null));
        long activity = ok(call("POST", "/api/v2/activities", "{\"subject\":\"Rappeler\",\"type\":\"call\",\"owner_id\":" + OWNER + ",\"deal_id\":" + deal
                + ",\"person_id\":" + person + ",\"due_date\":\"2026-11-30\",\"due_time\":\"10:00\",\"duration\":\"00:15\",\"busy\":false,\"done\":false,"
                + "\"participants\":[{\"person_id\":" + person + ",\"primary\":true}],\"note\":\"envoyer une offre\",\"priority\":1}")).get("id").asLong();
        ok(call("GET", "/api/v2/activities/" + activity, null));
        ok(call("PATCH", "/api/v2/activities/" + activity, "{\"done\":true}"));
        ok(call("GET", "/api/v2/activities?person_id=" + person + "&done=true", null));
        ok(call("POST", "/v1/activityTypes", "{\"name\":\"Video call\",\"icon_key\":\"camera\",\"color\":\"aeb31b\"}"));
        ok(call("GET", "/v1/activityTypes", null));
        error(call("POST", "/v1/activityTypes", "{\"name\":\"Video call\",\"icon_key\":\"rocket\"}"), 400);
        String log = ok(call("POST", "/v1/callLogs", "{\"user_id\":" + OWNER + ",\"subject\":\"Appel entrant\",\"duration\":\"242\",\"outcome\":\"connected\","
                + "\"from_phone_number\":\"079 123 45 67\",\"to_phone_number\":\"+41 21 555 00 00\",\"start_time\":\"2026-11-28T09:10:01Z\","
                + "\"end_time\":\"2026-11-28T09:14:03Z\",\"person_id\":" + person + ",\"deal_id\":" + deal + ",\"note\":\"Client Gold\"}")).get("id").asText();
        ok(call("GET", "/v1/callLogs/" + log, null));
        ok(call("GET", "/v1/callLogs?start=0&limit=10", null));
        long note = ok(call("POST", "/v1/notes", "{\"content\":\"Résumé\",\"person_id\":" + person + ",\"deal_id\":" + deal
                + ",\"pinned_to_person_flag\":1}")).get("id").asLong();
        ok(call("GET", "/v1/notes/" + note, null));
        ok(call("PUT", "/v1/notes/" + note, "{\"content\":\"Résumé modifié\"}"));
        ok(call("GET", "/v1/notes?person_id=" + person, null));
        ok(call("GET", "/v1/users", null));
        ok(call("GET", "/v1/users/me", null));
        Resp hook = call("POST", "/v1/webhooks", "{\"subscription_url\":\"https://hooks.example.test/pipedrive\",\"event_action\":\"*\","
                + "\"event_object\":\"person\",\"name\":\"Callbridge\",\"http_auth_user\":\"callbridge\",\"http_auth_password\":\"s3cret\","
                + "\"version\":\"2.0\"}");
        assertThat(hook.status()).as(hook.body()).isEqualTo(201);
        ok(call("GET", "/v1/webhooks", null));
        assertThat(call("DELETE", "/v1/webhooks/" + hook.json().at("/data/id").asLong(), null).status()).isEqualTo(200);
        assertThat(call("DELETE", "/v1/notes/" + note, null).status()).isEqualTo(200);
        assertThat(call("DELETE", "/v1/callLogs/" + log, null).status()).isEqualTo(200);
        ok(call("DELETE", "/api/v2/activities/" + activity, null));
        ok(call("DELETE", "/api/v2/deals/" + deal, null));
        ok(call("DELETE", "/api/v2/persons/" + person, null));
        ok(call("DELETE", "/api/v2/organizations/" + org, null));
        // errors validate against Pipedrive's error schema
        error(call("GET", "/api/v2/persons/" + person, null), 404);
        error(call("GET", "/api/v2/organizations/" + org, null), 404);
        error(call("POST", "/api/v2/organizations", "{\"visible_to\":3}"), 400);
        error(call("POST", "/api/v2/deals", "{\"value\":1}"), 400);
        error(call("GET", "/v1/callLogs/nope", null), 404);

        Set<String> expected = new LinkedHashSet<>();
        for (String route : PipedriveSandbox.ROUTES) {
            String[] mp = route.split(" ");
            if (mp[1].startsWith("/oauth/")) continue;
            String[] op = contract.operation(mp[0], mp[1].replace("{id}", "1"));
            // a webhook is created with 201, as the document says; every other route answers 200
            expected.add(op[0] + " " + mp[0] + " " + op[1] + (route.equals("POST /v1/webhooks") ? " 201" : " 200"));
            if (Set.of("POST", "PATCH", "PUT").contains(mp[0])) expected.add(op[0] + " " + mp[0] + " " + op[1] + " request");
        }
        assertThat(PipedriveContract.VALIDATED).containsAll(expected);
    }

    @Test
    void theRefreshGrantsRequestAndAnswerAreThoseOfTheDocument() {
        java.util.Map<String, String> form = java.util.Map.of("grant_type", "refresh_token", "refresh_token", "pd-refresh");
        assertThat(contract.checkForm("POST", "/oauth/token/", form)).as("the fields PipedriveAuth sends").isEmpty();
        java.util.Map<String, String> basic = java.util.Map.of("Authorization", "Basic " + java.util.Base64.getEncoder()
                .encodeToString("pd-client:pd-secret".getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                "Content-Type", "application/x-www-form-urlencoded");
        for (String path : List.of("/oauth/token/", "/oauth/token")) {
            io.callbridge.sandbox.SandboxHttp.Resp r = raw("POST", path, basic, "grant_type=refresh_token&refresh_token=pd-refresh");
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            assertThat(contract.checkResponse("POST", path, 200, r.json())).as(path).isEmpty();
            for (String field : List.of("access_token", "token_type", "refresh_token", "scope", "expires_in", "api_domain")) {
                assertThat(r.json().has(field)).as("the document's " + field).isTrue();
            }
            assertThat(r.json().get("token_type").asText()).isEqualTo("Bearer");
        }
        assertThat(contract.checkResponse("POST", "/oauth/token/", 200, Json.MAPPER.valueToTree(java.util.Map.of("expires_in", "3599"))))
                .as("expires_in is an integer").isNotEmpty();
        assertThat(contract.checkForm("POST", "/oauth/token/", java.util.Map.of("grant_type", "password"))).as("grant_type enum").isNotEmpty();
    }

    @Test
    void theCheckIsNotVacuous() throws java.io.IOException {
        assertThat(contract.checkRequest("POST", "/api/v2/persons", Json.MAPPER.valueToTree(java.util.Map.of("name", "X",
                "phones", List.of("079 123 45 67"))))).as("phones must be objects").isNotEmpty();
        assertThat(contract.checkRequest("POST", "/v1/callLogs", Json.MAPPER.valueToTree(java.util.Map.of("outcome", "answered",
                "to_phone_number", "1", "start_time", "2026-11-28T09:10:01Z", "end_time", "2026-11-28T09:14:03Z")))).as("outcome enum").isNotEmpty();
        assertThat(contract.checkRequest("POST", "/v1/callLogs", Json.MAPPER.valueToTree(java.util.Map.of("outcome", "connected"))))
                .as("required fields").isNotEmpty();
        JsonNode badAnswer = Json.MAPPER.valueToTree(java.util.Map.of("success", true, "data", java.util.Map.of("id", "12", "name", "X")));
        assertThat(contract.checkResponse("GET", "/api/v2/persons/12", 200, badAnswer)).as("id must be an integer").isNotEmpty();
        JsonNode nullOrg = Json.MAPPER.readTree("{\"success\":true,\"data\":{\"id\":1,\"org_id\":null}}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(contract.checkResponse("GET", "/api/v2/persons/1", 200, nullOrg)).as("org_id is not nullable in the document").isNotEmpty();
        JsonNode nullProbability = Json.MAPPER.readTree("{\"success\":true,\"data\":{\"id\":1,\"probability\":null}}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(contract.checkResponse("GET", "/api/v2/deals/1", 200, nullProbability)).as("probability is nullable").isEmpty();
        JsonNode nullAddress = Json.MAPPER.readTree("{\"success\":true,\"data\":{\"id\":1,\"address\":null}}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(contract.checkResponse("GET", "/api/v2/organizations/1", 200, nullAddress)).as("an organization's address is not nullable").isNotEmpty();
        assertThat(contract.checkQuery("GET", "/api/v2/persons/search", java.util.Map.of("term", "x", "fields", "address"))).isNotEmpty();
        assertThat(contract.checkQuery("GET", "/api/v2/itemSearch", java.util.Map.of("term", "x", "item_types", "person,planet"))).isNotEmpty();
        assertThat(contract.checkQuery("GET", "/api/v2/itemSearch/field", java.util.Map.of("term", "x", "field", "name")))
                .as("entity_type is required").isNotEmpty();
        assertThat(contract.checkQuery("GET", "/api/v2/persons/search", java.util.Map.of("fields", "phone"))).as("term is required").isNotEmpty();
    }
}
