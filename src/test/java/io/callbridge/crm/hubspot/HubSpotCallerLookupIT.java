package io.callbridge.crm.hubspot;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callbridge.phone.PhoneFormats;
import io.callbridge.sandbox.CrmSandbox;
import io.callbridge.sandbox.SandboxSettings;
import io.callbridge.support.CallerLookupContract;
import io.callbridge.support.Events;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Caller lookups with HubSpot as the primary CRM: phone and mobilephone through the searchable calculated numbers. */
class HubSpotCallerLookupIT extends CallerLookupContract {

    @BeforeAll
    static void start() {
        sandbox = CrmSandbox.start(SandboxSettings.builder().port(0).seed(12).clock(clock)
                .config("hubspot", Map.of("custom-properties", HubSpotFixture.CUSTOM_PROPERTIES, "search-rate-limit.quota", "1000",
                        "rate-limit.quota", "100000"))
                .build());
        app = startApp("hubspot", Map.of(
                "callbridge.crm.hubspot.base-url", sandbox.baseUrl("hubspot"),
                "callbridge.crm.hubspot.token", HubSpotFixture.TOKEN));
    }

    @Override
    protected String crm() {
        return "hubspot";
    }

    @Override
    protected String searchPath() {
        return "/crm/v3/objects/contacts/search";
    }

    @Override
    protected String contact(String first, String last, String... phones) {
        ObjectNode p = Events.JSON.createObjectNode().put("firstname", first).put("lastname", last)
                .put("lifecyclestage", "customer");
        if (phones.length > 0) {
            p.put("phone", phones[0]);
        }
        if (phones.length > 1) {
            p.put("mobilephone", phones[1]);
        }
        return create(p);
    }

    @Override
    protected void touch(String id) {
        HttpResponse<String> r = call("PATCH", "/crm/v3/objects/contacts/" + id,
                Events.JSON.createObjectNode().set("properties", Events.JSON.createObjectNode().put("jobtitle", "touched")));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    @Test
    void aContactInAnEarlyLifecycleStageIsALead() {
        String id = create(Events.JSON.createObjectNode().put("firstname", "Léa").put("lastname", "Lead")
                .put("lifecyclestage", "lead").put("mobilephone", "079 666 77 88").put("hs_lead_status", "OPEN"));
        JsonNode p = json(lookup("+41796667788"));
        assertThat(p.get("recordType").asText()).isEqualTo("lead");
        assertThat(p.get("recordId").asText()).isEqualTo(id);
        assertThat(p.get("status").asText()).isEqualTo("OPEN");
    }

    @Test
    void ownerCompanyAndTheLastCallCallbridgeWroteComeWithTheSearch() {
        String id = create(Events.JSON.createObjectNode().put("firstname", "Jean").put("lastname", "Complet")
                .put("company", "Dupont SA").put("phone", "+41 78 900 10 20").put("hubspot_owner_id", "75000001")
                .put("callbridge_last_call", "2026-11-20T14:02:00Z").put("callbridge_last_summary", "Question sur la commande 4411"));
        long before = requestsTo(searchPath());
        // owner names load in the background at start; the profile carries them once loaded
        await().atMost(java.time.Duration.ofSeconds(10)).until(() -> {
            callers().invalidate("+41789001020");
            return json(lookup("+41789001020")).at("/owner/name").asText().equals("Claire Martin");
        });
        JsonNode p = json(lookup("+41789001020"));
        assertThat(p.get("recordId").asText()).isEqualTo(id);
        assertThat(p.get("company").asText()).isEqualTo("Dupont SA");
        assertThat(p.at("/owner/id").asText()).isEqualTo("75000001");
        assertThat(p.at("/lastCall/at").asText()).isEqualTo("2026-11-20T14:02:00Z");
        assertThat(p.at("/lastCall/summary").asText()).isEqualTo("Question sur la commande 4411");
        assertThat(p.get("greetingContext").asText())
                .isEqualTo("Jean Complet (Dupont SA); dernier appel le 20.11 : Question sur la commande 4411.");
        assertThat(p.has("openDeals")).as("would need a second round trip: left out").isFalse();
        assertThat(requestsTo(searchPath()) - before).as("one search per miss").isGreaterThanOrEqualTo(1);
    }

    @Test
    void searchValuesTravelAsJsonValuesNeverAsOperators() {
        List<String> hostile = List.of("a\"b", "x\" , \"operator\": \"HAS_PROPERTY", "back\\slash", "*", "%", "OR 1=1");
        for (String h : hostile) {
            create(Events.JSON.createObjectNode().put("lastname", h));
        }
        for (String h : hostile) {
            ObjectNode body = Events.JSON.createObjectNode();
            ObjectNode filter = body.putArray("filterGroups").addObject().putArray("filters").addObject();
            filter.put("propertyName", "lastname").put("operator", "EQ").put("value", h);
            body.putArray("properties").add("lastname");
            HttpResponse<String> r = call("POST", "/crm/v3/objects/contacts/search", body);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(json(r).get("results")).as(h).hasSize(1);
            assertThat(json(r).at("/results/0/properties/lastname").asText()).isEqualTo(h);
        }
        HubSpotCallerSearch search = new HubSpotCallerSearch(null, "http://x", null, null, java.util.Set.of("lead"));
        JsonNode body = search.searchBody(new PhoneFormats("CH").digitForms("+41791234567"), 20);
        body.at("/filterGroups/0/filters/0/values").forEach(v -> assertThat(v.asText()).matches("\\d+"));
    }

    @Test
    void theContactFinderAnswersTheTemplateShape() throws Exception {
        String id = contact("Finn", "Finder", "+41 79 919 19 19");
        JsonNode found = callers().records("hubspot").find("+41799191919");
        assertThat(found.get("id").asText()).isEqualTo(id);
        assertThat(found.get("type").asText()).isEqualTo("contact");
        assertThat(found.at("/record/lastname").asText()).isEqualTo("Finder");
        assertThat(found.at("/record/phone").asText()).isEqualTo("+41 79 919 19 19");
    }

    static String create(ObjectNode properties) {
        HttpResponse<String> r = call("POST", "/crm/v3/objects/contacts", Events.JSON.createObjectNode().set("properties", properties));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return json(r).get("id").asText();
    }

    static HttpResponse<String> call(String method, String path, JsonNode body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(sandbox.baseUrl("hubspot") + path))
                .header("Authorization", "Bearer " + HubSpotFixture.TOKEN);
        if (body == null) {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body.toString()));
        }
        return Events.send(b.build());
    }
}
