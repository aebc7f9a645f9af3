package io.callbridge.sandbox.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import io.callbridge.sandbox.SandboxHttp.Resp;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Parent-to-child relationship subqueries: {@code SELECT Id, (SELECT Subject FROM Tasks) FROM Contact}. */
class SoqlSubqueryTest extends SalesforceTestSupport {

    String account;
    String jean;
    String marie;
    String lead;

    @BeforeEach
    void data() {
        account = create("Account", "{\"Name\":\"Dupont SA\"}");
        jean = create("Contact", "{\"LastName\":\"Dupont\",\"Phone\":\"+41791234567\",\"AccountId\":\"" + account + "\"}");
        marie = create("Contact", "{\"LastName\":\"Curie\",\"AccountId\":\"" + account + "\"}");
        lead = create("Lead", "{\"LastName\":\"Martin\",\"Company\":\"Martin SA\"}");
        create("Task", "{\"Subject\":\"Call 1\",\"Status\":\"Completed\",\"WhoId\":\"" + jean + "\",\"WhatId\":\"" + account + "\"}");
        create("Task", "{\"Subject\":\"Call 2\",\"Status\":\"Not Started\",\"WhoId\":\"" + jean + "\"}");
        create("Task", "{\"Subject\":\"Lead call\",\"Status\":\"Completed\",\"WhoId\":\"" + lead + "\"}");
        create("Opportunity", "{\"Name\":\"Deal\",\"StageName\":\"Prospecting\",\"CloseDate\":\"2026-12-31\",\"AccountId\":\"" + account + "\"}");
    }

    @Test
    void childrenAreARecordListAndNoChildrenIsNull() {
        Resp r = query("SELECT Id, LastName, (SELECT Subject, Status FROM Tasks ORDER BY Subject) FROM Contact ORDER BY LastName");
        assertEquals(200, r.status(), r.body());
        JsonNode records = r.json().get("records");
        JsonNode curie = records.get(0);
        JsonNode dupont = records.get(1);
        assertEquals(List.of("attributes", "Id", "LastName", "Tasks"), keys(dupont));
        assertTrue(curie.get("Tasks").isNull(), curie.toString());
        JsonNode tasks = dupont.get("Tasks");
        assertEquals(2, tasks.get("totalSize").asInt());
        assertTrue(tasks.get("done").asBoolean());
        JsonNode first = tasks.get("records").get(0);
        assertEquals(List.of("attributes", "Subject", "Status"), keys(first));
        assertEquals("Task", first.get("attributes").get("type").asText());
        assertTrue(first.get("attributes").get("url").asText().startsWith("/services/data/v56.0/sobjects/Task/00T"), first.toString());
        assertEquals("Call 1", first.get("Subject").asText());
        assertEquals("Call 2", tasks.get("records").get(1).get("Subject").asText());
    }

    @Test
    void subqueriesFilterLimitAndReachEveryChildRelationshipOfTheSchema() {
        JsonNode open = query("SELECT Id, (SELECT Subject FROM Tasks WHERE Status != 'Completed' LIMIT 1) FROM Contact WHERE Id = '" + jean + "'")
                .json().get("records").get(0).get("Tasks");
        assertEquals(1, open.get("totalSize").asInt(), open.toString());
        assertEquals("Call 2", open.get("records").get(0).get("Subject").asText());
        JsonNode acct = query("SELECT Name, (SELECT LastName FROM Contacts ORDER BY LastName), (SELECT Name FROM Opportunities),"
                + " (SELECT Subject FROM Tasks), (SELECT Subject FROM Cases) FROM Account").json().get("records").get(0);
        assertEquals(2, acct.get("Contacts").get("totalSize").asInt(), acct.toString());
        assertEquals("Curie", acct.get("Contacts").get("records").get(0).get("LastName").asText());
        assertEquals("Deal", acct.get("Opportunities").get("records").get(0).get("Name").asText());
        assertEquals("Call 1", acct.get("Tasks").get("records").get(0).get("Subject").asText());
        assertTrue(acct.get("Cases").isNull());
        JsonNode leadTasks = query("select id, (select subject from tasks) from lead").json().get("records").get(0);
        assertEquals("Lead call", leadTasks.get("Tasks").get("records").get(0).get("Subject").asText(), "names in any letter case, answered as the schema spells them");
        // a parent path inside a subquery
        JsonNode who = query("SELECT Id, (SELECT Who.Name FROM Tasks WHERE Subject = 'Call 1') FROM Contact WHERE Id = '" + jean + "'")
                .json().get("records").get(0).get("Tasks").get("records").get(0);
        assertEquals("Dupont", who.get("Who").get("Name").asText());
    }

    @Test
    void unknownRelationshipsAndMisplacedSubqueriesAreSalesforcesErrors() {
        JsonNode e = error(query("SELECT Id, (SELECT Id FROM Widgets) FROM Contact"), 400, "INVALID_TYPE");
        assertTrue(e.get("message").asText().contains("Didn't understand relationship 'Widgets' in FROM part of query call."), e.toString());
        // the child object's name is not its relationship's
        error(query("SELECT Id, (SELECT Id FROM Task) FROM Contact"), 400, "INVALID_TYPE");
        error(query("SELECT Id, (SELECT Id FROM Contacts) FROM Lead"), 400, "INVALID_TYPE");
        error(query("SELECT Id, (SELECT Nope FROM Tasks) FROM Contact"), 400, "INVALID_FIELD");
        error(query("SELECT Id, (SELECT Id FROM Tasks FROM Contact"), 400, "MALFORMED_QUERY");
        error(query("SELECT Id, (SELECT Id, (SELECT Id FROM Tasks) FROM Tasks) FROM Contact"), 400, "MALFORMED_QUERY");
        error(query("SELECT Id, (SELECT Id FROM Tasks), (SELECT Id FROM tasks) FROM Contact"), 400, "MALFORMED_QUERY");
        // a semi-join is Salesforce's, not the sandbox's
        error(query("SELECT Id FROM Contact WHERE Id IN (SELECT WhoId FROM Task)"), 501, SalesforceException.NOT_SIMULATED_CODE);
    }
}
