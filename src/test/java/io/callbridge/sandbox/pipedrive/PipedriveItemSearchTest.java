package io.callbridge.sandbox.pipedrive;

import com.fasterxml.jackson.databind.JsonNode;
import io.callbridge.sandbox.SandboxHttp.Resp;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * API v2 itemSearch as the Node client sends it (query built by URLSearchParams: commas as %2C, spaces as +; the API
 * token in x-api-token): persons, organizations and deals found by one matcher, Pipedrive's answer shape, paging.
 */
class PipedriveItemSearchTest extends PipedriveTestSupport {

    private long org;
    private long jean;
    private long marie;
    private long deal;

    @BeforeEach
    void company() {
        org = PipedriveOrganizationsTest.createOrganization("{\"name\":\"Dupont SA\",\"address\":{\"value\":\"Rue du Lac 1, 1003 Lausanne\","
                + "\"locality\":\"Lausanne\"}}");
        jean = createPerson("{\"name\":\"Jean Dupont\",\"org_id\":" + org + ",\"phones\":[{\"value\":\"079 123 45 67\",\"primary\":true}],"
                + "\"emails\":[{\"value\":\"jean.dupont@example.ch\"}],\"custom_fields\":{\"d4e5f6\":\"Gold\"}}");
        marie = createPerson("{\"name\":\"Marie Curie\",\"phones\":[{\"value\":\"+33 6 12 34 56 78\"}]}");
        deal = ok(call("POST", "/api/v2/deals", "{\"title\":\"Dupont renewal\",\"value\":20000,\"currency\":\"CHF\",\"person_id\":" + jean
                + ",\"org_id\":" + org + ",\"stage_id\":3}")).get("id").asLong();
    }

    private static JsonNode search(String query) {
        return ok(call("GET", "/api/v2/itemSearch?" + query, null));
    }

    private static List<String> found(JsonNode data) {
        List<String> out = new ArrayList<>();
        data.get("items").forEach(i -> out.add(i.get("item").get("type").asText() + ":" + i.get("item").get("id").asLong()));
        return out;
    }

    @Test
    void oneTermFindsPersonsOrganizationsAndDealsBestFirstInPipedrivesShape() {
        Resp r = call("GET", "/api/v2/itemSearch?term=dupont&item_types=person%2Corganization%2Cdeal&limit=10", null);
        JsonNode data = ok(r);
        assertRateLimitHeaders(r);
        // "Dupont SA" and "Dupont renewal" begin with the term, "Jean Dupont" contains it
        assertThat(found(data)).containsExactly("organization:" + org, "deal:" + deal, "person:" + jean);
        List<Double> scores = new ArrayList<>();
        data.get("items").forEach(i -> scores.add(i.get("result_score").asDouble()));
        assertThat(scores).isSortedAccordingTo((a, b) -> Double.compare(b, a)).allMatch(s -> s > 0);
        assertThat(r.json().get("additional_data").has("next_cursor")).isFalse();

        JsonNode o = data.at("/items/0/item");
        assertThat(o.get("name").asText()).isEqualTo("Dupont SA");
        assertThat(o.get("address").asText()).isEqualTo("Rue du Lac 1, 1003 Lausanne");
        assertThat(o.get("visible_to").asInt()).isEqualTo(3);
        assertThat(o.get("owner").get("id").asLong()).isEqualTo(OWNER);
        assertThat(o.get("custom_fields").isArray() && o.get("notes").isArray()).isTrue();
        JsonNode d = data.at("/items/1/item");
        assertThat(d.get("title").asText()).isEqualTo("Dupont renewal");
        assertThat(d.get("value").asInt()).isEqualTo(20000);
        assertThat(d.get("currency").asText()).isEqualTo("CHF");
        assertThat(d.get("status").asText()).isEqualTo("open");
        assertThat(d.get("stage").get("id").asInt()).isEqualTo(3);
        assertThat(d.get("stage").get("name").asText()).isNotBlank();
        assertThat(d.get("person").get("name").asText()).isEqualTo("Jean Dupont");
        assertThat(d.get("organization").get("name").asText()).isEqualTo("Dupont SA");
        assertThat(d.get("is_archived").asBoolean(true)).isFalse();
        JsonNode p = data.at("/items/2/item");
        assertThat(p.get("name").asText()).isEqualTo("Jean Dupont");
        assertThat(p.get("phones").get(0).asText()).isEqualTo("079 123 45 67");
        assertThat(p.get("emails").get(0).asText()).isEqualTo("jean.dupont@example.ch");
        assertThat(p.get("organization").get("id").asLong()).isEqualTo(org);
        assertThat(p.get("organization").get("address").asText()).isEqualTo("Rue du Lac 1, 1003 Lausanne");
        assertThat(found(search("term=dupont"))).as("all item types by default").hasSize(3);
    }

    @Test
    void itemTypesAndFieldsNarrowTheSearchAsThePersonSearchDoes() {
        assertThat(found(search("term=0791234567&item_types=person&fields=phone&exact_match=true"))).containsExactly("person:" + jean);
        assertThat(found(search("term=079+123+45+67&item_types=person%2Corganization%2Cdeal&fields=phone%2Cemail%2Cname&exact_match=true")))
                .containsExactly("person:" + jean);
        assertThat(found(search("term=%2B41791234567&item_types=person&fields=phone&exact_match=true")))
                .as("the digits must match: an E.164 number does not find one typed nationally").isEmpty();
        assertThat(found(search("term=12345678&fields=phone"))).as("a part of a number without exact_match").containsExactly("person:" + marie);
        assertThat(found(search("term=dupont&item_types=deal&fields=phone"))).as("a field the type does not have").isEmpty();
        assertThat(found(search("term=lausanne&item_types=organization%2Cperson&fields=address"))).containsExactly("organization:" + org);
        assertThat(found(search("term=dupont&item_types=lead%2Cproduct"))).as("item types the sandbox holds none of").isEmpty();
        assertThat(found(search("term=dupont%20sa&exact_match=true"))).as("exact_match ignores case").containsExactly("organization:" + org);
        assertThat(found(search("term=dupont&exact_match=true"))).isEmpty();
        // the person search and itemSearch agree
        List<Long> persons = new ArrayList<>();
        ok(call("GET", "/api/v2/persons/search?term=0791234567&fields=phone&exact_match=true", null)).get("items")
                .forEach(i -> persons.add(i.get("item").get("id").asLong()));
        assertThat(persons).containsExactly(jean);
        ok(call("DELETE", "/api/v2/deals/" + deal, null));
        assertThat(found(search("term=renewal"))).as("deleted records are not found").isEmpty();
    }

    @Test
    void notesAndCustomFieldsMatchAndTheItemShowsWhatMatched() {
        ok(call("POST", "/v1/notes", "{\"content\":\"Rappeler pour l'offre Gold\",\"deal_id\":" + deal + "}"));
        JsonNode data = search("term=gold&fields=notes%2Ccustom_fields");
        assertThat(found(data)).containsExactlyInAnyOrder("person:" + jean, "deal:" + deal);
        for (JsonNode i : data.get("items")) {
            JsonNode item = i.get("item");
            if (item.get("type").asText().equals("deal")) {
                assertThat(item.get("notes").get(0).asText()).isEqualTo("Rappeler pour l'offre Gold");
            } else {
                assertThat(item.get("custom_fields").get(0).asText()).isEqualTo("Gold");
                assertThat(item.get("notes")).isEmpty();
            }
        }
    }

    @Test
    void relatedItemsListTheDealsAndPersonsOfWhatWasFound() {
        JsonNode data = search("term=Dupont+SA&item_types=organization&search_for_related_items=true");
        assertThat(found(data)).containsExactly("organization:" + org);
        Set<String> related = new HashSet<>();
        data.get("related_items").forEach(i -> related.add(i.get("item").get("type").asText() + ":" + i.get("item").get("id").asLong()));
        assertThat(related).containsExactlyInAnyOrder("deal:" + deal, "person:" + jean);
        assertThat(search("term=Dupont+SA&item_types=organization").has("related_items")).isFalse();
    }

    @Test
    void pagesWithAnOpaqueCursor() {
        for (int i = 0; i < 4; i++) createPerson("{\"name\":\"Dupont " + i + "\"}");
        Set<String> seen = new HashSet<>();
        String cursor = null;
        int pages = 0;
        do {
            Resp r = call("GET", "/api/v2/itemSearch?term=dupont&item_types=person&limit=2" + (cursor == null ? "" : "&cursor=" + cursor), null);
            List<String> page = found(ok(r));
            assertThat(page).hasSizeLessThanOrEqualTo(2);
            page.forEach(x -> assertThat(seen.add(x)).as("no item twice: " + x).isTrue());
            JsonNode next = r.json().get("additional_data").get("next_cursor");
            cursor = next == null || next.isNull() ? null : next.asText();
            pages++;
        } while (cursor != null && pages < 10);
        assertThat(seen).hasSize(5);
        assertThat(pages).isEqualTo(3);
    }

    @Test
    void validationAnswersPipedriveErrors() {
        JsonNode b = error(call("GET", "/api/v2/itemSearch?term=d", null), 400);
        assertThat(b.get("error").asText()).contains("term");
        assertThat(found(search("term=d&exact_match=true"))).isEmpty();
        error(call("GET", "/api/v2/itemSearch?item_types=person", null), 400);
        error(call("GET", "/api/v2/itemSearch?term=dupont&item_types=planet", null), 400);
        error(call("GET", "/api/v2/itemSearch?term=dupont&fields=zip", null), 400);
        error(call("GET", "/api/v2/itemSearch?term=dupont&include_fields=person.age", null), 400);
        error(call("GET", "/api/v2/itemSearch?term=dupont&limit=101", null), 400);
        error(call("GET", "/api/v2/itemSearch?term=dupont&cursor=nonsense!", null), 400);
        error(raw("GET", "/api/v2/itemSearch?term=dupont", Map.of(), null), 401);
        assertThat(callWith("GET", "/api/v2/itemSearch?term=dupont&api_token=" + API_TOKEN, Map.of(), null).status()).isEqualTo(200);
    }

    @Test
    void itemSearchCountsAgainstTheSearchLimit() {
        assertThat(adminCall("PUT", "/search-rate-limit", "{\"quota\":1}").status()).isEqualTo(200);
        ok(call("GET", "/api/v2/itemSearch?term=dupont", null));
        error(call("GET", "/api/v2/itemSearch?term=dupont", null), 429);
        error(call("GET", "/api/v2/itemSearch/field?term=Jean&entity_type=person&field=name", null), 429);
        ok(call("GET", "/api/v2/organizations", null));
    }

    @Test
    void fieldSearchAnswersTheIdsAndValuesOfOneField() {
        JsonNode byName = ok(call("GET", "/api/v2/itemSearch/field?term=Jean&entity_type=person&field=name&match=beginning&limit=10", null));
        assertThat(byName).hasSize(1);
        assertThat(byName.get(0).get("id").asLong()).isEqualTo(jean);
        assertThat(byName.get(0).get("name").asText()).isEqualTo("Jean Dupont");
        assertThat(ok(call("GET", "/api/v2/itemSearch/field?term=Jean&entity_type=person&field=name", null))).as("exact by default").isEmpty();
        assertThat(ok(call("GET", "/api/v2/itemSearch/field?term=jean&entity_type=person&field=name&match=beginning", null)))
                .as("case sensitive").isEmpty();
        assertThat(ok(call("GET", "/api/v2/itemSearch/field?term=example.ch&entity_type=person&field=email&match=middle", null))
                .get(0).get("email").asText()).isEqualTo("jean.dupont@example.ch");
        assertThat(ok(call("GET", "/api/v2/itemSearch/field?term=Gold&entity_type=person&field=d4e5f6", null)).get(0).get("id").asLong())
                .isEqualTo(jean);
        assertThat(ok(call("GET", "/api/v2/itemSearch/field?term=Lausanne&entity_type=organization&field=address&match=middle", null)))
                .hasSize(1);
        assertThat(ok(call("GET", "/api/v2/itemSearch/field?term=Dupont&entity_type=lead&field=title&match=middle", null))).isEmpty();
        error(call("GET", "/api/v2/itemSearch/field?term=Jean&entity_type=planet&field=name", null), 400);
        error(call("GET", "/api/v2/itemSearch/field?term=Jean&entity_type=person", null), 400);
        error(call("GET", "/api/v2/itemSearch/field?term=J&entity_type=person&field=name&match=middle", null), 400);
        error(call("GET", "/api/v2/itemSearch/field?term=Jean&entity_type=person&field=name&match=fuzzy", null), 400);
    }
}
