package io.callbridge.sandbox.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import io.callbridge.sandbox.SandboxHttp.Resp;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Salesforce's validation rules, each answered with [{message, errorCode, fields}]. */
class SalesforceValidationTest extends SalesforceTestSupport {

    private static List<String> fields(JsonNode error) {
        List<String> out = new java.util.ArrayList<>();
        error.get("fields").forEach(f -> out.add(f.asText()));
        return out;
    }

    @Test
    void requiredFields() {
        JsonNode e = error(post("/sobjects/Contact", "{\"FirstName\":\"Jean\"}"), 400, "REQUIRED_FIELD_MISSING");
        assertEquals("Required fields are missing: [LastName]", e.get("message").asText());
        assertEquals(List.of("LastName"), fields(e));

        e = error(post("/sobjects/Lead", "{\"FirstName\":\"Jean\"}"), 400, "REQUIRED_FIELD_MISSING");
        assertEquals(List.of("LastName", "Company"), fields(e));
        assertEquals("Required fields are missing: [LastName,Company]", e.get("message").asText());

        e = error(post("/sobjects/Opportunity", "{\"Amount\":100}"), 400, "REQUIRED_FIELD_MISSING");
        assertEquals(List.of("Name", "StageName", "CloseDate"), fields(e));

        e = error(post("/sobjects/Account", "{\"Phone\":\"+41215550000\"}"), 400, "REQUIRED_FIELD_MISSING");
        assertEquals(List.of("Name"), fields(e));

        // clearing a required field on update
        String id = create("Contact", "{\"LastName\":\"Dupont\"}");
        e = error(patch("/sobjects/Contact/" + id, "{\"LastName\":null}"), 400, "REQUIRED_FIELD_MISSING");
        assertEquals(List.of("LastName"), fields(e));
        e = error(patch("/sobjects/Contact/" + id, "{\"LastName\":\"\"}"), 400, "REQUIRED_FIELD_MISSING");
    }

    @Test
    void eventsNeedADurationOrAnEnd() {
        JsonNode e = error(post("/sobjects/Event", "{\"Subject\":\"RDV\",\"StartDateTime\":\"2026-11-30T10:00:00+01:00\"}"), 400, "REQUIRED_FIELD_MISSING");
        assertEquals(List.of("DurationInMinutes"), fields(e));
        e = error(post("/sobjects/Event", "{\"Subject\":\"RDV\",\"DurationInMinutes\":30}"), 400, "REQUIRED_FIELD_MISSING");
        assertEquals(List.of("ActivityDateTime"), fields(e));

        String id = create("Event", "{\"Subject\":\"RDV\",\"StartDateTime\":\"2026-11-30T10:00:00+01:00\",\"EndDateTime\":\"2026-11-30T10:45:00+01:00\"}");
        JsonNode ev = get("/sobjects/Event/" + id).json();
        assertEquals(45, ev.get("DurationInMinutes").asInt());
        assertEquals("2026-11-30T09:00:00.000+0000", ev.get("ActivityDateTime").asText());
        assertEquals("2026-11-30T09:45:00.000+0000", ev.get("EndDateTime").asText());
        assertEquals("2026-11-30", ev.get("ActivityDate").asText());

        String id2 = create("Event", "{\"Subject\":\"RDV\",\"ActivityDateTime\":\"2026-11-30T10:00:00Z\",\"DurationInMinutes\":60}");
        assertEquals("2026-11-30T11:00:00.000+0000", get("/sobjects/Event/" + id2).json().get("EndDateTime").asText());

        error(post("/sobjects/Event", "{\"StartDateTime\":\"2026-11-30T10:00:00Z\",\"EndDateTime\":\"2026-11-30T09:00:00Z\"}"), 400, "FIELD_INTEGRITY_EXCEPTION");
        create("Event", "{\"Subject\":\"Off\",\"IsAllDayEvent\":true,\"ActivityDate\":\"2026-12-24\"}");
    }

    @Test
    void restrictedPicklists() {
        for (String[] c : new String[][]{
                {"Task", "{\"Priority\":\"Urgent\"}", "Priority"},
                {"Task", "{\"Status\":\"Done\"}", "Status"},
                {"Case", "{\"Priority\":\"Critical\"}", "Priority"},
                {"Case", "{\"Status\":\"Open\"}", "Status"},
                {"Case", "{\"Origin\":\"Fax\"}", "Origin"},
                {"Opportunity", "{\"Name\":\"D\",\"StageName\":\"Won\",\"CloseDate\":\"2027-01-31\"}", "StageName"}}) {
            JsonNode e = error(post("/sobjects/" + c[0], c[1]), 400, "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST");
            assertEquals(List.of(c[2]), fields(e), c[0]);
            assertTrue(e.get("message").asText().contains("bad value for restricted picklist field"), e.toString());
        }
        // values are exact
        error(post("/sobjects/Task", "{\"Priority\":\"high\"}"), 400, "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST");
        String t = create("Task", "{\"Priority\":\"High\",\"Status\":\"Completed\"}");
        JsonNode task = get("/sobjects/Task/" + t).json();
        assertTrue(task.get("IsClosed").asBoolean());
        JsonNode defaults = get("/sobjects/Task/" + create("Task", "{\"Subject\":\"x\"}")).json();
        assertEquals("Normal", defaults.get("Priority").asText());
        assertEquals("Not Started", defaults.get("Status").asText());
        String opp = create("Opportunity", "{\"Name\":\"D\",\"StageName\":\"Closed Won\",\"CloseDate\":\"2027-01-31\"}");
        assertTrue(get("/sobjects/Opportunity/" + opp).json().get("IsWon").asBoolean());
        String kase = create("Case", "{\"Origin\":\"Phone\"}");
        JsonNode k = get("/sobjects/Case/" + kase).json();
        assertEquals("New", k.get("Status").asText());
        assertEquals("Medium", k.get("Priority").asText());
        assertTrue(k.get("CaseNumber").asText().matches("\\d{8}"));
    }

    @Test
    void dateOnlyFieldsRefuseDatetimes() {
        Resp r = post("/sobjects/Task", "{\"Subject\":\"Rappel\",\"ActivityDate\":\"2026-11-30T10:00:00+01:00\"}");
        JsonNode e = error(r, 400, "JSON_PARSER_ERROR");
        assertTrue(e.get("message").asText().startsWith("Cannot deserialize instance of date from VALUE_STRING value 2026-11-30T10:00:00+01:00"), e.toString());
        assertFalse(e.has("fields"));
        error(post("/sobjects/Opportunity", "{\"Name\":\"D\",\"StageName\":\"Prospecting\",\"CloseDate\":\"2027-01-31T00:00:00Z\"}"), 400, "JSON_PARSER_ERROR");
        error(post("/sobjects/Contact", "{\"LastName\":\"D\",\"Birthdate\":\"31.01.1980\"}"), 400, "JSON_PARSER_ERROR");
        error(post("/sobjects/Task", "{\"ActivityDate\":\"2026-02-30\"}"), 400, "JSON_PARSER_ERROR");
        error(post("/sobjects/Task", "{\"ReminderDateTime\":\"tomorrow\"}"), 400, "JSON_PARSER_ERROR");
        String id = create("Task", "{\"ActivityDate\":\"2026-11-30\",\"ReminderDateTime\":\"2026-11-30T08:00:00+01:00\"}");
        JsonNode t = get("/sobjects/Task/" + id).json();
        assertEquals("2026-11-30", t.get("ActivityDate").asText());
        assertEquals("2026-11-30T07:00:00.000+0000", t.get("ReminderDateTime").asText());
    }

    @Test
    void referencesMustPointAtExistingRecordsOfTheRightType() {
        String contact = create("Contact", "{\"LastName\":\"Dupont\"}");
        String account = create("Account", "{\"Name\":\"Dupont SA\"}");
        String lead = create("Lead", "{\"LastName\":\"L\",\"Company\":\"C\"}");
        create("Task", "{\"WhoId\":\"" + contact + "\",\"WhatId\":\"" + account + "\"}");
        create("Task", "{\"WhoId\":\"" + lead.substring(0, 15) + "\"}");
        create("Case", "{\"ContactId\":\"" + contact + "\",\"AccountId\":\"" + account + "\"}");

        JsonNode e = error(post("/sobjects/Task", "{\"WhoId\":\"" + SalesforceIds.make("003", 987_654) + "\"}"), 400, "INVALID_CROSS_REFERENCE_KEY");
        assertEquals(List.of("WhoId"), fields(e));
        e = error(post("/sobjects/Task", "{\"WhoId\":\"" + account + "\"}"), 400, "FIELD_INTEGRITY_EXCEPTION");
        assertEquals(List.of("WhoId"), fields(e));
        e = error(post("/sobjects/Task", "{\"WhatId\":\"nope\"}"), 400, "MALFORMED_ID");
        assertEquals(List.of("WhatId"), fields(e));
        e = error(post("/sobjects/Case", "{\"ContactId\":\"" + account + "\"}"), 400, "FIELD_INTEGRITY_EXCEPTION");
        assertEquals(List.of("ContactId"), fields(e));
        e = error(post("/sobjects/Contact", "{\"LastName\":\"X\",\"AccountId\":\"" + SalesforceIds.make("001", 424_242) + "\"}"), 400, "INVALID_CROSS_REFERENCE_KEY");
        assertEquals(List.of("AccountId"), fields(e));

        assertEquals(204, delete("/sobjects/Contact/" + contact).status());
        error(post("/sobjects/Task", "{\"WhoId\":\"" + contact + "\"}"), 400, "ENTITY_IS_DELETED");
    }

    @Test
    void unknownReadOnlyAndMalformedValues() {
        JsonNode e = error(post("/sobjects/Contact", "{\"LastName\":\"X\",\"Nickname\":\"Jojo\"}"), 400, "INVALID_FIELD");
        assertEquals("No such column 'Nickname' on sobject of type Contact", e.get("message").asText());
        error(post("/sobjects/Contact", "{\"LastName\":\"X\",\"Callbridge_Command_Id\":\"a\"}"), 400, "INVALID_FIELD");
        e = error(post("/sobjects/Contact", "{\"LastName\":\"X\",\"CreatedDate\":\"2026-01-01T00:00:00Z\"}"), 400, "INVALID_FIELD_FOR_INSERT_UPDATE");
        assertEquals(List.of("CreatedDate"), fields(e));
        error(post("/sobjects/Contact", "{\"LastName\":\"X\",\"Name\":\"X Y\"}"), 400, "INVALID_FIELD_FOR_INSERT_UPDATE");
        error(post("/sobjects/Contact", "{\"LastName\":\"X\",\"Id\":\"" + SalesforceIds.make("003", 5) + "\"}"), 400, "INVALID_FIELD_FOR_INSERT_UPDATE");
        e = error(post("/sobjects/Contact", "{\"LastName\":\"X\",\"Email\":\"not-an-email\"}"), 400, "INVALID_EMAIL_ADDRESS");
        assertEquals(List.of("Email"), fields(e));
        e = error(post("/sobjects/Task", "{\"Subject\":\"" + "x".repeat(256) + "\"}"), 400, "STRING_TOO_LONG");
        assertEquals(List.of("Subject"), fields(e));
        error(post("/sobjects/Task", "{\"CallDurationInSeconds\":\"long\"}"), 400, "JSON_PARSER_ERROR");
        error(post("/sobjects/Task", "{\"Subject\":{\"a\":1}}"), 400, "JSON_PARSER_ERROR");
        error(post("/sobjects/Contact", "[{\"LastName\":\"X\"}]"), 400, "JSON_PARSER_ERROR");
        // field names are case-insensitive, stored under their API name
        String id = create("Contact", "{\"lastname\":\"Lower\",\"MOBILEPHONE\":\"+41790000000\"}");
        JsonNode c = get("/sobjects/Contact/" + id).json();
        assertEquals("Lower", c.get("LastName").asText());
        assertEquals("+41790000000", c.get("MobilePhone").asText());
    }
}
