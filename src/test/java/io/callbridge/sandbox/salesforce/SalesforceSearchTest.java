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

/**
 * SOSL over {@code GET /search?q=} and parameterized search ({@code GET} and {@code POST /parameterizedSearch}), sent
 * as jsforce sends them: {@code conn.search(sosl)} is a GET of {@code /search?q=<encodeURIComponent(sosl)>} with only
 * the Bearer header.
 */
class SalesforceSearchTest extends SalesforceTestSupport {

    String acme;
    String jean;
    String marie;
    String lead;

    @BeforeEach
    void data() {
        acme = create("Account", "{\"Name\":\"Acme Import\",\"Phone\":\"+41791234567\"}");
        jean = create("Contact", "{\"FirstName\":\"Jean\",\"LastName\":\"Dupont\",\"Phone\":\"+41 79 123 45 67\","
                + "\"Email\":\"jean.dupont@example.ch\",\"AccountId\":\"" + acme + "\"}");
        marie = create("Contact", "{\"FirstName\":\"Marie\",\"LastName\":\"Curie\",\"MobilePhone\":\"(079) 765-4321\",\"Title\":\"Chemist\"}");
        lead = create("Lead", "{\"FirstName\":\"Paul\",\"LastName\":\"Dupontel\",\"Company\":\"Freres Martin\",\"MobilePhone\":\"+41791234567\"}");
    }

    private Resp sosl(String sosl) {
        return get("/search?q=" + SandboxHttp.enc(sosl));
    }

    private static List<String> ids(Resp r) {
        assertEquals(200, r.status(), r.body());
        List<String> out = new ArrayList<>();
        for (JsonNode rec : r.json().get("searchRecords")) out.add(rec.get("Id").asText());
        return out;
    }

    @Test
    void aNumberIsFoundInThePhoneFieldsOfSeveralObjectsWhateverItsFormatting() {
        Resp r = sosl("FIND {\\+41791234567} IN PHONE FIELDS RETURNING Contact(Id, Name, Phone), Lead(Id, Name, MobilePhone)");
        assertEquals(200, r.status(), r.body());
        JsonNode records = r.json().get("searchRecords");
        assertEquals(2, records.size(), r.body());
        JsonNode c = records.get(0);
        assertEquals(List.of("attributes", "Id", "Name", "Phone"), keys(c));
        assertEquals("Contact", c.get("attributes").get("type").asText());
        assertEquals("/services/data/v56.0/sobjects/Contact/" + jean, c.get("attributes").get("url").asText());
        assertEquals("Jean Dupont", c.get("Name").asText());
        assertEquals("+41 79 123 45 67", c.get("Phone").asText(), "answers the value as stored");
        assertEquals("Lead", records.get(1).get("attributes").get("type").asText());
        assertEquals(lead, records.get(1).get("Id").asText());
        // the account has the number too, but RETURNING does not name Account
        assertEquals(List.of(jean, lead), ids(r));
        // formatting in the search text is ignored as well
        assertEquals(List.of(marie), ids(sosl("FIND {\"\\(079\\) 765 4321\"} IN PHONE FIELDS RETURNING Contact(Id)")));
        assertEquals(List.of(marie), ids(sosl("FIND {0797654321} IN PHONE FIELDS RETURNING Contact(Id), Lead(Id)")));
        // a number is not a name
        assertEquals(List.of(), ids(sosl("FIND {\\+41791234567} IN NAME FIELDS RETURNING Contact(Id), Lead(Id)")));
        // without RETURNING every object answers, ids only
        Resp all = sosl("FIND {\\+41791234567} IN PHONE FIELDS");
        assertEquals(List.of(acme, jean, lead), ids(all));
        assertEquals(List.of("attributes", "Id"), keys(all.json().get("searchRecords").get(0)));
    }

    @Test
    void searchGroupsWordsWildcardsAndOperators() {
        assertEquals(List.of(jean, lead), ids(sosl("FIND {dupont*} IN NAME FIELDS RETURNING Contact, Lead")));
        assertEquals(List.of(jean), ids(sosl("FIND {DUPONT} IN NAME FIELDS RETURNING Contact, Lead")));
        // a lead's company and a contact's account name are name fields
        assertEquals(List.of(jean, lead), ids(sosl("FIND {acme OR freres} IN NAME FIELDS RETURNING Contact, Lead")));
        assertEquals(List.of(jean), ids(sosl("FIND {\"jean dupont\"} IN NAME FIELDS RETURNING Contact, Lead")));
        assertEquals(List.of(), ids(sosl("FIND {\"dupont jean\"} IN NAME FIELDS RETURNING Contact")));
        assertEquals(List.of(jean), ids(sosl("FIND {jean dupont} RETURNING Contact")), "words are ANDed");
        assertEquals(List.of(jean), ids(sosl("FIND {dupont* AND NOT paul} RETURNING Contact, Lead")));
        assertEquals(List.of(jean, marie), ids(sosl("FIND {(jean OR marie) AND NOT paul} RETURNING Contact, Lead")));
        assertEquals(List.of(jean), ids(sosl("FIND {jean.dupont@example.ch} IN EMAIL FIELDS RETURNING Contact")));
        assertEquals(List.of(), ids(sosl("FIND {jean} IN EMAIL FIELDS RETURNING Lead")));
        assertEquals(List.of(marie), ids(sosl("FIND {chem?st} IN ALL FIELDS RETURNING Contact")));
        assertEquals(List.of(marie), ids(sosl("find {Chemist} returning contact(id)")), "keywords and names in any letter case");
    }

    @Test
    void returningTakesWhereOrderByAndLimitPerObjectAndAnOverallLimit() {
        create("Contact", "{\"FirstName\":\"Anne\",\"LastName\":\"Dupont\"}");
        Resp r = sosl("FIND {dupont*} IN NAME FIELDS RETURNING Contact(FirstName WHERE FirstName != 'Jean' ORDER BY FirstName), Lead(LastName LIMIT 1)");
        JsonNode records = r.json().get("searchRecords");
        assertEquals(2, records.size(), r.body());
        assertEquals("Anne", records.get(0).get("FirstName").asText());
        assertEquals(List.of("attributes", "FirstName"), keys(records.get(0)));
        assertEquals("Dupontel", records.get(1).get("LastName").asText());
        String anne = records.get(0).get("attributes").get("url").asText().replaceAll(".*/", "");
        assertEquals(List.of(jean, anne, lead), ids(sosl("FIND {dupont*} RETURNING Contact(Id ORDER BY FirstName DESC), Lead(Id)")));
        assertEquals(2, ids(sosl("FIND {dupont*} RETURNING Contact(Id), Lead(Id) LIMIT 2")).size());
        assertEquals(1, ids(sosl("FIND {dupont*} RETURNING Contact(Id LIMIT 1 OFFSET 1)")).size());
    }

    @Test
    void malformedAndInvalidSearchesAnswerSalesforcesErrors() {
        error(sosl("FIND dupont"), 400, "MALFORMED_SEARCH");
        error(get("/search"), 400, "MALFORMED_SEARCH");
        error(sosl("FIND {+41791234567} IN PHONE FIELDS"), 400, "MALFORMED_SEARCH");
        error(sosl("FIND {\"jean} RETURNING Contact"), 400, "MALFORMED_SEARCH");
        error(sosl("FIND {dupont} IN NOWHERE FIELDS"), 400, "MALFORMED_SEARCH");
        error(sosl("FIND {dupont} RETURNING Contact(Id"), 400, "MALFORMED_SEARCH");
        error(sosl("FIND {d} RETURNING Contact"), 400, "INVALID_SEARCH");
        error(sosl("FIND {*pont} RETURNING Contact"), 400, "INVALID_SEARCH");
        JsonNode type = error(sosl("FIND {dupont} RETURNING Widget(Id)"), 400, "INVALID_TYPE");
        assertTrue(type.get("message").asText().contains("sObject type 'Widget' is not supported"), type.toString());
        JsonNode field = error(sosl("FIND {dupont} RETURNING Contact(Nope)"), 400, "INVALID_FIELD");
        assertTrue(field.get("message").asText().contains("No such column 'Nope' on entity 'Contact'"), field.toString());
        error(post("/search", "{}"), 405, "METHOD_NOT_ALLOWED");
        JsonNode snippet = error(sosl("FIND {dupont} RETURNING Contact WITH SNIPPET"), 501, SalesforceException.NOT_SIMULATED_CODE);
        assertEquals("not simulated by the sandbox: GET /services/data/v56.0/search (the SOSL clause WITH SNIPPET)", snippet.get("message").asText());
    }

    @Test
    void parameterizedSearchAsAGetWithParameters() {
        // the form integrators use for a caller lookup, with the number as typed
        Resp r = get("/parameterizedSearch/?q=" + SandboxHttp.enc("+41791234567") + "&sobject=Contact&Contact.fields=Id,Name&in=PHONE");
        assertEquals(200, r.status(), r.body());
        JsonNode records = r.json().get("searchRecords");
        assertEquals(1, records.size(), r.body());
        assertEquals(List.of("attributes", "Id", "Name"), keys(records.get(0)));
        assertEquals(jean, records.get(0).get("Id").asText());
        // several objects, a limit and a filter of their own, global fields and an overall limit
        assertEquals(List.of(jean, lead), ids(get("/parameterizedSearch/?q=dupont*&sobject=Contact&sobject=Lead&fields=Id,LastName")));
        assertEquals(List.of(lead), ids(get("/parameterizedSearch/?q=dupont*&sobject=Contact&sobject=Lead&Contact.where="
                + SandboxHttp.enc("FirstName = 'Nobody'"))));
        assertEquals(List.of(jean), ids(get("/parameterizedSearch/?q=dupont*&sobject=Contact&sobject=Lead&overallLimit=1")));
        assertEquals(List.of(lead), ids(get("/parameterizedSearch/?q=dupont*&sobject=Lead&Lead.limit=1&in=NAME")));
        // no sobject: every object, ids only
        assertEquals(List.of(acme, jean, lead), ids(get("/parameterizedSearch/?q=" + SandboxHttp.enc("+41791234567") + "&in=PHONE")));
        error(get("/parameterizedSearch/?sobject=Contact"), 400, "MALFORMED_SEARCH");
        error(get("/parameterizedSearch/?q=dupont&in=EVERYWHERE"), 400, "INVALID_SEARCH");
        error(get("/parameterizedSearch/?q=dupont&sobject=Widget"), 400, "INVALID_TYPE");
        error(get("/parameterizedSearch/?q=dupont&sobject=Contact&Contact.fields=Nope"), 400, "INVALID_FIELD");
        error(get("/parameterizedSearch/?q=dupont&snippet=true"), 501, SalesforceException.NOT_SIMULATED_CODE);
    }

    @Test
    void parameterizedSearchAsAPostWithAJsonBody() {
        Resp r = post("/parameterizedSearch/", """
                {"q": "+41791234567", "in": "PHONE", "fields": ["Id", "Name"],
                 "sobjects": [{"name": "Contact", "fields": ["Id", "Phone"]}, {"name": "Lead"}, {"name": "Account", "where": "Name = 'Nobody'"}],
                 "overallLimit": 10}""");
        assertEquals(200, r.status(), r.body());
        JsonNode records = r.json().get("searchRecords");
        assertEquals(2, records.size(), r.body());
        assertEquals(List.of("attributes", "Id", "Phone"), keys(records.get(0)), "the object's own fields win over the global ones");
        assertEquals(List.of("attributes", "Id", "Name"), keys(records.get(1)));
        assertEquals("Paul Dupontel", records.get(1).get("Name").asText());
        assertEquals(1, post("/parameterizedSearch/", "{\"q\": \"+41791234567\", \"in\": \"PHONE\", \"overallLimit\": 1}").json()
                .get("searchRecords").size());
        error(post("/parameterizedSearch/", "{\"in\": \"PHONE\"}"), 400, "MALFORMED_SEARCH");
        error(post("/parameterizedSearch/", "{\"q\": \"dupont\", \"sobjects\": [{\"name\": \"Contact\", \"orderBy\": [{\"field\": \"Name\"}]}]}"),
                501, SalesforceException.NOT_SIMULATED_CODE);
    }

    @Test
    void beforeVersion37TheRecordsAreABareArrayAndParameterizedSearchStartsAt36() {
        Resp v36 = SandboxHttp.json("GET", base() + "/services/data/v36.0/search?q=" + SandboxHttp.enc("FIND {dupont} RETURNING Contact"), token, null);
        assertEquals(200, v36.status(), v36.body());
        assertTrue(v36.json().isArray(), v36.body());
        assertEquals(jean, v36.json().get(0).get("Id").asText());
        error(SandboxHttp.json("GET", base() + "/services/data/v35.0/parameterizedSearch/?q=dupont", token, null), 404, "NOT_FOUND");
        Resp index = SandboxHttp.json("GET", base() + "/services/data/v35.0/", token, null);
        assertTrue(index.json().has("search") && !index.json().has("parameterizedSearch"), index.body());
    }
}
