package io.callbridge.sandbox.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import io.callbridge.sandbox.SandboxHttp;
import io.callbridge.sandbox.SandboxHttp.Resp;
import org.junit.jupiter.api.Test;

import java.util.Iterator;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the sandbox does not simulate answers 501 in Salesforce's error list, {@code not simulated by the sandbox:
 * <METHOD> <path>}, so that no client takes it for Salesforce's own NOT_FOUND; Salesforce's genuine 404s stay 404s.
 */
class SalesforceNotSimulatedTest extends SalesforceTestSupport {

    private static void notSimulated(Resp r, String method, String path) {
        JsonNode e = error(r, 501, SalesforceException.NOT_SIMULATED_CODE);
        assertEquals("not simulated by the sandbox: " + method + " " + path, e.get("message").asText());
        assertEquals(1, r.json().size());
    }

    @Test
    void unservedResourcesAndPathsAnswer501WithTheRequestNamed() {
        notSimulated(get("/foo"), "GET", "/services/data/v56.0/foo");
        notSimulated(get("/tooling/query?q=SELECT+Id+FROM+ApexClass"), "GET", "/services/data/v56.0/tooling/query");
        notSimulated(get("/recent"), "GET", "/services/data/v56.0/recent");
        notSimulated(post("/composite/tree/Account", "{\"records\":[]}"), "POST", "/services/data/v56.0/composite/tree/Account");
        notSimulated(post("/composite/batch", "{\"batchRequests\":[]}"), "POST", "/services/data/v56.0/composite/batch");
        notSimulated(get("/sobjects/Contact/updated?start=2026-01-01T00:00:00Z&end=2026-01-02T00:00:00Z"), "GET", "/services/data/v56.0/sobjects/Contact/updated");
        notSimulated(get("/sobjects/Contact/describe/layouts"), "GET", "/services/data/v56.0/sobjects/Contact/describe/layouts");
        String account = create("Account", "{\"Name\":\"Dupont SA\"}");
        notSimulated(get("/sobjects/Account/" + account + "/Contacts"), "GET", "/services/data/v56.0/sobjects/Account/" + account + "/Contacts");
        notSimulated(get("/limits/recordCount"), "GET", "/services/data/v56.0/limits/recordCount");
        notSimulated(get("/search/scopeOrder"), "GET", "/services/data/v56.0/search/scopeOrder");
        // outside /services/data: no session needed to be told
        notSimulated(SandboxHttp.json("GET", base() + "/nothing-here", null, null), "GET", "/nothing-here");
        notSimulated(SandboxHttp.send("POST", base() + "/services/Soap/u/56.0", null, "text/xml", "<se:Envelope/>"), "POST", "/services/Soap/u/56.0");
        notSimulated(SandboxHttp.json("GET", base() + "/services/oauth2/authorize?response_type=code", null, null), "GET", "/services/oauth2/authorize");
        // a SOQL feature of a served resource names the request and the feature
        JsonNode e = error(query("SELECT toLabel(Status) FROM Lead"), 501, SalesforceException.NOT_SIMULATED_CODE);
        assertEquals("not simulated by the sandbox: GET /services/data/v56.0/query (the SOQL function toLabel())", e.get("message").asText());
    }

    @Test
    void aCompositeSubrequestToAnUnservedResourceAnswers501WithItsFullPath() {
        JsonNode sub = post("/composite", "{\"compositeRequest\":[{\"method\":\"GET\",\"url\":\"/services/data/v56.0/recent\",\"referenceId\":\"r\"}]}")
                .json().get("compositeResponse").get(0);
        assertEquals(501, sub.get("httpStatusCode").asInt(), sub.toString());
        assertEquals("not simulated by the sandbox: GET /services/data/v56.0/recent", sub.get("body").get(0).get("message").asText());
    }

    @Test
    void salesforcesOwnNotFoundsStay404() {
        error(get("/sobjects/Contact/" + SalesforceIds.make("003", 999_999)), 404, "NOT_FOUND");
        error(get("/sobjects/Widget__c"), 404, "NOT_FOUND");
        error(get("/sobjects/Contact/Callbridge_Command_Id__c/missing"), 404, "NOT_FOUND");
        error(patch("/composite/sobjects/Contact/LastName", "{\"records\":[]}"), 404, "NOT_FOUND");
        error(SandboxHttp.json("GET", base() + "/services/data/v99.0/", token, null), 404, "NOT_FOUND");
        error(SandboxHttp.json("POST", base() + "/services/data", null, "{}"), 405, "METHOD_NOT_ALLOWED");
    }

    @Test
    void theVersionIndexListsOnlyWhatTheSandboxServes() {
        JsonNode index = get("/").json();
        for (String r : new String[]{"limits", "sobjects", "query", "queryAll", "composite", "search", "parameterizedSearch", "identity"}) {
            assertTrue(index.has(r), r + " missing from " + index);
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = index.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String url = e.getValue().asText();
            Resp r = SandboxHttp.json("GET", url.startsWith("http") ? url : base() + url, token, null);
            assertNotEquals(501, r.status(), e.getKey() + " is listed but not served: " + r.body());
            assertNotEquals(404, r.status(), e.getKey() + " is listed but answers 404: " + r.body());
        }
    }
}
