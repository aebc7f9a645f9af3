package io.callbridge.sandbox.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import io.callbridge.sandbox.SandboxHttp.Resp;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Salesforce's field names are case-insensitive wherever records are written or queried; answers keep the schema's
 * spelling ({@code LastName}, never the {@code lastname} a client sent).
 */
class SalesforceFieldNameCaseTest extends SalesforceTestSupport {

    @Test
    void createUpdateAndUpsertTakeFieldNamesInAnyLetterCase() {
        String id = create("Contact", "{\"lastname\":\"Dupont\",\"PHONE\":\"+41791234567\",\"callbridge_command_id__c\":\"c-1\"}");
        JsonNode rec = get("/sobjects/Contact/" + id).json();
        assertEquals("Dupont", rec.get("LastName").asText());
        assertEquals("+41791234567", rec.get("Phone").asText());
        assertFalse(rec.has("lastname"), rec.toString());
        // a body may carry the record's own id, in any spelling
        Resp u = patch("/sobjects/Contact/" + id, "{\"id\":\"" + id + "\",\"title\":\"CEO\"}");
        assertEquals(204, u.status(), u.body());
        assertEquals("CEO", get("/sobjects/Contact/" + id).json().get("Title").asText());
        error(patch("/sobjects/Contact/" + id, "{\"ID\":\"" + SalesforceIds.make("003", 999_999) + "\",\"Title\":\"x\"}"), 400, "INVALID_ID_FIELD");
        // upsert by an external id named in another letter case, in the path and in the body
        Resp up = patch("/sobjects/Contact/CALLBRIDGE_COMMAND_ID__C/c-1", "{\"Callbridge_Command_Id__C\":\"c-1\",\"department\":\"Sales\"}");
        assertEquals(200, up.status(), up.body());
        assertEquals(id, up.json().get("id").asText());
        assertEquals("Sales", get("/sobjects/Contact/" + id + "?fields=department").json().get("Department").asText());
        // one field under two spellings is refused rather than one of them silently kept
        error(post("/sobjects/Contact", "{\"LastName\":\"A\",\"lastname\":\"B\"}"), 400, "JSON_PARSER_ERROR");
    }

    @Test
    void soqlTakesFieldAndObjectNamesInAnyLetterCaseAndAnswersTheSchemasSpelling() {
        String id = create("Contact", "{\"LastName\":\"Dupont\",\"Phone\":\"+41791234567\"}");
        Resp r = query("select ID, lastname, PHONE from CONTACT where phone = '+41791234567' order by LASTNAME");
        assertEquals(200, r.status(), r.body());
        JsonNode rec = r.json().get("records").get(0);
        assertEquals(List.of("attributes", "Id", "LastName", "Phone"), keys(rec));
        assertEquals(id, rec.get("Id").asText());
        assertEquals("Contact", rec.get("attributes").get("type").asText());
    }
}
