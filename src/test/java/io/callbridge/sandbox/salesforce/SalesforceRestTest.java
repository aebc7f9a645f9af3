package io.callbridge.sandbox.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import io.callbridge.sandbox.SandboxHttp;
import io.callbridge.sandbox.SandboxHttp.Resp;
import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The REST resources under /services/data over real HTTP: CRUD, upsert, describe, limits, errors. */
class SalesforceRestTest extends SalesforceTestSupport {

    @Test
    void versionsNeedNoSessionAndListTheDefaultVersionOfCamel() {
        Resp r = SandboxHttp.json("GET", base() + "/services/data/", null, null);
        assertEquals(200, r.status(), r.body());
        JsonNode v56 = null;
        for (JsonNode v : r.json()) if (v.get("version").asText().equals("56.0")) v56 = v;
        assertNotNull(v56, r.body());
        assertEquals("Winter '23", v56.get("label").asText());
        assertEquals("/services/data/v56.0", v56.get("url").asText());
        assertEquals(200, SandboxHttp.json("GET", base() + "/services/data", null, null).status());
        assertTrue(r.header("Sforce-Limit-Info").startsWith("api-usage="));
        Resp head = SandboxHttp.send("HEAD", data("/sobjects/Contact/describe"), token, null, null);
        assertEquals(200, head.status());
        assertEquals("", head.body());
    }

    @Test
    void resourcesByVersionAndUnknownVersions() {
        Resp r = get("/");
        assertEquals(200, r.status(), r.body());
        assertEquals("/services/data/v56.0/sobjects", r.json().get("sobjects").asText());
        assertEquals("/services/data/v56.0/query", r.json().get("query").asText());
        error(SandboxHttp.json("GET", base() + "/services/data/v99.0/", token, null), 404, "NOT_FOUND");
        error(SandboxHttp.json("GET", base() + "/services/data/latest/", token, null), 404, "NOT_FOUND");
        error(SandboxHttp.json("GET", base() + "/nothing-here", token, null), 501, SalesforceException.NOT_SIMULATED_CODE);
    }

    @Test
    void createdRecordsHaveSalesforceIdsTimestampsAndAttributes() {
        Map<String, String> prefixes = Map.of("Account", "001", "Contact", "003", "Lead", "00Q", "Task", "00T",
                "Event", "00U", "Opportunity", "006", "Case", "500");
        Map<String, String> bodies = Map.of(
                "Account", "{\"Name\":\"Dupont SA\"}",
                "Contact", "{\"LastName\":\"Dupont\"}",
                "Lead", "{\"LastName\":\"Dupont\",\"Company\":\"Dupont SA\"}",
                "Task", "{\"Subject\":\"Call\"}",
                "Event", "{\"Subject\":\"Meeting\",\"StartDateTime\":\"2026-11-30T10:00:00+01:00\",\"DurationInMinutes\":30}",
                "Opportunity", "{\"Name\":\"Deal\",\"StageName\":\"Prospecting\",\"CloseDate\":\"2027-03-31\"}",
                "Case", "{\"Subject\":\"Broken\",\"Origin\":\"Phone\"}");
        for (var e : prefixes.entrySet()) {
            Resp r = post("/sobjects/" + e.getKey(), bodies.get(e.getKey()));
            assertEquals(201, r.status(), e.getKey() + ": " + r.body());
            String id = r.json().get("id").asText();
            assertEquals(18, id.length(), id);
            assertTrue(id.startsWith(e.getValue()), e.getKey() + " id " + id);
            assertEquals(id, SalesforceIds.normalize(id.substring(0, 15)), "checksum of " + id);
            assertTrue(r.json().get("success").asBoolean());
            assertTrue(r.json().get("errors").isEmpty());
            assertEquals("/services/data/v56.0/sobjects/" + e.getKey() + "/" + id, r.header("Location"));

            JsonNode rec = get("/sobjects/" + e.getKey() + "/" + id).json();
            assertEquals(e.getKey(), rec.get("attributes").get("type").asText());
            assertEquals("/services/data/v56.0/sobjects/" + e.getKey() + "/" + id, rec.get("attributes").get("url").asText());
            for (String f : List.of("CreatedDate", "LastModifiedDate", "SystemModstamp")) {
                String t = rec.get(f).asText();
                assertTrue(t.matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}\\+0000"), f + "=" + t);
            }
            assertEquals(id, rec.get("Id").asText());
            assertTrue(rec.get("OwnerId").asText().startsWith("005"));
        }
        // the 15-char form reaches the same record
        String id = create("Contact", "{\"LastName\":\"Short\"}");
        assertEquals(200, get("/sobjects/Contact/" + id.substring(0, 15)).status());
    }

    @Test
    void phonesAreStoredExactlyAsGiven() {
        String id = create("Contact", "{\"FirstName\":\"Jean\",\"LastName\":\"Dupont\",\"Phone\":\"+41 79 123 45 67\","
                + "\"MobilePhone\":\"+41791234567\",\"HomePhone\":\"079 123 45 67\",\"OtherPhone\":\"(021) 555-00-00\",\"AssistantPhone\":\"0041 21 555 00 01\"}");
        JsonNode rec = get("/sobjects/Contact/" + id).json();
        assertEquals("+41 79 123 45 67", rec.get("Phone").asText());
        assertEquals("+41791234567", rec.get("MobilePhone").asText());
        assertEquals("079 123 45 67", rec.get("HomePhone").asText());
        assertEquals("(021) 555-00-00", rec.get("OtherPhone").asText());
        assertEquals("0041 21 555 00 01", rec.get("AssistantPhone").asText());
        assertEquals("Jean Dupont", rec.get("Name").asText());
        String lead = create("Lead", "{\"LastName\":\"Martin\",\"Company\":\"Martin Sàrl\",\"Phone\":\"+33 1 23 45 67 89\",\"MobilePhone\":\"+33612345678\"}");
        JsonNode l = get("/sobjects/Lead/" + lead).json();
        assertEquals("+33 1 23 45 67 89", l.get("Phone").asText());
        assertEquals("+33612345678", l.get("MobilePhone").asText());
        assertEquals("Open - Not Contacted", l.get("Status").asText());
    }

    @Test
    void getWithFieldsUpdateAndDelete() {
        String id = create("Contact", "{\"FirstName\":\"Jean\",\"LastName\":\"Dupont\",\"Email\":\"jean@example.ch\"}");
        JsonNode some = get("/sobjects/Contact/" + id + "?fields=Email,LastName").json();
        assertEquals("jean@example.ch", some.get("Email").asText());
        assertFalse(some.has("FirstName"), some.toString());
        error(get("/sobjects/Contact/" + id + "?fields=Nope"), 400, "INVALID_FIELD");

        JsonNode before = get("/sobjects/Contact/" + id).json();
        Resp u = patch("/sobjects/Contact/" + id, "{\"FirstName\":\"Jeanne\",\"Title\":\"CEO\"}");
        assertEquals(204, u.status(), u.body());
        JsonNode after = get("/sobjects/Contact/" + id).json();
        assertEquals("Jeanne Dupont", after.get("Name").asText());
        assertEquals("CEO", after.get("Title").asText());
        assertEquals(before.get("CreatedDate"), after.get("CreatedDate"));
        assertFalse(OffsetDateTime.parse(after.get("LastModifiedDate").asText(), DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSxx"))
                .isBefore(OffsetDateTime.parse(before.get("LastModifiedDate").asText(), DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSxx"))));

        assertEquals(204, delete("/sobjects/Contact/" + id).status());
        error(get("/sobjects/Contact/" + id), 404, "ENTITY_IS_DELETED");
        error(delete("/sobjects/Contact/" + id), 404, "ENTITY_IS_DELETED");
        error(patch("/sobjects/Contact/" + id, "{\"Title\":\"x\"}"), 404, "ENTITY_IS_DELETED");
    }

    @Test
    void notFoundAndMethodErrors() {
        error(get("/sobjects/Contact/" + SalesforceIds.make("003", 999_999)), 404, "NOT_FOUND");
        JsonNode e = error(get("/sobjects/Contact/not-an-id"), 404, "NOT_FOUND");
        assertEquals("Provided external ID field does not exist or is not accessible: not-an-id", e.get("message").asText());
        error(get("/sobjects/Widget__c/" + SalesforceIds.make("003", 1)), 404, "NOT_FOUND");
        error(post("/sobjects/Widget__c", "{}"), 404, "NOT_FOUND");
        error(SandboxHttp.json("PUT", data("/sobjects/Contact/" + SalesforceIds.make("003", 1)), token, "{}"), 405, "METHOD_NOT_ALLOWED");
        error(post("/sobjects/Contact", "{\"LastName\": "), 400, "JSON_PARSER_ERROR");
        error(post("/sobjects/Contact", null), 400, "JSON_PARSER_ERROR");
    }

    @Test
    void upsertByExternalIdCreatesThenUpdates() {
        String path = "/sobjects/Task/Callbridge_Command_Id__c/" + SandboxHttp.enc("evt-1:rule-a:0");
        Resp first = patch(path, "{\"Subject\":\"Appel entrant\",\"Status\":\"Completed\"}");
        assertEquals(201, first.status(), first.body());
        assertTrue(first.json().get("created").asBoolean());
        assertTrue(first.json().get("success").asBoolean());
        String id = first.json().get("id").asText();
        assertTrue(id.startsWith("00T"));

        Resp second = patch(path, "{\"Subject\":\"Appel entrant (mis à jour)\",\"Status\":\"Completed\"}");
        assertEquals(200, second.status(), second.body());
        assertFalse(second.json().get("created").asBoolean());
        assertEquals(id, second.json().get("id").asText());
        assertEquals(1, query("SELECT Id FROM Task").json().get("totalSize").asInt());

        JsonNode byExt = get(path).json();
        assertEquals("Appel entrant (mis à jour)", byExt.get("Subject").asText());
        assertEquals("evt-1:rule-a:0", byExt.get("Callbridge_Command_Id__c").asText());
        assertTrue(byExt.get("IsClosed").asBoolean());

        // API versions before 46.0 answer an update with 204
        Resp old = SandboxHttp.json("PATCH", base() + "/services/data/v45.0" + path, token, "{\"Subject\":\"v45\"}");
        assertEquals(204, old.status(), old.body());

        // the value in the body must match the URL
        error(patch(path, "{\"Callbridge_Command_Id__c\":\"other\"}"), 400, "INVALID_FIELD");
        // only external id fields (and Id) can key an upsert
        error(patch("/sobjects/Task/Subject/x", "{\"Status\":\"Completed\"}"), 404, "NOT_FOUND");
        error(get("/sobjects/Task/Callbridge_Command_Id__c/missing"), 404, "NOT_FOUND");
    }

    @Test
    void upsertWithSeveralMatchesAnswers300() {
        Resp seeded = SandboxHttp.json("POST", admin() + "/seed", null,
                "{\"Contact\":[{\"LastName\":\"A\",\"Callbridge_Command_Id__c\":\"dup\"},{\"LastName\":\"B\",\"Callbridge_Command_Id__c\":\"dup\"}]}");
        assertEquals(201, seeded.status(), seeded.body());
        Resp r = patch("/sobjects/Contact/Callbridge_Command_Id__c/dup", "{\"Title\":\"x\"}");
        assertEquals(300, r.status(), r.body());
        assertEquals(2, r.json().size());
        assertTrue(r.json().get(0).asText().startsWith("/services/data/v56.0/sobjects/Contact/003"));
        assertEquals(300, get("/sobjects/Contact/Callbridge_Command_Id__c/dup").status());
    }

    @Test
    void describeListsFieldsPicklistsAndExternalIds() {
        JsonNode d = get("/sobjects/Task/describe").json();
        assertEquals("Task", d.get("name").asText());
        assertEquals("00T", d.get("keyPrefix").asText());
        JsonNode priority = null, ext = null;
        for (JsonNode f : d.get("fields")) {
            if (f.get("name").asText().equals("Priority")) priority = f;
            if (f.get("name").asText().equals("Callbridge_Command_Id__c")) ext = f;
        }
        assertNotNull(priority);
        assertTrue(priority.get("restrictedPicklist").asBoolean());
        assertEquals(3, priority.get("picklistValues").size());
        assertNotNull(ext);
        assertTrue(ext.get("externalId").asBoolean());
        assertTrue(ext.get("custom").asBoolean());
        assertEquals("Contact", get("/sobjects/Contact").json().get("objectDescribe").get("name").asText());
        assertTrue(get("/sobjects").json().get("sobjects").size() >= 8);
    }

    @Test
    void sessionAndLimitHeaderOnEveryDataAnswer() {
        Resp none = SandboxHttp.json("GET", data("/sobjects/Contact/describe"), null, null);
        JsonNode e = error(none, 401, "INVALID_SESSION_ID");
        assertEquals("Session expired or invalid", e.get("message").asText());
        assertFalse(e.has("fields"));
        assertNotNull(none.header("Sforce-Limit-Info"));
        error(SandboxHttp.json("GET", data("/sobjects/Contact/describe"), "00Dxx!bogus", null), 401, "INVALID_SESSION_ID");

        Resp a = get("/sobjects/Contact/describe");
        Resp b = get("/sobjects/Nope/describe");
        assertTrue(a.header("Sforce-Limit-Info").matches("api-usage=\\d+/100000"), a.header("Sforce-Limit-Info"));
        int n1 = Integer.parseInt(a.header("Sforce-Limit-Info").replaceAll(".*=(\\d+)/.*", "$1"));
        int n2 = Integer.parseInt(b.header("Sforce-Limit-Info").replaceAll(".*=(\\d+)/.*", "$1"));
        assertEquals(n1 + 1, n2);
        JsonNode limits = get("/limits").json();
        assertEquals(100000, limits.get("DailyApiRequests").get("Max").asInt());
        assertEquals(100000 - n2 - 1, limits.get("DailyApiRequests").get("Remaining").asInt());
    }

    @Test
    void requestLimitExceededPastTheAllocation() {
        Resp set = SandboxHttp.json("PUT", admin() + "/rate-limit", null, "{\"windowSeconds\":86400,\"quota\":3}");
        assertEquals(200, set.status(), set.body());
        for (int i = 1; i <= 3; i++) {
            Resp r = get("/sobjects/Contact/describe");
            assertEquals(200, r.status());
            assertEquals("api-usage=" + i + "/3", r.header("Sforce-Limit-Info"));
        }
        Resp over = get("/sobjects/Contact/describe");
        JsonNode e = error(over, 403, "REQUEST_LIMIT_EXCEEDED");
        assertEquals("TotalRequests Limit exceeded.", e.get("message").asText());
        assertEquals("api-usage=3/3", over.header("Sforce-Limit-Info"));
        JsonNode state = SandboxHttp.json("GET", admin() + "/rate-limit", null, null).json();
        assertEquals(3, state.get("used").asInt());
        assertEquals(0, state.get("remaining").asInt());
        // the token endpoint is not an API call
        assertNotNull(login());
    }

    @Test
    void customFieldsMustBeDeclared() {
        error(post("/sobjects/Contact", "{\"LastName\":\"X\",\"Tier__c\":\"Gold\"}"), 400, "INVALID_FIELD");
        Resp decl = SandboxHttp.json("POST", admin() + "/fields", null, "{\"sobject\":\"Contact\",\"name\":\"Tier__c\",\"type\":\"text\"}");
        assertEquals(201, decl.status(), decl.body());
        String id = create("Contact", "{\"LastName\":\"X\",\"tier__c\":\"Gold\"}");
        assertEquals("Gold", get("/sobjects/Contact/" + id).json().get("Tier__c").asText());
        assertEquals(1, query("SELECT Id, Tier__c FROM Contact WHERE Tier__c = 'gold'").json().get("totalSize").asInt());
        assertEquals(400, SandboxHttp.json("POST", admin() + "/fields", null, "{\"sobject\":\"Contact\",\"name\":\"Tier\"}").status());
        assertEquals(400, SandboxHttp.json("POST", admin() + "/fields", null, "{\"sobject\":\"Nope\",\"name\":\"Tier__c\"}").status());
        JsonNode fields = SandboxHttp.json("GET", admin() + "/fields", null, null).json();
        assertEquals(2, fields.get("Contact").size(), fields.toString());
        // a reset keeps the schema
        sandbox.reset("salesforce");
        token = login();
        create("Contact", "{\"LastName\":\"Y\",\"Tier__c\":\"Silver\"}");
    }

    @Test
    void customFieldsFromConfiguration() {
        try (var other = io.callbridge.sandbox.CrmSandbox.start(settings()
                .config("salesforce", Map.of("custom-fields", "Contact.Vip__c:checkbox, Case.Ticket__c:text:externalId:unique")).build())) {
            String b = other.baseUrl("salesforce");
            String t = SandboxHttp.form(b + "/services/oauth2/token", Map.of("grant_type", "client_credentials",
                    "client_id", CLIENT_ID, "client_secret", CLIENT_SECRET)).json().get("access_token").asText();
            String d = b + "/services/data/v" + V;
            assertEquals(201, SandboxHttp.json("POST", d + "/sobjects/Contact", t, "{\"LastName\":\"V\",\"Vip__c\":true}").status());
            error(SandboxHttp.json("POST", d + "/sobjects/Contact", t, "{\"LastName\":\"V\",\"Vip__c\":\"maybe\"}"), 400, "JSON_PARSER_ERROR");
            assertEquals(201, SandboxHttp.json("PATCH", d + "/sobjects/Case/Ticket__c/T-1", t, "{\"Origin\":\"Web\"}").status());
            error(SandboxHttp.json("POST", d + "/sobjects/Case", t, "{\"Origin\":\"Web\",\"Ticket__c\":\"t-1\"}"), 400, "DUPLICATE_VALUE");
        }
    }
}
