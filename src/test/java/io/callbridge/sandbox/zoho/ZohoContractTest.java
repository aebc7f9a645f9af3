package io.callbridge.sandbox.zoho;

import com.fasterxml.jackson.databind.JsonNode;
import io.callbridge.sandbox.Json;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sandbox against Zoho's own v8.0 OpenAPI documents (read from ../shared; skipped without them, failed without
 * them under CI=true): every route it serves is an operation of the documents, one pass over all of them validates
 * each request body it accepts and each answer, errors included, and the check itself finds what is wrong.
 */
class ZohoContractTest extends ZohoTestSupport {

    @BeforeEach
    void requireDocuments() {
        contract = ZohoContract.require();
    }

    private static JsonNode json(String s) {
        try {
            return Json.parse(s.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void everyServedRouteIsAnOperationOfTheDocuments() {
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, String> e : ZohoContract.examplePaths(ZohoSandbox.ROUTES).entrySet()) {
            String method = e.getKey().split(" ")[0];
            if (e.getValue().startsWith("/oauth/")) continue; // accounts.zoho.com, outside these documents
            ZohoContract.Op op = contract.operation(method, e.getValue());
            if (op == null) missing.add(e.getKey());
        }
        assertThat(missing).isEmpty();
        assertThat(contract.operation("GET", "/crm/v8/Contacts/search").template()).isEqualTo("/crm/v8/{module_api_name}/search");
        assertThat(contract.operation("POST", "/crm/v8/coql").file()).isEqualTo("coql.json");
        assertThat(contract.operation("GET", "/crm/v8/Contacts/4876876000000412001").template()).isEqualTo("/crm/v8/{module_api_name}/{id}");
    }

    @Test
    void oneCallOfEveryRouteValidatesRequestAndAnswer() {
        ZohoContract.VALIDATED.clear();
        String contact = insert("Contacts", "{\"Last_Name\":\"Dupont\",\"First_Name\":\"Jean\",\"Phone\":\"+41791234567\",\"Email\":\"jean@example.ch\","
                + "\"Callbridge_Command_Id\":\"cmd-1\"}");
        assertThat(call("GET", "/crm/v8/Contacts/" + contact, null).status()).isEqualTo(200);
        assertThat(call("GET", "/crm/v8/Contacts/" + contact + "?fields=Last_Name,Phone", null).status()).isEqualTo(200);
        assertThat(call("GET", "/crm/v8/Contacts?fields=Last_Name,Phone&ids=" + contact + "&page=1&per_page=10", null).status()).isEqualTo(200);
        assertThat(call("PUT", "/crm/v8/Contacts", "{\"data\":[{\"id\":\"" + contact + "\",\"Mobile\":\"+41780000000\"}],\"trigger\":[]}").status()).isEqualTo(200);
        assertThat(call("PUT", "/crm/v8/Contacts/" + contact, "{\"data\":[{\"Title\":\"Directeur\"}]}").status()).isEqualTo(200);
        String other = insert("Contacts", "{\"Last_Name\":\"Martin\"}");
        String third = insert("Contacts", "{\"Last_Name\":\"Weber\"}");
        assertThat(call("DELETE", "/crm/v8/Contacts/" + other, null).status()).isEqualTo(200);
        assertThat(call("DELETE", "/crm/v8/Contacts?ids=" + third, null).status()).isEqualTo(200);
        assertThat(call("GET", "/crm/v8/Contacts/search?phone=%2B41791234567&per_page=10&page=1&fields=Last_Name", null).status()).isEqualTo(200);
        assertThat(call("GET", "/crm/v8/Contacts/search?criteria=" + enc("(Last_Name:equals:Dupont)") + "&converted=both", null).status()).isEqualTo(200);
        assertThat(call("POST", "/crm/v8/Contacts/upsert", "{\"data\":[{\"Last_Name\":\"Dupont\",\"Email\":\"jean@example.ch\"},"
                + "{\"Last_Name\":\"Neuf\"}],\"duplicate_check_fields\":[\"Email\"],\"trigger\":[\"workflow\"]}").status()).isEqualTo(200);
        assertThat(call("POST", "/crm/v8/coql", "{\"select_query\":\"select Last_Name, Phone from Contacts where Phone like '%791234567' limit 10\"}")
                .status()).isEqualTo(200);
        String call = insert("Calls", "{\"Subject\":\"Appel\",\"Call_Type\":\"Inbound\",\"Call_Start_Time\":\"2026-11-28T10:10:01+01:00\","
                + "\"Call_Duration\":\"04:02\",\"Who_Id\":{\"id\":\"" + contact + "\"},\"Callbridge_Command_Id\":\"evt-1:r:0\"}");
        assertThat(call).isNotBlank();
        insert("Notes", "{\"Note_Title\":\"Appel\",\"Note_Content\":\"Client Gold\",\"Parent_Id\":{\"module\":{\"api_name\":\"Contacts\"},\"id\":\"" + contact + "\"}}");
        assertThat(call("GET", "/crm/v8/users?type=CurrentUser", null).status()).isEqualTo(200);
        assertThat(call("GET", "/crm/v8/users/" + OTHER_USER, null).status()).isEqualTo(200);
        // errors of each kind validate too
        assertThat(call("POST", "/crm/v8/Contacts", "{\"data\":[{\"Last_Name\":\"Dupont\",\"Callbridge_Command_Id\":\"cmd-1\"},{\"First_Name\":\"x\"},"
                + "{\"Last_Name\":\"" + "x".repeat(300) + "\"},{\"Last_Name\":\"x\",\"Visits\":\"3\"}]}").status()).isEqualTo(400);
        assertThat(call("PUT", "/crm/v8/Contacts", "{\"data\":[{\"id\":\"4876876000000999999\",\"Title\":\"x\"}]}").status()).isEqualTo(400);
        assertThat(call("POST", "/crm/v8/Calls/upsert", "{\"data\":[{\"Subject\":\"x\"}]}").status()).isEqualTo(400);
        assertThat(call("GET", "/crm/v8/Contacts?ids=" + contact, null).status()).isEqualTo(400);
        assertThat(call("GET", "/crm/v8/Contacts/search?criteria=" + enc("(Nickname:equals:x)"), null).status()).isEqualTo(400);
        assertThat(call("GET", "/crm/v8/Contacts/search?criteria=" + enc("(Last_Name:contains:x)"), null).status()).isEqualTo(400);
        assertThat(call("GET", "/crm/v8/Contacts/search?criteria=" + enc("(Visits:equals:x)"), null).status()).isEqualTo(400);
        assertThat(call("GET", "/crm/v8/Contacts/search?per_page=10", null).status()).isEqualTo(400);
        assertThat(call("GET", "/crm/v8/Kontakte/search?phone=1", null).status()).isEqualTo(400);
        assertThat(call("POST", "/crm/v8/coql", "{\"select_query\":\"select Nickname from Contacts\"}").status()).isEqualTo(400);
        assertThat(call("POST", "/crm/v8/coql", "{\"select_query\":\"select Last_Name from Contacts where\"}").status()).isEqualTo(400);
        assertThat(call("POST", "/crm/v8/coql", "{\"select_query\":\"select id from Contacts limit 5000\"}").status()).isEqualTo(400);
        assertThat(callWith("GET", "/crm/v8/Contacts?fields=Last_Name", Map.of(), null).status()).isEqualTo(401);
        adminCall("POST", "/credits", "{\"remaining\":0}");
        assertThat(call("GET", "/crm/v8/Contacts/search?phone=1", null).status()).isEqualTo(429);
        assertThat(call("POST", "/crm/v8/coql", "{\"select_query\":\"select id from Contacts\"}").status()).isEqualTo(429);

        for (String route : ZohoSandbox.ROUTES) {
            String method = route.split(" ")[0];
            String path = ZohoContract.examplePaths(List.of(route)).get(route);
            if (path.startsWith("/oauth/")) continue;
            String op = contract.operation(method, path).toString();
            assertThat(ZohoContract.VALIDATED).as(route).anyMatch(v -> v.startsWith(op + " 2"));
            // a delete sends no body
            if (!method.equals("GET") && !method.equals("DELETE")) assertThat(ZohoContract.VALIDATED).as(route).contains(op + " request");
        }
        assertThat(ZohoContract.VALIDATED).contains("record.json POST /crm/v8/{module_api_name} 201", "record.json POST /crm/v8/{module_api_name} 400",
                "record.json GET /crm/v8/{module_api_name}/search 400", "record.json GET /crm/v8/{module_api_name}/search 429",
                "coql.json POST /crm/v8/coql 400", "coql.json POST /crm/v8/coql 429", "record.json GET /crm/v8/{module_api_name} 401");
    }

    @Test
    void theCheckIsNotVacuous() {
        String ok = "{\"code\":\"SUCCESS\",\"details\":{\"Modified_Time\":\"2026-11-28T10:00:00+01:00\",\"Modified_By\":{\"name\":\"A\",\"id\":\"1\"},"
                + "\"Created_Time\":\"2026-11-28T10:00:00+01:00\",\"id\":\"4876876000000412001\",\"Created_By\":{\"name\":\"A\",\"id\":\"1\"}},"
                + "\"message\":\"record added\",\"status\":\"success\"}";
        assertThat(contract.checkResponse("POST", "/crm/v8/Contacts", 201, json("{\"data\":[" + ok + "]}"))).isEmpty();
        assertThat(contract.checkResponse("POST", "/crm/v8/Contacts/upsert", 200, json("{\"data\":[" + ok.replace("\"status\":\"success\"}",
                "\"status\":\"success\",\"action\":\"insert\",\"duplicate_field\":null}") + "]}"))).as("the duplicate_field deviation").isEmpty();
        assertThat(contract.checkResponse("POST", "/crm/v8/Contacts", 201, json("{\"data\":[" + ok.replace("\"success\"}", "\"error\"}") + "]}")))
                .as("SUCCESS with status error").isNotEmpty();
        assertThat(contract.checkResponse("POST", "/crm/v8/Contacts", 201, json("{\"data\":[" + ok.replace("record added", "created") + "]}")))
                .as("message outside the enum").isNotEmpty();
        assertThat(contract.checkResponse("POST", "/crm/v8/Contacts", 201, json("{\"data\":[" + ok.replace("2026-11-28T10:00:00+01:00", "yesterday") + "]}")))
                .as("a date-time that is none").isNotEmpty();
        assertThat(contract.checkResponse("POST", "/crm/v8/Contacts", 400, json("{\"data\":[{\"code\":\"OOPS\",\"details\":{},\"message\":\"invalid data\","
                + "\"status\":\"error\"}]}"))).as("an unknown record code").isNotEmpty();
        assertThat(contract.checkResponse("POST", "/crm/v8/Contacts", 201, json("{\"data\":[" + ok + "],\"extra\":1}"))).as("closed alternatives").isNotEmpty();
        assertThat(contract.checkResponse("GET", "/crm/v8/Contacts/1", 200, json("{\"data\":[{\"id\":4876876000000412001}]}"))).as("id is a string").isNotEmpty();
        assertThat(contract.checkResponse("GET", "/crm/v8/Contacts/search", 400, json("{\"code\":\"INVALID_QUERY\",\"details\":{\"api_name\":\"X\","
                + "\"reason\":\"r\"},\"message\":\"no such thing\",\"status\":\"error\"}"))).as("search error message enum").isNotEmpty();
        assertThat(contract.checkResponse("GET", "/crm/v8/Contacts/search", 400, json("{\"code\":\"INVALID_QUERY\",\"details\":{\"api_name\":\"X\","
                + "\"reason\":\"r\"},\"message\":\"Invalid query formed\",\"status\":\"error\"}"))).isEmpty();
        assertThat(contract.checkResponse("GET", "/crm/v8/Contacts/search", 429, json("{\"code\":\"SLOW_DOWN\",\"details\":{},\"message\":\"m\","
                + "\"status\":\"error\"}"))).as("a code no document names").isNotEmpty();
        assertThat(contract.checkResponse("GET", "/crm/v8/Contacts", 401, json("{\"code\":\"INVALID_TOKEN\",\"message\":\"invalid oauth token\","
                + "\"status\":\"error\"}"))).as("details is required").isNotEmpty();
        assertThat(contract.checkResponse("POST", "/crm/v8/coql", 400, json("{\"code\":\"SYNTAX_ERROR\",\"details\":{\"line\":1},\"message\":\"m\","
                + "\"status\":\"error\"}"))).as("parse error details").isNotEmpty();
        assertThat(contract.checkResponse("POST", "/crm/v8/coql", 200, json("{\"data\":{\"id\":\"1\"}}"))).isNotEmpty();
        assertThat(contract.checkResponse("GET", "/crm/v8/Contacts", 201, json("{\"code\":\"SUCCESS\"}"))).as("an undeclared success status").isNotEmpty();
        assertThat(contract.checkRequest("POST", "/crm/v8/Contacts", json("{\"data\":{\"Last_Name\":\"x\"}}"))).isNotEmpty();
        assertThat(contract.checkRequest("POST", "/crm/v8/coql", json("{\"query\":\"select id from Contacts\"}"))).isNotEmpty();
        assertThat(contract.checkQuery("GET", "/crm/v8/Contacts/search", Map.of("telephone", "1"))).isNotEmpty();
        assertThat(contract.checkQuery("GET", "/crm/v8/Contacts/search", Map.of("page", "first"))).isNotEmpty();
        assertThat(contract.checkQuery("GET", "/crm/v8/Contacts/search", Map.of("phone", "1", "page", "2", "per_page", "10", "converted", "both"))).isEmpty();
    }
}
