package io.callbridge.sandbox.hubspot;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** POST /crm/v3/objects/{type}/search: every operator, sorts, paging, query, limits. */
class HubSpotSearchTest extends HubSpotTestSupport {

    private String jean, marie, paul, anon;

    @BeforeEach
    void contacts() {
        jean = create("contacts", "{\"email\":\"jean.dupont@example.ch\",\"firstname\":\"Jean\",\"lastname\":\"Dupont\","
                + "\"phone\":\"079 123 45 67\",\"company\":\"Dupont SA\",\"lifecyclestage\":\"customer\"}");
        marie = create("contacts", "{\"email\":\"marie.curie@example.fr\",\"firstname\":\"Marie\",\"lastname\":\"Curie\","
                + "\"mobilephone\":\"+33 6 12 34 56 78\",\"lifecyclestage\":\"lead\"}");
        paul = create("contacts", "{\"email\":\"paul@example.ch\",\"firstname\":\"Paul\",\"lastname\":\"Favre\","
                + "\"phone\":\"+41 21 555 00 00\",\"lifecyclestage\":\"lead\"}");
        anon = create("contacts", "{\"firstname\":\"Anonyme\"}");
    }

    private static String filter(String property, String operator, String valueJson) {
        String v = valueJson == null || valueJson.contains("\":") ? valueJson : "\"value\":" + valueJson;
        return "{\"propertyName\":\"" + property + "\",\"operator\":\"" + operator + "\"" + (v == null ? "" : "," + v) + "}";
    }

    private static String one(String filter) {
        return "{\"filterGroups\":[{\"filters\":[" + filter + "]}]}";
    }

    private static List<String> ids(JsonNode answer) {
        List<String> out = new ArrayList<>();
        answer.get("results").forEach(r -> out.add(r.get("id").asText()));
        return out;
    }

    @Test
    void eqIsCaseInsensitiveAndAnswersTotalAndDefaultProperties() {
        JsonNode a = search("contacts", one(filter("email", "EQ", "\"Jean.Dupont@EXAMPLE.ch\"")));
        assertThat(a.get("total").asInt()).isEqualTo(1);
        assertThat(ids(a)).containsExactly(jean);
        JsonNode props = a.get("results").get(0).get("properties");
        assertThat(props.get("email").asText()).isEqualTo("jean.dupont@example.ch");
        assertThat(props.has("hs_object_id")).isTrue();
        assertThat(props.has("createdate")).isTrue();
        assertThat(props.has("lastmodifieddate")).isTrue();
        assertThat(a.get("results").get(0).get("archived").asBoolean()).isFalse();
    }

    @Test
    void phoneNumbersAreFoundThroughTheSearchableCalculatedProperties() {
        // whatever the caller's format, the searchable digits are the national significant number
        assertThat(ids(search("contacts", one(filter("hs_searchable_calculated_phone_number", "EQ", "\"791234567\""))))).containsExactly(jean);
        assertThat(ids(search("contacts", one(filter("hs_searchable_calculated_mobile_number", "EQ", "\"612345678\""))))).containsExactly(marie);
        String either = "{\"filterGroups\":[{\"filters\":[" + filter("hs_searchable_calculated_phone_number", "EQ", "\"215550000\"")
                + "]},{\"filters\":[" + filter("hs_searchable_calculated_mobile_number", "EQ", "\"215550000\"") + "]}],"
                + "\"properties\":[\"phone\",\"hs_searchable_calculated_phone_number\"]}";
        JsonNode a = search("contacts", either);
        assertThat(ids(a)).containsExactly(paul);
        assertThat(a.get("results").get(0).get("properties").get("phone").asText()).isEqualTo("+41 21 555 00 00");
        // the typed form does not match the calculated one
        assertThat(search("contacts", one(filter("phone", "EQ", "\"+41215550000\""))).get("total").asInt()).isZero();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "lifecyclestage|NEQ|\"value\":\"lead\"|jean,anon",
            "lifecyclestage|IN|\"values\":[\"customer\",\"LEAD\"]|jean,marie,paul",
            "lifecyclestage|NOT_IN|\"values\":[\"lead\"]|jean,anon",
            "phone|HAS_PROPERTY||jean,paul",
            "phone|NOT_HAS_PROPERTY||marie,anon",
            "company|CONTAINS_TOKEN|\"value\":\"dupont\"|jean",
            "email|CONTAINS_TOKEN|\"value\":\"*@example.ch\"|jean,paul",
            "firstname|CONTAINS_TOKEN|\"value\":\"Ma*\"|marie",
            "company|NOT_CONTAINS_TOKEN|\"value\":\"sa\"|marie,paul,anon",
            "lastname|LT|\"value\":\"dupont\"|marie",
            "lastname|LTE|\"value\":\"dupont\"|jean,marie",
            "lastname|GT|\"value\":\"dupont\"|paul",
            "lastname|GTE|\"value\":\"Dupont\"|jean,paul",
            "lastname|BETWEEN|\"value\":\"c\",\"highValue\":\"e\"|jean,marie"})
    void operators(String property, String operator, String value, String expected) {
        JsonNode a = search("contacts", one(filter(property, operator, value == null || value.isEmpty() ? null : value)));
        List<String> want = new ArrayList<>();
        for (String n : expected.split(",")) want.add(switch (n) {
            case "jean" -> jean;
            case "marie" -> marie;
            case "paul" -> paul;
            default -> anon;
        });
        assertThat(ids(a)).containsExactlyInAnyOrderElementsOf(want);
        assertThat(a.get("total").asInt()).isEqualTo(want.size());
    }

    @Test
    void numbersAndDatesCompareByValue() {
        String small = create("deals", "{\"dealname\":\"small\",\"amount\":\"900\",\"closedate\":\"2026-12-01\"}");
        String big = create("deals", "{\"dealname\":\"big\",\"amount\":\"20000\",\"closedate\":\"2027-03-31T00:00:00Z\"}");
        assertThat(ids(search("deals", one(filter("amount", "GT", "\"1000\""))))).containsExactly(big);
        assertThat(ids(search("deals", one(filter("amount", "BETWEEN", "\"value\":\"500\",\"highValue\":\"1000\""))))).containsExactly(small);
        assertThat(ids(search("deals", one(filter("closedate", "GTE", "\"value\":\"1798761600000\""))))).containsExactly(big);
        assertThat(ids(search("deals", one(filter("closedate", "LT", "\"value\":\"2027-01-01\""))))).containsExactly(small);
        assertThat(ids(search("deals", one(filter("amount", "EQ", "\"value\":\"900.00\""))))).containsExactly(small);
    }

    @Test
    void filtersInAGroupAreAndGroupsAreOr() {
        String and = "{\"filterGroups\":[{\"filters\":[" + filter("lifecyclestage", "EQ", "\"value\":\"lead\"") + ","
                + filter("email", "CONTAINS_TOKEN", "\"value\":\"*.fr\"") + "]}]}";
        assertThat(ids(search("contacts", and))).containsExactly(marie);
        String or = "{\"filterGroups\":[{\"filters\":[" + filter("firstname", "EQ", "\"value\":\"Jean\"") + "]},{\"filters\":["
                + filter("firstname", "EQ", "\"value\":\"Paul\"") + "]}]}";
        assertThat(ids(search("contacts", or))).containsExactlyInAnyOrder(jean, paul);
    }

    @Test
    void sortsAndAfterPaging() {
        JsonNode desc = search("contacts", "{\"sorts\":[{\"propertyName\":\"firstname\",\"direction\":\"DESCENDING\"}],\"limit\":2}");
        assertThat(ids(desc)).containsExactly(paul, marie);
        assertThat(desc.get("total").asInt()).isEqualTo(4);
        String after = desc.get("paging").get("next").get("after").asText();
        JsonNode next = search("contacts", "{\"sorts\":[{\"propertyName\":\"firstname\",\"direction\":\"DESCENDING\"}],\"limit\":2,\"after\":\"" + after + "\"}");
        assertThat(ids(next)).containsExactly(jean, anon);
        assertThat(next.has("paging")).isFalse();
        assertThat(ids(search("contacts", "{\"sorts\":[\"lastname\"],\"filterGroups\":[{\"filters\":[" + filter("lastname", "HAS_PROPERTY", null) + "]}]}")))
                .containsExactly(marie, jean, paul);
        assertThat(ids(search("contacts", "{\"sorts\":[\"-createdate\"],\"limit\":1}"))).hasSize(1);
        assertThat(ids(search("contacts", "{}"))).as("default: oldest first, 10 a page").containsExactly(jean, marie, paul, anon);
    }

    @Test
    void queryMatchesDefaultSearchablePropertiesByPrefix() {
        assertThat(ids(search("contacts", "{\"query\":\"dupo\"}"))).containsExactly(jean);
        assertThat(ids(search("contacts", "{\"query\":\"marie curie\"}"))).containsExactly(marie);
    }

    @Test
    void queryOnPhoneNumbersIsTextAsTypedPlusTheSearchableDigits() {
        // HubSpot does not document it; docs/sandbox.md, HubSpot, states this choice
        String luc = create("contacts", "{\"firstname\":\"Luc\",\"phone\":\"+41 79 123 45 67\"}");
        assertThat(ids(search("contacts", "{\"query\":\"+41 79 123 45 67\"}"))).as("jean typed it 079 123 45 67").containsExactly(luc);
        assertThat(ids(search("contacts", "{\"query\":\"079 123\"}"))).containsExactly(jean);
        assertThat(ids(search("contacts", "{\"query\":\"21 555\"}"))).containsExactly(paul);
        assertThat(ids(search("contacts", "{\"query\":\"791234567\"}"))).as("the national significant number finds either")
                .containsExactly(jean, luc);
        assertThat(ids(search("contacts", "{\"query\":\"79123\"}"))).as("as a prefix").containsExactly(jean, luc);
        assertThat(ids(search("contacts", "{\"query\":\"0791234567\"}"))).as("the trunk 0 is in no indexed form").isEmpty();
        assertThat(ids(search("contacts", "{\"query\":\"+41791234567\"}"))).isEmpty();
    }

    @Test
    void limitsAreHubSpots() {
        error(post("/crm/v3/objects/contacts/search", "{\"limit\":201}"), 400, "VALIDATION_ERROR");
        assertThat(search("contacts", "{\"limit\":200}").get("results")).hasSize(4);
        error(post("/crm/v3/objects/contacts/search", "{\"limit\":100,\"after\":\"9950\"}"), 400, "VALIDATION_ERROR");

        String f = filter("firstname", "HAS_PROPERTY", null);
        StringBuilder six = new StringBuilder("{\"filters\":[" + f);
        for (int i = 1; i < 6; i++) six.append(',').append(f);
        six.append("]}");
        String seven = six.toString().replace("]}", "," + f + "]}");
        error(post("/crm/v3/objects/contacts/search", "{\"filterGroups\":[" + seven + "]}"), 400, "VALIDATION_ERROR");
        assertThat(search("contacts", "{\"filterGroups\":[" + six + "]}").get("total").asInt()).isEqualTo(4);
        // 3 groups of 6 = 18 filters: allowed; a 4th group of one more filter exceeds 18 in all
        String three = six + "," + six + "," + six;
        assertThat(search("contacts", "{\"filterGroups\":[" + three + "]}").get("total").asInt()).isEqualTo(4);
        error(post("/crm/v3/objects/contacts/search", "{\"filterGroups\":[" + three + ",{\"filters\":[" + f + "]}]}"), 400, "VALIDATION_ERROR");
        String g = "{\"filters\":[" + f + "]}";
        assertThat(search("contacts", "{\"filterGroups\":[" + String.join(",", g, g, g, g, g) + "]}").get("total").asInt()).isEqualTo(4);
        error(post("/crm/v3/objects/contacts/search", "{\"filterGroups\":[" + String.join(",", g, g, g, g, g, g) + "]}"), 400, "VALIDATION_ERROR");
    }

    @Test
    void malformedFiltersAreRefused() {
        error(post("/crm/v3/objects/contacts/search", one(filter("email", "LIKE", "\"value\":\"x\""))), 400, "VALIDATION_ERROR");
        error(post("/crm/v3/objects/contacts/search", one(filter("email", "EQ", null))), 400, "VALIDATION_ERROR");
        error(post("/crm/v3/objects/contacts/search", one(filter("email", "IN", "\"value\":\"x\""))), 400, "VALIDATION_ERROR");
        error(post("/crm/v3/objects/contacts/search", one(filter("email", "BETWEEN", "\"value\":\"x\""))), 400, "VALIDATION_ERROR");
        error(post("/crm/v3/objects/contacts/search", "{\"sorts\":[\"a\",\"b\"]}"), 400, "VALIDATION_ERROR");
        JsonNode noOperator = error(post("/crm/v3/objects/contacts/search", one("{\"propertyName\":\"email\",\"value\":\"x\"}")), 400, "VALIDATION_ERROR");
        assertThat(noOperator.get("message").asText()).endsWith("Cannot build Filter, some of required attributes are not set [operator]");
        error(post("/crm/v3/objects/contacts/search", "not json"), 400, "VALIDATION_ERROR");
        error(post("/crm/v3/objects/widgets/search", "{}"), 400, "VALIDATION_ERROR");
    }

    @Test
    void archivedObjectsAreNotFound() {
        delete("/crm/v3/objects/contacts/" + jean);
        assertThat(search("contacts", one(filter("email", "EQ", "\"jean.dupont@example.ch\""))).get("total").asInt()).isZero();
    }
}
