package io.callbridge.sandbox.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import io.callbridge.sandbox.SandboxHttp;
import io.callbridge.sandbox.SandboxHttp.Resp;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a caller directory asks of the org: every contact with its subqueries in batches of 2,000 followed by
 * {@code nextRecordsUrl}, records read again by {@code Id IN}, open deals by {@code ContactId IN}; and the journal telling
 * a caller search (a phone field filtered by a list) from those, though it keeps no bodies.
 */
class SalesforceDirectoryQueriesTest extends SalesforceTestSupport {

    @Test
    void everyContactWithItsSubqueriesComesInBatchesOf2000AndIsReadAgainById() {
        StringBuilder seed = new StringBuilder("{\"Contact\":[");
        for (int i = 0; i < 2050; i++) seed.append(i == 0 ? "" : ",").append("{\"LastName\":\"C").append(i).append("\"}");
        assertEquals(201, SandboxHttp.json("POST", admin() + "/seed", null, seed + "]}").status());
        String withCase = create("Contact", "{\"LastName\":\"Case\"}");
        create("Case", "{\"Subject\":\"Open\",\"ContactId\":\"" + withCase + "\"}");
        create("Opportunity", "{\"Name\":\"Deal\",\"StageName\":\"Prospecting\",\"CloseDate\":\"2026-12-31\",\"ContactId\":\"" + withCase + "\"}");

        JsonNode page = query("SELECT Id, LastName, (SELECT Id FROM Cases WHERE IsClosed = false) FROM Contact ORDER BY Id").json();
        List<Integer> sizes = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        JsonNode caseRecord = null;
        while (true) {
            assertEquals(2051, page.get("totalSize").asInt());
            sizes.add(page.get("records").size());
            for (JsonNode r : page.get("records")) {
                assertTrue(r.has("Cases"), r.toString());
                ids.add(r.get("Id").asText());
                if (r.get("Id").asText().equals(withCase)) caseRecord = r;
            }
            if (page.get("done").asBoolean()) break;
            page = get(page.get("nextRecordsUrl").asText().substring(("/services/data/v" + V).length())).json();
        }
        assertEquals(List.of(2000, 51), sizes);
        assertEquals(ids.stream().sorted().toList(), ids, "ORDER BY Id holds across batches");
        assertEquals(1, caseRecord.get("Cases").get("totalSize").asInt(), caseRecord.toString());
        assertTrue(ids.stream().allMatch(id -> id.length() == 18), "18-character ids, as Change Data Capture's recordIds");

        String lead = create("Lead", "{\"LastName\":\"Lead\",\"Company\":\"L AG\"}");
        JsonNode read = query("SELECT Id FROM Contact WHERE Id IN ('" + withCase + "', '" + ids.get(7) + "', '" + lead + "')").json();
        assertEquals(2, read.get("totalSize").asInt(), read.toString());
        JsonNode deals = query("SELECT ContactId FROM Opportunity WHERE IsClosed = false AND ContactId IN ('" + withCase + "', '"
                + ids.get(7) + "')").json();
        assertEquals(1, deals.get("totalSize").asInt(), deals.toString());
        assertEquals(withCase, deals.get("records").get(0).get("ContactId").asText());
    }

    @Test
    void theJournalNotesAQueryFilteringAPhoneFieldByAList() {
        String byPhone = "/services/data/v" + V + "/query?q=" + SandboxHttp.enc("SELECT Id FROM Contact WHERE MobilePhone IN ('+41791234567')");
        String byId = "/services/data/v" + V + "/query?q=" + SandboxHttp.enc("SELECT Id FROM Contact WHERE Id IN ('003000000000001AAA')");
        assertEquals(204, SandboxHttp.json("DELETE", admin() + "/requests", null, null).status());
        assertEquals(200, get(byPhone.substring(("/services/data/v" + V).length())).status());
        assertEquals(200, get(byId.substring(("/services/data/v" + V).length())).status());
        assertEquals(200, post("/composite", composite(byId)).status());
        assertEquals(200, post("/composite", composite(byId, byPhone)).status());

        List<String> notes = new ArrayList<>();
        SandboxHttp.json("GET", admin() + "/requests", null, null).json()
                .forEach(e -> notes.add(e.path("method").asText() + " " + e.path("note").asText("-")));
        assertEquals(List.of("GET phone IN", "GET -", "POST -", "POST phone IN"), notes);
        String journal = SandboxHttp.json("GET", admin() + "/requests", null, null).body();
        assertTrue(!journal.contains("41791234567") && !journal.contains("003000000000001"), "never a value: " + journal);
    }

    private static String composite(String... urls) {
        StringBuilder b = new StringBuilder("{\"compositeRequest\":[");
        for (int i = 0; i < urls.length; i++) {
            b.append(i == 0 ? "" : ",").append("{\"method\":\"GET\",\"referenceId\":\"q").append(i).append("\",\"url\":\"")
                    .append(urls[i]).append("\"}");
        }
        return b.append("]}").toString();
    }
}
