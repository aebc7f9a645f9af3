package io.callbridge.sandbox.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import io.callbridge.sandbox.SandboxHttp.Resp;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** /composite with @{ref.field} references and allOrNone, and the sObject collections. */
class SalesforceCompositeTest extends SalesforceTestSupport {

    private int count(String type) {
        return query("SELECT COUNT() FROM " + type).json().get("totalSize").asInt();
    }

    @Test
    void compositeWithReferences() {
        String body = """
                {"allOrNone": true, "compositeRequest": [
                  {"method": "POST", "url": "/services/data/v56.0/sobjects/Account", "referenceId": "acct", "body": {"Name": "Dupont SA"}},
                  {"method": "POST", "url": "/services/data/v56.0/sobjects/Contact", "referenceId": "ct",
                   "body": {"LastName": "Dupont", "AccountId": "@{acct.id}", "Phone": "+41791234567"}},
                  {"method": "GET", "url": "/services/data/v56.0/sobjects/Contact/@{ct.id}?fields=AccountId,Phone", "referenceId": "read"},
                  {"method": "GET", "url": "/services/data/v56.0/query?q=SELECT+Id+FROM+Contact+WHERE+Phone+=+'%2B41791234567'", "referenceId": "q"},
                  {"method": "PATCH", "url": "/services/data/v56.0/sobjects/Task/Callbridge_Command_Id__c/e1:r:0", "referenceId": "task",
                   "body": {"Subject": "Appel", "WhoId": "@{q.records[0].Id}", "WhatId": "@{read.AccountId}"}}
                ]}""";
        Resp r = post("/composite", body);
        assertEquals(200, r.status(), r.body());
        JsonNode res = r.json().get("compositeResponse");
        assertEquals(5, res.size());
        assertEquals(201, res.get(0).get("httpStatusCode").asInt());
        assertEquals("acct", res.get(0).get("referenceId").asText());
        String acct = res.get(0).get("body").get("id").asText();
        assertEquals("/services/data/v56.0/sobjects/Account/" + acct, res.get(0).get("httpHeaders").get("Location").asText());
        assertEquals(acct, res.get(2).get("body").get("AccountId").asText());
        assertEquals(1, res.get(3).get("body").get("totalSize").asInt());
        assertEquals(201, res.get(4).get("httpStatusCode").asInt(), res.get(4).toString());
        assertTrue(res.get(4).get("body").get("created").asBoolean());
        JsonNode t = query("SELECT Who.Name, What.Name FROM Task").json().get("records").get(0);
        assertEquals("Dupont", t.get("Who").get("Name").asText());
        assertEquals("Dupont SA", t.get("What").get("Name").asText());
        // a composite request is one API call
        String before = get("/limits").header("Sforce-Limit-Info");
        JsonNode limits = post("/composite", "{\"compositeRequest\":[{\"method\":\"GET\",\"url\":\"/services/data/v56.0/limits\",\"referenceId\":\"a\"},"
                + "{\"method\":\"GET\",\"url\":\"/services/data/v56.0/limits\",\"referenceId\":\"b\"}]}").json().get("compositeResponse");
        assertEquals(200, limits.get(0).get("httpStatusCode").asInt(), limits.toString());
        assertEquals(limits.get(0).get("body"), limits.get(1).get("body"));
        String after = get("/limits").header("Sforce-Limit-Info");
        assertEquals(usage(before) + 2, usage(after));
    }

    private static int usage(String header) {
        return Integer.parseInt(header.replaceAll(".*=(\\d+)/.*", "$1"));
    }

    @Test
    void allOrNoneRollsBackEverything() {
        String body = """
                {"allOrNone": true, "compositeRequest": [
                  {"method": "POST", "url": "/services/data/v56.0/sobjects/Contact", "referenceId": "ok", "body": {"LastName": "Kept?"}},
                  {"method": "POST", "url": "/services/data/v56.0/sobjects/Task", "referenceId": "bad", "body": {"WhoId": "@{ok.id}", "Priority": "Urgent"}},
                  {"method": "POST", "url": "/services/data/v56.0/sobjects/Contact", "referenceId": "never", "body": {"LastName": "Never"}}
                ]}""";
        Resp r = post("/composite", body);
        assertEquals(200, r.status(), r.body());
        JsonNode res = r.json().get("compositeResponse");
        assertEquals(3, res.size());
        assertEquals(400, res.get(0).get("httpStatusCode").asInt());
        assertEquals("PROCESSING_HALTED", res.get(0).get("body").get(0).get("errorCode").asText());
        assertEquals(400, res.get(1).get("httpStatusCode").asInt());
        assertEquals("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST", res.get(1).get("body").get(0).get("errorCode").asText());
        assertEquals("PROCESSING_HALTED", res.get(2).get("body").get(0).get("errorCode").asText());
        assertEquals(0, count("Contact"));
        assertEquals(0, count("Task"));
    }

    @Test
    void withoutAllOrNoneTheRestGoesOnButDependentsHalt() {
        String body = """
                {"compositeRequest": [
                  {"method": "POST", "url": "/services/data/v56.0/sobjects/Contact", "referenceId": "bad", "body": {"FirstName": "NoLast"}},
                  {"method": "POST", "url": "/services/data/v56.0/sobjects/Task", "referenceId": "dep", "body": {"WhoId": "@{bad.id}"}},
                  {"method": "POST", "url": "/services/data/v56.0/sobjects/Contact", "referenceId": "good", "body": {"LastName": "Good"}}
                ]}""";
        JsonNode res = post("/composite", body).json().get("compositeResponse");
        assertEquals("REQUIRED_FIELD_MISSING", res.get(0).get("body").get(0).get("errorCode").asText());
        assertEquals("PROCESSING_HALTED", res.get(1).get("body").get(0).get("errorCode").asText());
        assertEquals(201, res.get(2).get("httpStatusCode").asInt());
        assertEquals(1, count("Contact"));
    }

    @Test
    void compositeRequestShapeIsChecked() {
        error(post("/composite", "{\"allOrNone\":true}"), 400, "JSON_PARSER_ERROR");
        error(post("/composite", "{\"compositeRequest\":[{\"method\":\"GET\",\"url\":\"/services/data/v56.0/limits\"}]}"), 400, "INVALID_API_INPUT");
        error(post("/composite", "{\"compositeRequest\":[{\"method\":\"GET\",\"url\":\"/services/data/v56.0/limits\",\"referenceId\":\"a\"},"
                + "{\"method\":\"GET\",\"url\":\"/services/data/v56.0/limits\",\"referenceId\":\"a\"}]}"), 400, "INVALID_API_INPUT");
        StringBuilder many = new StringBuilder("{\"compositeRequest\":[");
        for (int i = 0; i < 26; i++) many.append(i == 0 ? "" : ",").append("{\"method\":\"GET\",\"url\":\"/services/data/v56.0/limits\",\"referenceId\":\"r").append(i).append("\"}");
        error(post("/composite", many + "]}"), 400, "INVALID_API_INPUT");
        JsonNode res = post("/composite", "{\"compositeRequest\":[{\"method\":\"GET\",\"url\":\"/services/data/v55.0/limits\",\"referenceId\":\"a\"}]}").json();
        assertEquals(400, res.get("compositeResponse").get(0).get("httpStatusCode").asInt());
        error(get("/composite"), 405, "METHOD_NOT_ALLOWED");
    }

    @Test
    void sobjectCollectionsCreateUpdateRetrieveDelete() {
        Resp c = post("/composite/sobjects", """
                {"allOrNone": false, "records": [
                  {"attributes": {"type": "Contact"}, "LastName": "One", "Phone": "+41790000001"},
                  {"attributes": {"type": "Lead"}, "LastName": "Two"},
                  {"attributes": {"type": "Account"}, "Name": "Three"}
                ]}""");
        assertEquals(200, c.status(), c.body());
        JsonNode r = c.json();
        assertTrue(r.get(0).get("success").asBoolean());
        assertFalse(r.get(1).get("success").asBoolean());
        JsonNode err = r.get(1).get("errors").get(0);
        assertEquals("REQUIRED_FIELD_MISSING", err.get("statusCode").asText());
        assertEquals("Company", err.get("fields").get(0).asText());
        assertTrue(r.get(2).get("success").asBoolean());
        String contact = r.get(0).get("id").asText();
        String account = r.get(2).get("id").asText();

        Resp u = patch("/composite/sobjects", "{\"records\":[{\"attributes\":{\"type\":\"Contact\"},\"Id\":\"" + contact + "\",\"Title\":\"CEO\"}]}");
        assertTrue(u.json().get(0).get("success").asBoolean(), u.body());
        Resp g = get("/composite/sobjects/Contact?ids=" + contact + "," + account + "&fields=Title,Phone");
        assertEquals("CEO", g.json().get(0).get("Title").asText());
        assertEquals("+41790000001", g.json().get(0).get("Phone").asText());
        assertTrue(g.json().get(1).isNull());

        Resp d = delete("/composite/sobjects?ids=" + contact + "," + account + "&allOrNone=false");
        assertEquals(2, d.json().size());
        assertTrue(d.json().get(0).get("success").asBoolean());
        assertEquals(0, count("Contact"));
        assertEquals(0, count("Account"));
    }

    @Test
    void sobjectCollectionsAllOrNone() {
        JsonNode r = post("/composite/sobjects", """
                {"allOrNone": true, "records": [
                  {"attributes": {"type": "Contact"}, "LastName": "One"},
                  {"attributes": {"type": "Task"}, "Status": "Done"}
                ]}""").json();
        assertFalse(r.get(0).get("success").asBoolean());
        assertEquals("ALL_OR_NONE_OPERATION_ROLLED_BACK", r.get(0).get("errors").get(0).get("statusCode").asText());
        assertEquals("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST", r.get(1).get("errors").get(0).get("statusCode").asText());
        assertEquals(0, count("Contact"));
    }

    @Test
    void sobjectCollectionsUpsertByAnExternalIdAnswerEachRecordInOrder() {
        String first = """
                {"allOrNone": false, "records": [
                  {"attributes": {"type": "Task"}, "Callbridge_Command_Id__c": "c-1", "Subject": "one", "Status": "Completed"},
                  {"attributes": {"type": "Task"}, "Callbridge_Command_Id__c": "c-2", "Subject": "two", "Status": "No such status"},
                  {"attributes": {"type": "Task"}, "Subject": "three", "Status": "Completed"},
                  {"attributes": {"type": "Task"}, "Callbridge_Command_Id__c": "c-4", "Subject": "four", "Status": "Completed"}
                ]}""";
        Resp r = patch("/composite/sobjects/Task/Callbridge_Command_Id__c", first);
        assertEquals(200, r.status(), r.body());
        JsonNode results = r.json();
        assertEquals(4, results.size());
        assertTrue(results.get(0).get("success").asBoolean());
        assertTrue(results.get(0).get("created").asBoolean());
        assertFalse(results.get(1).get("success").asBoolean());
        assertEquals("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST", results.get(1).get("errors").get(0).get("statusCode").asText());
        assertEquals("MISSING_ARGUMENT", results.get(2).get("errors").get(0).get("statusCode").asText());
        assertTrue(results.get(3).get("success").asBoolean());
        assertEquals(2, count("Task"));

        JsonNode again = patch("/composite/sobjects/Task/Callbridge_Command_Id__c", """
                {"records": [{"attributes": {"type": "Task"}, "Callbridge_Command_Id__c": "c-1", "Subject": "one, again"}]}""").json();
        assertTrue(again.get(0).get("success").asBoolean());
        assertFalse(again.get(0).get("created").asBoolean(), "the same external id updates");
        assertEquals(results.get(0).get("id").asText(), again.get(0).get("id").asText());
        assertEquals(2, count("Task"));

        error(patch("/composite/sobjects/Task/Subject", "{\"records\": []}"), 404, "NOT_FOUND");
        StringBuilder many = new StringBuilder("{\"records\": [");
        for (int i = 0; i < 201; i++) many.append(i == 0 ? "" : ",").append("{\"Callbridge_Command_Id__c\": \"m-").append(i).append("\"}");
        error(patch("/composite/sobjects/Task/Callbridge_Command_Id__c", many + "]}"), 400, "EXCEEDED_ID_LIMIT");
    }

    @Test
    void aCompositeRequestCarriesSeveralCollectionsAsOneCall() {
        JsonNode r = post("/composite", """
                {"allOrNone": false, "compositeRequest": [
                  {"method": "PATCH", "url": "/services/data/v56.0/composite/sobjects/Task/Callbridge_Command_Id__c", "referenceId": "tasks",
                   "body": {"allOrNone": false, "records": [{"attributes": {"type": "Task"}, "Callbridge_Command_Id__c": "k-1", "Subject": "a", "Status": "Completed"}]}},
                  {"method": "PATCH", "url": "/services/data/v56.0/composite/sobjects/Opportunity/Callbridge_Command_Id__c", "referenceId": "deals",
                   "body": {"allOrNone": false, "records": [{"attributes": {"type": "Opportunity"}, "Callbridge_Command_Id__c": "k-2", "Name": "b", "StageName": "Prospecting", "CloseDate": "2026-12-31"}]}}
                ]}""").json();
        JsonNode subs = r.get("compositeResponse");
        assertEquals(200, subs.get(0).get("httpStatusCode").asInt(), r.toString());
        assertTrue(subs.get(0).get("body").get(0).get("success").asBoolean(), r.toString());
        assertTrue(subs.get(1).get("body").get(0).get("success").asBoolean(), r.toString());
        assertEquals(1, count("Task"));
        assertEquals(1, count("Opportunity"));
    }

    /**
     * jsforce 3.10 {@code conn.sobject('Contact').upsert(records, extIdField)} with several records (API 46+): one PATCH of
     * {@code /composite/sobjects/Contact/<field>} whose records put the external id first, then {@code attributes}.
     */
    @Test
    void upsertOfSeveralRecordsAsJsforceSendsItAnswersCreatedOnEachResult() {
        Resp r = patch("/composite/sobjects/Contact/Callbridge_Command_Id__c", """
                {"allOrNone":false,"records":[
                  {"Callbridge_Command_Id__c":"js-1","attributes":{"type":"Contact"},"LastName":"One"},
                  {"Callbridge_Command_Id__c":"js-2","attributes":{"type":"Contact"},"LastName":"Two"}]}""");
        assertEquals(200, r.status(), r.body());
        for (JsonNode result : r.json()) {
            assertTrue(result.get("success").asBoolean(), r.body());
            assertTrue(result.get("created").asBoolean(), r.body());
            assertEquals(0, result.get("errors").size());
        }
        String first = r.json().get(0).get("id").asText();
        JsonNode again = patch("/composite/sobjects/Contact/Callbridge_Command_Id__c", """
                {"allOrNone":false,"records":[
                  {"Callbridge_Command_Id__c":"js-1","attributes":{"type":"Contact"},"LastName":"One again"},
                  {"Callbridge_Command_Id__c":"js-3","attributes":{"type":"Contact"},"LastName":"Three"}]}""").json();
        assertEquals(first, again.get(0).get("id").asText());
        assertFalse(again.get(0).get("created").asBoolean());
        assertTrue(again.get(1).get("created").asBoolean());
        assertEquals("One again", get("/sobjects/Contact/" + first).json().get("LastName").asText());
        assertEquals(3, count("Contact"));
    }

    /**
     * What jsforce's own test of {@code upsert(records, extIdField, {allOrNone: true})} asserts against a real org: every
     * result failed, every one {@code created: true}, the invalid record's own error and ALL_OR_NONE_OPERATION_ROLLED_BACK
     * on the others, and none of the records exists afterwards.
     */
    @Test
    void upsertOfSeveralRecordsWithAllOrNoneRollsBackAndStillSaysCreated() {
        JsonNode r = patch("/composite/sobjects/Contact/Callbridge_Command_Id__c", """
                {"allOrNone":true,"records":[
                  {"Callbridge_Command_Id__c":"aon-1","attributes":{"type":"Contact"},"LastName":"One"},
                  {"Callbridge_Command_Id__c":"aon-2","attributes":{"type":"Contact"},"LastName":"Two","OwnerId":"INVALID_OWNER"},
                  {"Callbridge_Command_Id__c":"aon-3","attributes":{"type":"Contact"},"LastName":"Three"}]}""").json();
        assertEquals(3, r.size(), r.toString());
        for (int i = 0; i < 3; i++) {
            JsonNode result = r.get(i);
            assertFalse(result.get("success").asBoolean(), result.toString());
            assertTrue(result.get("created").asBoolean(), result.toString());
            assertEquals(i == 1 ? "MALFORMED_ID" : "ALL_OR_NONE_OPERATION_ROLLED_BACK", result.get("errors").get(0).get("statusCode").asText());
        }
        assertEquals(0, count("Contact"));
        // without allOrNone the others are written, and the failed one still says whether it would have been created
        JsonNode partial = patch("/composite/sobjects/Contact/Callbridge_Command_Id__c", """
                {"allOrNone":false,"records":[
                  {"Callbridge_Command_Id__c":"p-1","attributes":{"type":"Contact"},"LastName":"One"},
                  {"Callbridge_Command_Id__c":"p-2","attributes":{"type":"Contact"},"LastName":"Two","OwnerId":"INVALID_OWNER"}]}""").json();
        assertTrue(partial.get(0).get("success").asBoolean());
        assertFalse(partial.get(1).get("success").asBoolean());
        assertTrue(partial.get(1).get("created").asBoolean());
        assertEquals(1, count("Contact"));
    }

    @Test
    void upsertOfTheSameExternalIdTwiceInOneRequestRefusesBoth() {
        JsonNode r = patch("/composite/sobjects/Contact/Callbridge_Command_Id__c", """
                {"records":[
                  {"Callbridge_Command_Id__c":"twice","attributes":{"type":"Contact"},"LastName":"One"},
                  {"Callbridge_Command_Id__c":"TWICE","attributes":{"type":"Contact"},"LastName":"Two"},
                  {"Callbridge_Command_Id__c":"once","attributes":{"type":"Contact"},"LastName":"Three"}]}""").json();
        assertEquals("DUPLICATE_EXTERNAL_ID", r.get(0).get("errors").get(0).get("statusCode").asText(), r.toString());
        assertEquals("DUPLICATE_EXTERNAL_ID", r.get(1).get("errors").get(0).get("statusCode").asText());
        assertTrue(r.get(2).get("success").asBoolean());
        assertEquals(1, count("Contact"));
        error(delete("/composite/sobjects/Contact/Callbridge_Command_Id__c"), 405, "METHOD_NOT_ALLOWED");
    }

    /** jsforce 3.10 {@code conn.sobject('Contact').update([{Id, ...}, ...])} sends each record's id as {@code "id"}, lower case. */
    @Test
    void updateOfSeveralRecordsTakesTheIdInAnyLetterCase() {
        String a = create("Contact", "{\"LastName\":\"A\"}");
        String b = create("Contact", "{\"LastName\":\"B\"}");
        String c = create("Contact", "{\"LastName\":\"C\"}");
        Resp r = patch("/composite/sobjects", "{\"allOrNone\":false,\"records\":["
                + "{\"id\":\"" + a + "\",\"attributes\":{\"type\":\"Contact\"},\"Title\":\"CEO\"},"
                + "{\"ID\":\"" + b + "\",\"attributes\":{\"type\":\"Contact\"},\"title\":\"CFO\"},"
                + "{\"Id\":\"" + c + "\",\"attributes\":{\"type\":\"Contact\"},\"TITLE\":\"CTO\"}]}");
        assertEquals(200, r.status(), r.body());
        for (JsonNode result : r.json()) assertTrue(result.get("success").asBoolean(), r.body());
        assertEquals(a, r.json().get(0).get("id").asText());
        assertEquals("CEO", get("/sobjects/Contact/" + a).json().get("Title").asText());
        assertEquals("CFO", get("/sobjects/Contact/" + b).json().get("Title").asText());
        assertEquals("CTO", get("/sobjects/Contact/" + c).json().get("Title").asText());
        // an id in a create is refused whatever its spelling
        JsonNode created = post("/composite/sobjects", "{\"records\":[{\"attributes\":{\"type\":\"Contact\"},\"id\":\"" + a + "\",\"LastName\":\"X\"}]}").json();
        assertFalse(created.get(0).get("success").asBoolean(), created.toString());
        assertEquals("INVALID_FIELD", created.get(0).get("errors").get(0).get("statusCode").asText());
    }
}
