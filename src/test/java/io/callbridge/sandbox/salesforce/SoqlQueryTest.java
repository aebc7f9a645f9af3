package io.callbridge.sandbox.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import io.callbridge.sandbox.SandboxHttp;
import io.callbridge.sandbox.SandboxHttp.Resp;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The SOQL subset over GET /query?q=, answers and errors as Salesforce gives them. */
class SoqlQueryTest extends SalesforceTestSupport {

    String account;
    String jean;

    @BeforeEach
    void data() {
        account = create("Account", "{\"Name\":\"Dupont SA\"}");
        jean = create("Contact", "{\"FirstName\":\"Jean\",\"LastName\":\"Dupont\",\"Phone\":\"+41791234567\",\"Email\":\"jean@example.ch\",\"AccountId\":\"" + account + "\"}");
        create("Contact", "{\"FirstName\":\"Marie\",\"LastName\":\"O'Brien\",\"MobilePhone\":\"+41 79 765 43 21\",\"Title\":\"50% off\"}");
        create("Contact", "{\"FirstName\":\"Luc\",\"LastName\":\"Back\\\\slash\",\"HomePhone\":\"079 123 45 67\"}");
        create("Contact", "{\"LastName\":\"Zed\",\"Title\":\"500 off\"}");
    }

    private List<String> names(Resp r) {
        assertEquals(200, r.status(), r.body());
        List<String> out = new ArrayList<>();
        for (JsonNode rec : r.json().get("records")) out.add(rec.get("LastName").asText());
        return out;
    }

    @Test
    void answerShape() {
        Resp r = query("SELECT Id, LastName, Phone FROM Contact WHERE Phone = '+41791234567'");
        assertEquals(200, r.status(), r.body());
        JsonNode body = r.json();
        assertEquals(1, body.get("totalSize").asInt());
        assertTrue(body.get("done").asBoolean());
        JsonNode rec = body.get("records").get(0);
        assertEquals("Contact", rec.get("attributes").get("type").asText());
        assertEquals("/services/data/v56.0/sobjects/Contact/" + jean, rec.get("attributes").get("url").asText());
        assertEquals(List.of("attributes", "Id", "LastName", "Phone"), fieldNames(rec));
        assertTrue(r.header("Sforce-Limit-Info").startsWith("api-usage="));
        assertEquals(1, get("/queryAll?q=" + SandboxHttp.enc("SELECT Id FROM Contact WHERE Phone = '+41791234567'")).json().get("totalSize").asInt());
        // trailing slash form as camel-salesforce sends it, and lower-case keywords and field names
        assertEquals(1, get("/query/?q=" + SandboxHttp.enc("select id from contact where phone = '+41791234567'")).json().get("totalSize").asInt());
    }

    @Test
    void aPlusSentUnencodedInTheQueryStringIsASpaceAsInSalesforce() {
        Resp raw = get("/query?q=SELECT+Id+FROM+Contact+WHERE+Phone+=+'+41791234567'");
        assertEquals(200, raw.status(), raw.body());
        assertEquals(0, raw.json().get("totalSize").asInt());
        Resp encoded = get("/query?q=SELECT+Id+FROM+Contact+WHERE+Phone+=+'%2B41791234567'");
        assertEquals(1, encoded.json().get("totalSize").asInt());
    }

    private static List<String> fieldNames(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }

    @Test
    void operators() {
        assertEquals(List.of("Dupont"), names(query("SELECT LastName FROM Contact WHERE LastName = 'DUPONT'")));
        assertEquals(3, names(query("SELECT LastName FROM Contact WHERE LastName != 'Dupont'")).size());
        assertEquals(3, names(query("SELECT LastName FROM Contact WHERE LastName <> 'Dupont'")).size());
        assertEquals(List.of("Dupont"), names(query("SELECT LastName FROM Contact WHERE Phone != null")));
        assertEquals(3, names(query("SELECT LastName FROM Contact WHERE Phone = null")).size());
        assertEquals(List.of("Dupont", "Zed"), names(query("SELECT LastName FROM Contact WHERE LastName IN ('Dupont', 'zed') ORDER BY LastName")));
        assertEquals(2, names(query("SELECT LastName FROM Contact WHERE LastName NOT IN ('Dupont', 'Zed')")).size());
        assertEquals(List.of("Dupont"), names(query("SELECT LastName FROM Contact WHERE Email LIKE '%@EXAMPLE.ch'")));
        assertEquals(List.of("Dupont"), names(query("SELECT LastName FROM Contact WHERE LastName LIKE 'D_pont'")));
        assertEquals(List.of("O'Brien"), names(query("SELECT LastName FROM Contact WHERE Title LIKE '50\\%%'")));
        assertEquals(2, names(query("SELECT LastName FROM Contact WHERE Title LIKE '50%'")).size());
        assertEquals(List.of("Dupont"), names(query("SELECT LastName FROM Contact WHERE NOT LastName LIKE '%e%' AND FirstName != null AND (NOT LastName = 'Back\\\\slash')")));
    }

    @Test
    void andOrParentheses() {
        assertEquals(List.of("Dupont", "O'Brien"), names(query(
                "SELECT LastName FROM Contact WHERE (Phone = '+41791234567' OR MobilePhone = '+41 79 765 43 21') AND FirstName != null ORDER BY LastName")));
        assertEquals(List.of("Back\\slash", "Dupont"), names(query(
                "SELECT LastName FROM Contact WHERE Phone = '+41791234567' OR (HomePhone = '079 123 45 67' AND FirstName = 'Luc') ORDER BY LastName")));
        JsonNode e = error(query("SELECT LastName FROM Contact WHERE Phone = '1' OR HomePhone = '2' AND FirstName = 'Luc'"), 400, "MALFORMED_QUERY");
        assertTrue(e.get("message").asText().contains("unexpected token: 'AND'"), e.toString());
        error(query("SELECT LastName FROM Contact WHERE (Phone = '1'"), 400, "MALFORMED_QUERY");
    }

    @Test
    void escapes() {
        assertEquals(List.of("O'Brien"), names(query("SELECT LastName FROM Contact WHERE LastName = 'O\\'Brien'")));
        assertEquals(List.of("Back\\slash"), names(query("SELECT LastName FROM Contact WHERE LastName = 'Back\\\\slash'")));
        assertEquals(List.of("Zed"), names(query("SELECT LastName FROM Contact WHERE LastName = '\\u005aed'")));
        JsonNode e = error(query("SELECT LastName FROM Contact WHERE LastName = 'O\\qBrien'"), 400, "MALFORMED_QUERY");
        assertTrue(e.get("message").asText().contains("Illegal escape sequence"), e.toString());
        error(query("SELECT LastName FROM Contact WHERE LastName = 'O'Brien'"), 400, "MALFORMED_QUERY");
        error(query("SELECT LastName FROM Contact WHERE LastName = 'open"), 400, "MALFORMED_QUERY");
    }

    @Test
    void orderLimitOffsetCount() {
        assertEquals(List.of("Zed", "O'Brien", "Dupont", "Back\\slash"), names(query("SELECT LastName FROM Contact ORDER BY LastName DESC")));
        assertEquals(List.of("Dupont", "Back\\slash", "O'Brien", "Zed"),
                names(query("SELECT LastName FROM Contact ORDER BY FirstName ASC NULLS LAST")));
        assertEquals(List.of("Zed", "Dupont", "Back\\slash", "O'Brien"), names(query("SELECT LastName FROM Contact ORDER BY FirstName")));
        assertEquals(List.of("Zed", "O'Brien", "Back\\slash", "Dupont"),
                names(query("SELECT LastName FROM Contact ORDER BY FirstName DESC NULLS FIRST")));
        assertEquals(List.of("Dupont", "O'Brien"), names(query("SELECT LastName FROM Contact ORDER BY LastName LIMIT 2 OFFSET 1")));
        Resp c = query("SELECT COUNT() FROM Contact WHERE FirstName != null");
        assertEquals(3, c.json().get("totalSize").asInt());
        assertEquals(0, c.json().get("records").size());
        error(query("SELECT LastName FROM Contact LIMIT many"), 400, "MALFORMED_QUERY");
    }

    @Test
    void largeAnswersComeInBatchesWithANextRecordsUrl() {
        StringBuilder seed = new StringBuilder("{\"Lead\":[");
        for (int i = 0; i < 450; i++) seed.append(i == 0 ? "" : ",").append("{\"LastName\":\"L").append(i).append("\",\"Company\":\"C\"}");
        assertEquals(201, SandboxHttp.json("POST", admin() + "/seed", null, seed + "]}").status());
        String url = data("/query?q=" + SandboxHttp.enc("SELECT Id, LastName FROM Lead ORDER BY CreatedDate"));
        Resp first = SandboxHttp.send("GET", url, token, null, null);
        assertEquals(450, first.json().get("totalSize").asInt());
        assertEquals(450, first.json().get("records").size(), "default batch is 2000");
        assertTrue(first.json().get("done").asBoolean());

        java.net.http.HttpRequest req = java.net.http.HttpRequest.newBuilder(java.net.URI.create(url))
                .header("Authorization", "Bearer " + token).header("Sforce-Query-Options", "batchSize=200").build();
        List<Integer> sizes = new ArrayList<>();
        JsonNode page = send(req);
        java.util.Set<String> seen = new java.util.HashSet<>();
        while (true) {
            assertEquals(450, page.get("totalSize").asInt());
            sizes.add(page.get("records").size());
            page.get("records").forEach(r -> seen.add(r.get("Id").asText()));
            if (page.get("done").asBoolean()) break;
            String next = page.get("nextRecordsUrl").asText();
            assertTrue(next.matches("/services/data/v56\\.0/query/01g[0-9A-Za-z]{15}-\\d+"), next);
            page = send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base() + next)).header("Authorization", "Bearer " + token).build());
        }
        assertEquals(List.of(200, 200, 50), sizes);
        assertEquals(450, seen.size());
        error(get("/query/01gXXXXXXXXXXXXAAA-200"), 400, "INVALID_QUERY_LOCATOR");
    }

    private static JsonNode send(java.net.http.HttpRequest req) {
        Resp r = SandboxHttp.send(req);
        assertEquals(200, r.status(), r.body());
        return r.json();
    }

    @Test
    void relationshipsDatesAndBooleans() {
        String task = create("Task", "{\"Subject\":\"Appel\",\"WhoId\":\"" + jean + "\",\"WhatId\":\"" + account + "\",\"ActivityDate\":\"2026-11-30\",\"Status\":\"Completed\"}");
        create("Task", "{\"Subject\":\"Autre\",\"ActivityDate\":\"2026-10-01\"}");
        Resp r = query("SELECT Id, Subject, Who.Name, What.Name, Owner.Name FROM Task WHERE ActivityDate >= 2026-11-01 AND IsClosed = true");
        assertEquals(200, r.status(), r.body());
        JsonNode t = r.json().get("records").get(0);
        assertEquals(task, t.get("Id").asText());
        assertEquals("Jean Dupont", t.get("Who").get("Name").asText());
        assertEquals("Contact", t.get("Who").get("attributes").get("type").asText());
        assertEquals("Dupont SA", t.get("What").get("Name").asText());
        assertEquals("Sandbox Integration", t.get("Owner").get("Name").asText());
        JsonNode c = query("SELECT Id, Account.Name FROM Contact WHERE Account.Name = 'Dupont SA'").json();
        assertEquals(1, c.get("totalSize").asInt());
        assertEquals("Dupont SA", c.get("records").get(0).get("Account").get("Name").asText());
        JsonNode noAccount = query("SELECT Id, Account.Name FROM Contact WHERE LastName = 'Zed'").json().get("records").get(0);
        assertTrue(noAccount.get("Account").isNull());
        assertEquals(2, query("SELECT Id FROM Task WHERE CreatedDate > 2020-01-01T00:00:00Z").json().get("totalSize").asInt());
        assertEquals(0, query("SELECT Id FROM Task WHERE CreatedDate < 2020-01-01T00:00:00.000+0000").json().get("totalSize").asInt());
        assertEquals(1, query("SELECT Id FROM Task WHERE ActivityDate < TODAY AND ActivityDate = 2026-10-01").json().get("totalSize").asInt());
        assertEquals(1, query("SELECT Id FROM Contact WHERE Id = '" + jean.substring(0, 15) + "'").json().get("totalSize").asInt());
    }

    @Test
    void dateLiteralsAreDayRangesOnDateAndDatetimeFields() {
        io.callbridge.sandbox.MutableClock clock = new io.callbridge.sandbox.MutableClock(java.time.Instant.parse("2026-11-28T12:00:00Z"));
        try (io.callbridge.sandbox.CrmSandbox fixed = io.callbridge.sandbox.CrmSandbox.start(settings().clock(clock).build())) {
            StringBuilder tasks = new StringBuilder("{\"Task\":[");
            String[][] rows = {{"2026-10-15", "2026-10-15T10:00:00Z"}, {"2026-11-20", "2026-11-20T10:00:00Z"}, {"2026-11-27", "2026-11-27T23:59:59Z"},
                    {"2026-11-28", "2026-11-28T00:00:00Z"}, {"2026-11-29", "2026-11-28T11:00:00Z"}, {"2026-12-05", "2026-11-28T11:30:00Z"}};
            for (int i = 0; i < rows.length; i++) {
                tasks.append(i == 0 ? "" : ",").append("{\"Subject\":\"").append(rows[i][0]).append("\",\"ActivityDate\":\"").append(rows[i][0])
                        .append("\",\"CreatedDate\":\"").append(rows[i][1]).append("\"}");
            }
            assertEquals(201, SandboxHttp.json("POST", fixed.adminUrl() + "/salesforce/seed", null, tasks + "]}").status());
            String b = fixed.baseUrl("salesforce");
            String t = SandboxHttp.form(b + "/services/oauth2/token", java.util.Map.of("grant_type", "client_credentials", "client_id", CLIENT_ID,
                    "client_secret", CLIENT_SECRET)).json().get("access_token").asText();
            java.util.function.Function<String, List<String>> subjects = where -> {
                Resp r = SandboxHttp.json("GET", b + "/services/data/v56.0/query?q=" + SandboxHttp.enc("SELECT Subject FROM Task WHERE " + where + " ORDER BY ActivityDate"), t, null);
                assertEquals(200, r.status(), where + ": " + r.body());
                List<String> out = new ArrayList<>();
                r.json().get("records").forEach(x -> out.add(x.get("Subject").asText()));
                return out;
            };
            assertEquals(List.of("2026-11-28"), subjects.apply("ActivityDate = TODAY"));
            assertEquals(List.of("2026-11-27"), subjects.apply("ActivityDate = YESTERDAY"));
            assertEquals(List.of("2026-11-29"), subjects.apply("ActivityDate = TOMORROW"));
            assertEquals(List.of("2026-11-27", "2026-11-28"), subjects.apply("ActivityDate = LAST_N_DAYS:7"));
            assertEquals(List.of("2026-11-29", "2026-12-05"), subjects.apply("ActivityDate = NEXT_N_DAYS:7"));
            assertEquals(List.of("2026-11-29", "2026-12-05"), subjects.apply("ActivityDate > TODAY"));
            assertEquals(List.of("2026-10-15", "2026-11-20", "2026-11-27"), subjects.apply("ActivityDate < TODAY"));
            assertEquals(5, subjects.apply("ActivityDate <= TOMORROW").size());
            assertEquals(List.of("2026-11-20", "2026-11-27", "2026-11-28", "2026-11-29"), subjects.apply("ActivityDate = THIS_MONTH"));
            assertEquals(List.of("2026-10-15"), subjects.apply("ActivityDate = LAST_MONTH"));
            assertEquals(List.of("2026-12-05"), subjects.apply("ActivityDate != THIS_MONTH AND ActivityDate >= TODAY"));
            // on a datetime field the literal is the day's range
            assertEquals(List.of("2026-11-28", "2026-11-29", "2026-12-05"), subjects.apply("CreatedDate = TODAY"));
            assertEquals(List.of("2026-11-27"), subjects.apply("CreatedDate = YESTERDAY"));
            assertEquals(List.of("2026-11-20", "2026-11-27", "2026-11-28", "2026-11-29", "2026-12-05"), subjects.apply("CreatedDate = LAST_N_DAYS:30"));
            assertEquals(List.of("2026-10-15"), subjects.apply("CreatedDate < LAST_N_DAYS:30"));
            Resp bad = SandboxHttp.json("GET", b + "/services/data/v56.0/query?q=" + SandboxHttp.enc("SELECT Id FROM Task WHERE ActivityDate = SOON_N_DAYS:3"), t, null);
            error(bad, 400, "MALFORMED_QUERY");
            bad = SandboxHttp.json("GET", b + "/services/data/v56.0/query?q=" + SandboxHttp.enc("SELECT Id FROM Task WHERE Subject = TODAY"), t, null);
            error(bad, 400, "INVALID_FIELD");
        }
    }

    @Test
    void errorsCarryTheCaretMessage() {
        JsonNode e = error(query("SELECT Idd FROM Contact"), 400, "INVALID_FIELD");
        assertEquals("\nSELECT Idd FROM Contact\n       ^\nERROR at Row:1:Column:8\nNo such column 'Idd' on entity 'Contact'. If you are attempting to use a custom field,"
                + " be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.", e.get("message").asText());
        error(query("SELECT Id FROM Contact WHERE Nope__c = 'x'"), 400, "INVALID_FIELD");
        error(query("SELECT Id, Acount.Name FROM Contact"), 400, "INVALID_FIELD");
        e = error(query("SELECT Id FROM Widget"), 400, "INVALID_TYPE");
        assertTrue(e.get("message").asText().contains("sObject type 'Widget' is not supported"));
        e = error(query("SELECT Id FORM Contact"), 400, "MALFORMED_QUERY");
        assertTrue(e.get("message").asText().contains("unexpected token: 'Contact'") || e.get("message").asText().contains("unexpected token"), e.toString());
        error(query("SELECT FROM Contact"), 400, "MALFORMED_QUERY");
        error(query("SELECT Id, Id FROM Contact"), 400, "MALFORMED_QUERY");
        error(query("SELECT Id FROM Contact WHERE"), 400, "MALFORMED_QUERY");
        error(query("SELECT Id FROM Contact WHERE LastName == 'x'"), 400, "MALFORMED_QUERY");
        error(get("/query"), 400, "MALFORMED_QUERY");
        error(query(""), 400, "MALFORMED_QUERY");
    }

    @Test
    void filterValuesMustMatchTheFieldType() {
        JsonNode e = error(query("SELECT Id FROM Contact WHERE Phone = 41791234567"), 400, "INVALID_FIELD");
        assertTrue(e.get("message").asText().endsWith("value of filter criterion for field 'Phone' must be of type string and should be enclosed in quotes"), e.toString());
        e = error(query("SELECT Id FROM Task WHERE ActivityDate = '2026-11-30'"), 400, "INVALID_FIELD");
        assertTrue(e.get("message").asText().contains("must be of type date and should not be enclosed in quotes"), e.toString());
        error(query("SELECT Id FROM Task WHERE IsClosed = 'true'"), 400, "INVALID_FIELD");
        error(query("SELECT Id FROM Task WHERE CreatedDate > 2026-01-01"), 400, "INVALID_FIELD");
        error(query("SELECT Id FROM Task WHERE CallDurationInSeconds > '10'"), 400, "INVALID_FIELD");
        error(query("SELECT Id FROM Contact WHERE Id = 'abc'"), 400, "INVALID_QUERY_FILTER_OPERATOR");
        e = error(query("SELECT Id FROM Contact WHERE Description = 'x'"), 400, "INVALID_FIELD");
        assertTrue(e.get("message").asText().contains("can not be filtered"), e.toString());
    }
}
