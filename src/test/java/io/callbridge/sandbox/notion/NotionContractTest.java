package io.callbridge.sandbox.notion;

import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callbridge.sandbox.Json;
import io.callbridge.sandbox.SandboxHttp.Resp;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sandbox against Notion's own OpenAPI document (skipped without it, failed without it under CI=true): every
 * 2026-03-11 route it serves is an operation of the document, one pass validates a request and answer of each (errors
 * included, through {@link #call}), and the check itself finds a broken answer.
 */
class NotionContractTest extends NotionTestSupport {

    @BeforeEach
    void requireDocument() {
        contract = NotionContract.require();
    }

    @Test
    void everyServedRouteIsAnOperation() {
        String id = "7f3e2a10-5b4c-4d8e-9f01-000000000999";
        for (String r : List.of("GET /v1/users/" + id, "GET /v1/databases/" + id, "GET /v1/data_sources/" + id, "POST /v1/data_sources/" + id + "/query",
                "POST /v1/search", "POST /v1/pages", "GET /v1/pages/" + id, "PATCH /v1/pages/" + id, "GET /v1/blocks/" + id + "/children",
                "PATCH /v1/blocks/" + id + "/children")) {
            String[] mp = r.split(" ");
            assertThat(contract.operation(mp[0], mp[1])).as(r).isNotNull();
        }
        assertThat(contract.operation("POST", "/v1/databases/" + id + "/query")).as("2022-06-28 only").isNull();
    }

    @Test
    void oneCallOfEveryRouteValidates() {
        NotionContract.VALIDATED.clear();
        String c = contact("Jean", "\"Phone\":{\"phone_number\":\"+41791234567\"},\"Status\":{\"select\":{\"name\":\"Lead\"}},\"Owner\":{\"people\":[{\"id\":\""
                + NotionSandbox.OWNER_USER_ID + "\"}]},\"Last call\":{\"date\":{\"start\":\"2026-11-28\"}},\"Lead score\":{\"number\":3},\"At risk\":{\"checkbox\":false},"
                + "\"Email\":{\"email\":\"j@example.test\"}");
        assertThat(call("GET", "/v1/users/" + NotionSandbox.OWNER_USER_ID, null).status()).isEqualTo(200);
        assertThat(call("GET", "/v1/databases/" + NotionSandbox.CONTACTS_DATABASE_ID, null).status()).isEqualTo(200);
        for (String ds : List.of(CONTACTS, CALLS, NotionSandbox.DEALS_DATA_SOURCE_ID, NotionSandbox.TASKS_DATA_SOURCE_ID,
                NotionSandbox.CASES_DATA_SOURCE_ID, NotionSandbox.MEETINGS_DATA_SOURCE_ID)) {
            assertThat(call("GET", "/v1/data_sources/" + ds, null).status()).isEqualTo(200);
        }
        assertThat(query(CONTACTS, "{\"filter\":{\"or\":[{\"property\":\"Phone\",\"phone_number\":{\"equals\":\"+41791234567\"}},"
                + "{\"property\":\"Mobile\",\"phone_number\":{\"ends_with\":\"791234567\"}}]},\"sorts\":[{\"timestamp\":\"last_edited_time\",\"direction\":\"descending\"}],"
                + "\"page_size\":10}").status()).isEqualTo(200);
        assertThat(call("POST", "/v1/search", "{\"query\":\"Jean\",\"page_size\":5}").status()).isEqualTo(200);
        assertThat(call("PATCH", "/v1/pages/" + c, "{\"properties\":{\"Lead score\":{\"number\":4}}}").status()).isEqualTo(200);
        assertThat(call("PATCH", "/v1/blocks/" + c + "/children", "{\"children\":[{\"type\":\"paragraph\",\"paragraph\":{\"rich_text\":" + text("note") + "}}]}")
                .status()).isEqualTo(200);
        assertThat(call("GET", "/v1/blocks/" + c + "/children?page_size=10", null).status()).isEqualTo(200);
        Resp meeting = call("POST", "/v1/pages", "{\"parent\":{\"data_source_id\":\"" + NotionSandbox.MEETINGS_DATA_SOURCE_ID + "\"},\"properties\":{"
                + "\"Name\":{\"title\":" + text("RDV") + "},\"When\":{\"date\":{\"start\":\"2026-12-01T10:00:00+01:00\",\"end\":\"2026-12-01T11:00:00+01:00\"}},"
                + "\"Contact\":{\"relation\":[{\"id\":\"" + c + "\"}]}}}");
        assertThat(meeting.status()).isEqualTo(200);
        error(call("GET", "/v1/pages/7f3e2a10-5b4c-4d8e-9f01-999999999999", null), 404, "object_not_found");
        error(call("POST", "/v1/pages", "{\"parent\":{\"data_source_id\":\"" + CONTACTS + "\"},\"properties\":{\"Fax\":{\"phone_number\":\"1\"}}}"), 400, "validation_error");
        assertThat(NotionContract.VALIDATED).contains("Op[method=POST, template=/v1/pages] 200", "Op[method=POST, template=/v1/pages] 400",
                "Op[method=GET, template=/v1/pages/{page_id}] 404", "Op[method=POST, template=/v1/data_sources/{data_source_id}/query] 200");
    }

    @Test
    void theCheckFindsABrokenAnswer() {
        String c = contact("Jean", null);
        ObjectNode page = (ObjectNode) call("GET", "/v1/pages/" + c, null).json();
        assertThat(contract.checkResponse("GET", "/v1/pages/" + c, 200, page)).isEmpty();
        ObjectNode broken = page.deepCopy();
        broken.remove("in_trash");
        assertThat(contract.checkResponse("GET", "/v1/pages/" + c, 200, broken)).isNotEmpty();
        ObjectNode archived = page.deepCopy();
        archived.put("archived", false);
        assertThat(contract.checkResponse("GET", "/v1/pages/" + c, 200, archived)).as("2026-03-11 has no archived").isNotEmpty();
        ObjectNode err = Json.object().put("object", "error").put("status", 400).put("code", "no_such_code").put("message", "x");
        assertThat(contract.checkResponse("GET", "/v1/pages/" + c, 400, err)).isNotEmpty();
        err.put("code", "validation_error").put("request_id", "r").put("extra", 1);
        assertThat(contract.checkResponse("GET", "/v1/pages/" + c, 400, err)).as("the envelope stays closed").isNotEmpty();
        err.remove("extra");
        assertThat(contract.checkResponse("GET", "/v1/pages/" + c, 400, err)).isEmpty();
    }
}
