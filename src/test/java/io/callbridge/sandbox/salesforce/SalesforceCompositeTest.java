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
}
