package io.callbridge.crm.zoho;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.callbridge.crm.Outcome;
import io.callbridge.mapping.CrmRequest;
import io.callbridge.support.Events;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** How Zoho's dialect builds its lists of records and reads Zoho's answers record by record. */
class ZohoDialectTest {

    private final ZohoDialect dialect = new ZohoDialect(List.of("workflow"));

    private static JsonNode json(String s) {
        return Events.parse(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static CrmRequest insert(String module, String commandId) {
        return new CrmRequest("POST", "/crm/v8/" + module, json("{\"data\":[{\"Subject\":\"s\",\"Callbridge_Command_Id\":\"" + commandId + "\"}]}"), null);
    }

    @Test
    void insertsOfOneModuleJoinOneListAndUpdatesByIdCarryTheirIds() {
        CrmRequest update = new CrmRequest("PUT", "/crm/v8/Contacts/4876876000000412001", json("{\"data\":[{\"Email\":\"a@b.ch\"}]}"), null);
        assertThat(dialect.batchKey(insert("Calls", "e:log-call:0"))).isEqualTo("insert Calls");
        assertThat(dialect.batchKey(update)).isEqualTo("update Contacts");
        assertThat(dialect.batchKey(new CrmRequest("GET", "/crm/v8/Calls/search?criteria=x", null, null))).isNull();

        CrmRequest batch = dialect.batch(List.of(insert("Calls", "a"), insert("Calls", "b")), List.of("a", "b"));
        assertThat(batch.method()).isEqualTo("POST");
        assertThat(batch.path()).isEqualTo("/crm/v8/Calls");
        assertThat(batch.body().path("data")).extracting(r -> r.get("Callbridge_Command_Id").asText()).containsExactly("a", "b");

        CrmRequest updates = dialect.batch(List.of(update), List.of("u"));
        assertThat(updates.method()).isEqualTo("PUT");
        assertThat(updates.path()).isEqualTo("/crm/v8/Contacts");
        assertThat(updates.body().at("/data/0/id").asText()).isEqualTo("4876876000000412001");
    }

    @Test
    void everyWriteSaysWhichAutomationsRunAndNoneMeansAnEmptyList() {
        assertThat(dialect.outgoing(insert("Calls", "a")).body().get("trigger").toString()).isEqualTo("[\"workflow\"]");
        assertThat(new ZohoDialect(List.of("none")).outgoing(insert("Calls", "a")).body().get("trigger").toString()).isEqualTo("[]");
        assertThat(dialect.outgoing(new CrmRequest("GET", "/crm/v8/users?type=CurrentUser", null, null)).body()).isNull();
    }

    @Test
    void eachRecordsResultIsItsCommandsOutcomeAndADuplicateOfItsOwnCommandIdIsDone() {
        List<CrmRequest> sent = List.of(insert("Calls", "a"), insert("Calls", "b"), insert("Calls", "c"), insert("Calls", "d"));
        JsonNode answer = json("{\"data\":["
                + "{\"code\":\"SUCCESS\",\"status\":\"success\",\"details\":{\"id\":\"101\"}},"
                + "{\"code\":\"DUPLICATE_DATA\",\"status\":\"error\",\"details\":{\"api_name\":\"Callbridge_Command_Id\","
                + "\"duplicate_record\":{\"id\":\"102\",\"module\":{\"api_name\":\"Calls\"}}}},"
                + "{\"code\":\"DUPLICATE_DATA\",\"status\":\"error\",\"details\":{\"api_name\":\"Subject\","
                + "\"duplicate_record\":{\"id\":\"103\"}}},"
                + "{\"code\":\"MANDATORY_NOT_FOUND\",\"status\":\"error\",\"details\":{\"api_name\":\"Call_Type\"}}]}");

        Map<String, Outcome> outcomes = dialect.batchOutcomes(207, answer, sent, List.of("a", "b", "c", "d"));

        assertThat(outcomes.get("a")).isEqualTo(new Outcome.Done("101"));
        assertThat(outcomes.get("b")).as("written before: Zoho names the record").isEqualTo(new Outcome.Done("102"));
        assertThat(outcomes.get("c")).as("a duplicate of another field is a refusal").isInstanceOf(Outcome.Rejected.class);
        assertThat(outcomes.get("d")).isInstanceOf(Outcome.Rejected.class);
        assertThat(((Outcome.Rejected) outcomes.get("d")).crmError()).contains("MANDATORY_NOT_FOUND").contains("Call_Type");
    }

    @Test
    void aRequestRefusedAsAWholeRefusesEachInputWithZohosAnswer() {
        Map<String, Outcome> outcomes = dialect.batchOutcomes(400, json("{\"code\":\"LIMIT_EXCEEDED\",\"status\":\"error\"}"),
                List.of(insert("Calls", "a"), insert("Calls", "b")), List.of("a", "b"));
        assertThat(outcomes).hasSize(2).allSatisfy((k, v) -> assertThat(v).isInstanceOf(Outcome.Rejected.class));
    }

    @Test
    void aLeadIsReadFromItsPathAndAWriteAnswerKeepsTheFieldsSent() {
        JsonNode read = dialect.contact(new CrmRequest("GET", "/crm/v8/Leads/55", null, null),
                json("{\"data\":[{\"id\":\"55\",\"Last_Name\":\"Lead\",\"Owner\":{\"id\":\"9\"}}]}"));
        assertThat(read.get("type").asText()).isEqualTo("lead");
        assertThat(read.get("ownerId").asText()).isEqualTo("9");

        JsonNode written = dialect.contact(new CrmRequest("PUT", "/crm/v8/Contacts/77", json("{\"data\":[{\"Email\":\"a@b.ch\"}]}"), null),
                json("{\"data\":[{\"code\":\"SUCCESS\",\"details\":{\"id\":\"77\"}}]}"));
        assertThat(written.get("type").asText()).isEqualTo("contact");
        assertThat(written.get("id").asText()).isEqualTo("77");
        assertThat(written.at("/record/Email").asText()).isEqualTo("a@b.ch");
    }

    @Test
    void onlyA429WithNoCreditLeftIsTheSpentQuota() {
        assertThat(ZohoDialect.creditsSpent(429, Map.of("x-api-credits-remaining", "0"))).isTrue();
        assertThat(ZohoDialect.creditsSpent(429, Map.of("x-api-credits-remaining", "120"))).as("too many at once").isFalse();
        assertThat(ZohoDialect.creditsSpent(429, Map.of())).isFalse();
    }
}
