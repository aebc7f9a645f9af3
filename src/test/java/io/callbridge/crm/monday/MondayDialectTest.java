package io.callbridge.crm.monday;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.callbridge.crm.Outcome;
import io.callbridge.crm.rest.RestDialect;
import io.callbridge.mapping.CrmRequest;
import io.callbridge.support.Events;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** How monday's dialect writes GraphQL requests and reads monday's answers, alias by alias. */
class MondayDialectTest {

    private final MondayDialect dialect = new MondayDialect();

    private static JsonNode json(String s) {
        return Events.parse(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static CrmRequest op(String operation, String variables) {
        return new CrmRequest("POST", "/v2", json("{\"operation\":\"" + operation + "\",\"variables\":" + variables + "}"), null);
    }

    @Test
    void anOperationGoesAsItsDocumentWithTheColumnValuesAsAJsonString() {
        CrmRequest sent = dialect.outgoing(op("create_item", "{\"board\":\"1\",\"name\":\"x\",\"columns\":{\"status\":{\"label\":\"Done\"}}}"));
        assertThat(sent.body().get("query").asText()).startsWith("mutation ($board: ID!, $name: String!, $columns: JSON)")
                .contains("item: create_item(board_id: $board").contains("complexity { after reset_in_x_seconds }");
        assertThat(sent.body().at("/variables/columns").isTextual()).isTrue();
        assertThat(sent.body().at("/variables/columns").asText()).isEqualTo("{\"status\":{\"label\":\"Done\"}}");
    }

    @Test
    void aBoardsMutationsAreAliasesOfOneRequestAnsweredAliasByAlias() {
        CrmRequest a = op("create_item", "{\"board\":\"2\",\"name\":\"a\",\"columns\":{}}");
        CrmRequest b = op("log_call", "{\"board\":\"2\",\"name\":\"b\",\"columns\":{},\"contact\":\"7\",\"note\":\"n\"}");
        assertThat(dialect.batchKey(a)).isEqualTo(dialect.batchKey(b)).isEqualTo("board 2");
        assertThat(dialect.batchKey(op("search_items", "{\"board\":\"1\",\"rules\":[],\"limit\":1}"))).as("queries alone").isNull();

        CrmRequest batch = dialect.batch(List.of(a, b), List.of("ta", "tb"));
        String query = batch.body().get("query").asText();
        assertThat(query).contains("r0_item: create_item(board_id: $board_0").contains("r1_item: create_item(board_id: $board_1")
                .contains("r1_note: create_update(item_id: $contact_1");
        assertThat(batch.body().at("/variables/name_1").asText()).isEqualTo("b");

        JsonNode answer = json("{\"data\":{\"r0_item\":null,\"r1_item\":{\"id\":\"900\"},\"r1_note\":{\"id\":\"5\"}},"
                + "\"errors\":[{\"message\":\"This status label doesn't exist\",\"path\":[\"r0_item\"],"
                + "\"extensions\":{\"code\":\"ColumnValueException\",\"status_code\":200}}]}");
        assertThat(dialect.verdict(200, Map.of(), answer.toString()).status()).as("some data: read per alias").isEqualTo(200);
        Map<String, Outcome> outcomes = dialect.batchOutcomes(200, answer, List.of(a, b), List.of("ta", "tb"));
        assertThat(outcomes.get("ta")).isInstanceOf(Outcome.Rejected.class);
        assertThat(((Outcome.Rejected) outcomes.get("ta")).crmError()).contains("ColumnValueException").contains("status label");
        assertThat(outcomes.get("tb")).isEqualTo(new Outcome.Done("900"));
    }

    @Test
    void anAnswerWithoutDataStandsForTheStatusMondayNames() {
        String spent = "{\"errors\":[{\"message\":\"Complexity budget exhausted\",\"extensions\":{\"code\":\"COMPLEXITY_BUDGET_EXHAUSTED\","
                + "\"retry_in_seconds\":17,\"status_code\":429}}]}";
        RestDialect.Verdict v = dialect.verdict(200, Map.of(), spent);
        assertThat(v.status()).isEqualTo(429);
        assertThat(v.headers()).containsEntry("retry-after", "17");
        assertThat(dialect.rateInfo(v.headers(), spent).remaining()).as("the window is spent until the reset").isZero();
        assertThat(dialect.verdict(200, Map.of(), "{\"data\":null,\"errors\":[{\"message\":\"x\",\"extensions\":{\"code\":\"ColumnValueException\","
                + "\"status_code\":200}}]}").status()).as("a refusal").isEqualTo(400);
        assertThat(dialect.quotaExhausted(429, Map.of(), "{\"errors\":[{\"extensions\":{\"code\":\"DAILY_LIMIT_EXCEEDED\"}}]}")).isTrue();
        assertThat(dialect.quotaExhausted(429, Map.of(), spent)).as("the minute's budget comes back by itself").isFalse();
    }

    @Test
    void theComplexityLeftFeedsThePacing() {
        RestDialect.RateInfo info = dialect.rateInfo(Map.of(), "{\"data\":{\"item\":{\"id\":\"1\"},\"complexity\":{\"after\":420000,"
                + "\"reset_in_x_seconds\":12}}}");
        assertThat(info.remaining()).isEqualTo(420000);
        assertThat(info.resetMs()).isEqualTo(12000);
    }
}
