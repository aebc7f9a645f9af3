package io.callbridge.sandbox.hubspot;

import com.fasterxml.jackson.databind.JsonNode;
import io.callbridge.sandbox.SandboxHttp.Resp;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Search by the pseudo-property {@code associations.<objectType>} (singular), as integrators list a contact's calls,
 * tasks and deals: the request bodies are the ones {@code @hubspot/api-client} 13.5.0 serialises (a filter's keys in
 * its model's order, unset ones left out).
 */
class HubSpotSearchAssociationsTest extends HubSpotTestSupport {

    private static final String TS = "\"hs_timestamp\":\"2026-11-28T09:14:03Z\"";

    private String jean, marie, jeansCall, mariesCall, sharedCall, lonelyCall;

    private static String toContact(String contact, int typeId) {
        return "{\"to\":{\"id\":\"" + contact + "\"},\"types\":[{\"associationCategory\":\"HUBSPOT_DEFINED\",\"associationTypeId\":" + typeId + "}]}";
    }

    private static String call(String direction, String... contacts) {
        List<String> links = new ArrayList<>();
        for (String c : contacts) links.add(toContact(c, 194));
        Resp r = post("/crm/v3/objects/calls", "{\"properties\":{" + TS + ",\"hs_call_direction\":\"" + direction + "\"},"
                + "\"associations\":[" + String.join(",", links) + "]}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().get("id").asText();
    }

    @BeforeEach
    void callsOfTwoContacts() {
        jean = create("contacts", "{\"email\":\"jean.dupont@example.ch\",\"firstname\":\"Jean\"}");
        marie = create("contacts", "{\"email\":\"marie.curie@example.fr\",\"firstname\":\"Marie\"}");
        jeansCall = call("INBOUND", jean);
        mariesCall = call("INBOUND", marie);
        sharedCall = call("OUTBOUND", jean, marie);
        lonelyCall = call("OUTBOUND");
    }

    /** One filter as the SDK's Filter model writes it: propertyName, values, value, operator. */
    private static String filter(String property, String operator, String value, String... values) {
        StringBuilder f = new StringBuilder("{\"propertyName\":\"" + property + "\"");
        if (values.length > 0) f.append(",\"values\":[\"").append(String.join("\",\"", values)).append("\"]");
        if (value != null) f.append(",\"value\":\"").append(value).append('"');
        return f.append(",\"operator\":\"").append(operator).append("\"}").toString();
    }

    private static String body(String... filtersOfOneGroup) {
        return "{\"filterGroups\":[{\"filters\":[" + String.join(",", filtersOfOneGroup) + "]}]}";
    }

    private static List<String> ids(JsonNode answer) {
        List<String> out = new ArrayList<>();
        answer.get("results").forEach(r -> out.add(r.get("id").asText()));
        return out;
    }

    private static JsonNode searchAsSdk(String type, String body) {
        Resp r = sdk("POST", "/crm/v3/objects/" + type + "/search", body);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    @Test
    void theCallsOfAContactAreTheCallsAssociatedWithIt() {
        JsonNode a = searchAsSdk("calls", body(filter("associations.contact", "EQ", jean)));
        assertThat(ids(a)).containsExactly(jeansCall, sharedCall);
        assertThat(a.get("total").asInt()).isEqualTo(2);
        assertThat(a.has("paging")).isFalse();
        JsonNode first = a.get("results").get(0);
        assertThat(first.get("properties").get("hs_object_id").asText()).isEqualTo(jeansCall);
        assertThat(first.get("properties").has("hs_createdate")).isTrue();
        assertThat(first.get("properties").has("hs_lastmodifieddate")).isTrue();
        assertThat(first.get("archived").asBoolean()).isFalse();
        assertThat(first.has("associations")).as("search answers no associations").isFalse();

        assertThat(ids(searchAsSdk("calls", body(filter("associations.contact", "EQ", marie))))).containsExactly(mariesCall, sharedCall);
    }

    @Test
    void theSdksFullRequestPagesAndSelectsPropertiesAsAnyOtherSearch() {
        String sdkBody = "{\"limit\":1,\"after\":\"0\",\"sorts\":[{\"propertyName\":\"hs_object_id\",\"direction\":\"DESCENDING\"}],"
                + "\"properties\":[\"hs_call_direction\"],\"filterGroups\":[{\"filters\":[" + filter("associations.contact", "EQ", jean) + "]}]}";
        JsonNode page = searchAsSdk("calls", sdkBody);
        assertThat(page.get("total").asInt()).isEqualTo(2);
        assertThat(ids(page)).containsExactly(sharedCall);
        assertThat(page.get("results").get(0).get("properties").get("hs_call_direction").asText()).isEqualTo("OUTBOUND");
        assertThat(page.get("paging").get("next").get("after").asText()).isEqualTo("1");
    }

    @Test
    void anAssociationFilterAndsWithPropertyFiltersAndOrsAcrossGroups() {
        assertThat(ids(searchAsSdk("calls", body(filter("associations.contact", "EQ", jean), filter("hs_call_direction", "EQ", "INBOUND")))))
                .containsExactly(jeansCall);
        String either = "{\"filterGroups\":[{\"filters\":[" + filter("associations.contact", "EQ", marie) + "]},{\"filters\":["
                + filter("hs_call_direction", "EQ", "OUTBOUND") + "]}]}";
        assertThat(ids(searchAsSdk("calls", either))).containsExactly(mariesCall, sharedCall, lonelyCall);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "IN|jean,marie|jeansCall,mariesCall,sharedCall",
            "NOT_IN|jean|mariesCall,lonelyCall",
            "NEQ|jean|mariesCall,lonelyCall",
            "HAS_PROPERTY||jeansCall,mariesCall,sharedCall",
            "NOT_HAS_PROPERTY||lonelyCall"})
    void theOtherOperatorsReadTheAssociatedIdsAsOneMultiValuedProperty(String operator, String contacts, String expected) {
        String f = switch (operator) {
            case "IN", "NOT_IN" -> filter("associations.contact", operator, null,
                    contacts.split(",").length == 2 ? new String[]{jean, marie} : new String[]{jean});
            case "NEQ" -> filter("associations.contact", operator, jean);
            default -> filter("associations.contact", operator, null);
        };
        List<String> want = new ArrayList<>();
        for (String n : expected.split(",")) want.add(switch (n) {
            case "jeansCall" -> jeansCall;
            case "mariesCall" -> mariesCall;
            case "sharedCall" -> sharedCall;
            default -> lonelyCall;
        });
        JsonNode a = searchAsSdk("calls", body(f));
        assertThat(ids(a)).containsExactlyElementsOf(want);
        assertThat(a.get("total").asInt()).isEqualTo(want.size());
    }

    @Test
    void everySimulatedTypeIsSearchableByItsAssociations() {
        String company = create("companies", "{\"name\":\"Dupont SA\"}");
        Resp deal = post("/crm/v3/objects/deals", "{\"properties\":{\"dealname\":\"Renouvellement\"},\"associations\":["
                + toContact(jean, 3) + ",{\"to\":{\"id\":\"" + company + "\"},\"types\":[{\"associationCategory\":\"HUBSPOT_DEFINED\",\"associationTypeId\":341}]}]}");
        assertThat(deal.status()).as(deal.body()).isEqualTo(201);
        String dealId = deal.json().get("id").asText();
        Resp task = post("/crm/v3/objects/tasks", "{\"properties\":{" + TS + ",\"hs_task_subject\":\"Rappeler\"},\"associations\":["
                + toContact(jean, 204) + ",{\"to\":{\"id\":\"" + dealId + "\"},\"types\":[{\"associationCategory\":\"HUBSPOT_DEFINED\",\"associationTypeId\":216}]}]}");
        assertThat(task.status()).as(task.body()).isEqualTo(201);
        String taskId = task.json().get("id").asText();

        assertThat(ids(searchAsSdk("tasks", body(filter("associations.contact", "EQ", jean))))).containsExactly(taskId);
        assertThat(ids(searchAsSdk("tasks", body(filter("associations.deal", "EQ", dealId))))).containsExactly(taskId);
        assertThat(ids(searchAsSdk("deals", body(filter("associations.contact", "EQ", jean))))).containsExactly(dealId);
        assertThat(ids(searchAsSdk("deals", body(filter("associations.company", "EQ", company))))).containsExactly(dealId);
        assertThat(ids(searchAsSdk("contacts", body(filter("associations.call", "EQ", sharedCall))))).containsExactly(jean, marie);
        assertThat(ids(searchAsSdk("contacts", body(filter("associations.deal", "EQ", dealId))))).containsExactly(jean);
        assertThat(ids(searchAsSdk("tickets", body(filter("associations.contact", "EQ", jean))))).isEmpty();
    }

    @Test
    void removedAssociationsAndArchivedRecordsAreNoLongerFound() {
        Resp removed = delete("/crm/v4/objects/calls/" + sharedCall + "/associations/contacts/" + jean);
        assertThat(removed.status()).as(removed.body()).isEqualTo(204);
        assertThat(ids(searchAsSdk("calls", body(filter("associations.contact", "EQ", jean))))).containsExactly(jeansCall);
        delete("/crm/v3/objects/contacts/" + marie);
        assertThat(ids(searchAsSdk("calls", body(filter("associations.contact", "HAS_PROPERTY", null))))).containsExactly(jeansCall);
    }

    @Test
    void theDocumentedExampleWithFiltersOutsideAGroupIsOneGroup() {
        // developers.hubspot.com "Search through associations" sends {"filters": [...]} without filterGroups
        JsonNode a = searchAsSdk("calls", "{\"filters\":[" + filter("associations.contact", "EQ", marie) + "]}");
        assertThat(ids(a)).containsExactly(mariesCall, sharedCall);
    }

    @Test
    void aTypeHubSpotHasButTheSandboxDoesNotSimulateHasNoAssociations() {
        assertThat(ids(searchAsSdk("contacts", body(filter("associations.email", "EQ", "51001"))))).isEmpty();
        assertThat(ids(searchAsSdk("contacts", body(filter("associations.email", "NOT_HAS_PROPERTY", null))))).containsExactly(jean, marie);
    }

    @Test
    void whatTheSandboxCannotAnswerTruthfullyIsRefusedNotAnsweredEmpty() {
        JsonNode plural = error(sdk("POST", "/crm/v3/objects/calls/search", body(filter("associations.contacts", "EQ", jean))), 400, "VALIDATION_ERROR");
        assertThat(plural.get("message").asText()).contains("associations.contact");
        error(sdk("POST", "/crm/v3/objects/calls/search", body(filter("associations.widget", "EQ", jean))), 400, "VALIDATION_ERROR");
        JsonNode range = error(sdk("POST", "/crm/v3/objects/calls/search", body(filter("associations.contact", "GT", jean))), 400, "VALIDATION_ERROR");
        assertThat(range.get("message").asText()).contains("GT");
        error(sdk("POST", "/crm/v3/objects/calls/search", body(filter("associations.contact", "CONTAINS_TOKEN", jean))), 400, "VALIDATION_ERROR");
    }
}
