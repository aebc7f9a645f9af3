package io.callbridge.crm.zoho;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callbridge.support.CallerLookupContract;
import io.callbridge.support.Events;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Caller lookups with Zoho as the primary CRM: Contacts and unconverted Leads searched for every way the number is
 * typed, in every phone field, confirmed by normalisation.
 */
class ZohoCallerLookupIT extends CallerLookupContract {

    private static final List<String> CONTACT_PHONES = List.of("Phone", "Mobile", "Home_Phone", "Other_Phone", "Asst_Phone");
    private static ZohoFixture.Org org;

    @BeforeAll
    static void start() {
        org = ZohoFixture.Org.start(Map.of(), clock);
        sandbox = org.sandbox();
        app = startApp("zoho", org.connectorSettings());
    }

    @Override
    protected String crm() {
        return "zoho";
    }

    @Override
    protected String searchPath() {
        return "/search";
    }

    @Override
    protected String contact(String first, String last, String... phones) {
        ObjectNode c = Events.JSON.createObjectNode().put("First_Name", first).put("Last_Name", last);
        for (int i = 0; i < phones.length; i++) {
            if (phones[i] != null) {
                c.put(CONTACT_PHONES.get(i), phones[i]);
            }
        }
        return org.insert("Contacts", c);
    }

    @Override
    protected void touch(String id) {
        ObjectNode body = Events.JSON.createObjectNode();
        body.putArray("data").addObject().put("Description", "touched " + unique());
        org.json("PUT", "/Contacts/" + id, body);
    }

    @Test
    void aNumberInAnyContactPhoneFieldOrAnUnconvertedLeadIsFoundAConvertedLeadIsNot() {
        String home = contact("Hanna", "Home", null, null, "+41 78 555 01 01");
        String assistant = contact("Alex", "Assistant", null, null, null, null, "078 555 01 02");
        String lead = org.insert("Leads", Events.JSON.createObjectNode().put("Last_Name", "Lead").put("First_Name", "Lea")
                .put("Mobile", "0041 78 555 01 03"));

        assertThat(json(lookup("+41785550101")).get("recordId").asText()).isEqualTo(home);
        assertThat(json(lookup("+41785550102")).get("recordId").asText()).isEqualTo(assistant);
        JsonNode found = json(lookup("+41785550103"));
        assertThat(found.get("recordId").asText()).isEqualTo(lead);
        assertThat(found.get("recordType").asText()).isEqualTo("lead");
    }

    @Test
    void oneSearchPerModuleAndLookupAnsweredFromTheSearchAlone() {
        contact("Sam", "Search", "+41 78 555 02 02");
        long before = requestsTo(searchPath());
        JsonNode p = json(lookup("+41785550202"));
        assertThat(p.get("displayName").asText()).isEqualTo("Sam Search");
        assertThat(p.at("/owner/name").asText()).isNotBlank();
        assertThat(requestsTo(searchPath()) - before).as("Contacts and Leads, one search each").isEqualTo(2);
        assertThat(requestsTo("/Contacts/search")).isGreaterThan(0);
        assertThat(requestsTo("/Leads/search")).isGreaterThan(0);
    }

    @Test
    void theContactFinderReadsTheRecordTheTemplatesNeed() throws Exception {
        String id = contact("Finn", "Finder", "+41 79 919 19 19");
        JsonNode found = callers().records("zoho").find("+41799191919");
        assertThat(found.get("id").asText()).isEqualTo(id);
        assertThat(found.get("type").asText()).isEqualTo("contact");
        assertThat(found.get("ownerId").asText()).isNotEmpty();
        assertThat(found.at("/record/Last_Name").asText()).isEqualTo("Finder");
        assertThat(found.at("/record/First_Name").asText()).isEqualTo("Finn");
    }
}
