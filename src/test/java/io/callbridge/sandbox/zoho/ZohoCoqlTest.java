package io.callbridge.sandbox.zoho;

import com.fasterxml.jackson.databind.JsonNode;
import io.callbridge.sandbox.Json;
import io.callbridge.sandbox.SandboxHttp.Resp;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.StringJoiner;

import static org.assertj.core.api.Assertions.assertThat;

/** The COQL subset: select, where with =, !=, like, in, is [not] null, and/or; limit and offset; errors; credits by LIMIT. */
class ZohoCoqlTest extends ZohoTestSupport {

    private JsonNode ids;

    @BeforeEach
    void contacts() {
        ids = seed("{\"Contacts\":[{\"Last_Name\":\"Dupont\",\"First_Name\":\"Jean\",\"Phone\":\"+41 79 123 45 67\",\"Visits\":3},"
                + "{\"Last_Name\":\"Martin\",\"Mobile\":\"0791234567\",\"Email\":\"anne@example.ch\",\"Visits\":10},"
                + "{\"Last_Name\":\"O'Brien\",\"Phone\":\"+41227000000\"}]}").get("Contacts");
    }

    private static Resp coql(String query) {
        return call("POST", "/crm/v8/coql", Json.object().put("select_query", query).toString());
    }

    private static String id(JsonNode a, int i) {
        return a.get(i).asText();
    }

    private static java.util.List<String> rowIds(Resp r) {
        return ids(r);
    }

    @Test
    void aSuffixMatchOverSeveralPhoneFieldsAsAConnectorSendsIt() {
        Resp r = coql("select Last_Name, Phone, Mobile from Contacts where (Phone like '%791234567' or Mobile like '%791234567') limit 10");
        assertThat(rowIds(r)).containsExactly(id(ids, 1));
        r = coql("select Last_Name, Phone, Mobile from Contacts where (Phone like '%79 123 45 67' or Mobile like '%791234567') limit 10");
        assertThat(rowIds(r)).containsExactly(id(ids, 0), id(ids, 1));
        JsonNode row = r.json().at("/data/0");
        assertThat(row.toString()).isEqualTo("{\"Last_Name\":\"Dupont\",\"Phone\":\"+41 79 123 45 67\",\"Mobile\":null,\"id\":\"" + id(ids, 0) + "\"}");
        assertThat(r.json().get("info").toString()).isEqualTo("{\"count\":2,\"more_records\":false}");
    }

    @Test
    void operatorsOfTheSubset() {
        assertThat(rowIds(coql("select id from Contacts where Last_Name = 'dupont'"))).containsExactly(id(ids, 0));
        assertThat(rowIds(coql("select id from Contacts where Last_Name != 'Dupont'"))).containsExactly(id(ids, 1), id(ids, 2));
        assertThat(rowIds(coql("select id from Contacts where Last_Name in ('Martin', 'O''Brien')"))).containsExactly(id(ids, 1), id(ids, 2));
        assertThat(rowIds(coql("select id from Contacts where Last_Name not in ('Martin')"))).containsExactly(id(ids, 0), id(ids, 2));
        assertThat(rowIds(coql("select id from Contacts where Email is null"))).containsExactly(id(ids, 0), id(ids, 2));
        assertThat(rowIds(coql("select id from Contacts where Email is not null"))).containsExactly(id(ids, 1));
        assertThat(rowIds(coql("select id from Contacts where Visits >= 3 and (Last_Name like 'Mar%' or First_Name = 'Jean')")))
                .containsExactly(id(ids, 0), id(ids, 1));
        assertThat(rowIds(coql("select id from Contacts where Owner = '" + OWNER + "' order by Last_Name desc"))).containsExactly(id(ids, 2), id(ids, 1), id(ids, 0));
        assertThat(coql("select Owner from Contacts where id = '" + id(ids, 0) + "'").json().at("/data/0/Owner").toString())
                .isEqualTo("{\"id\":\"" + OWNER + "\"}");
        noContent(coql("select id from Contacts where Last_Name = 'Nobody'"));
    }

    @Test
    void limitAndOffset() {
        Resp first = coql("select Last_Name from Contacts where Last_Name is not null limit 2");
        assertThat(rowIds(first)).containsExactly(id(ids, 0), id(ids, 1));
        assertThat(first.json().at("/info/more_records").asBoolean()).isTrue();
        assertThat(rowIds(coql("select Last_Name from Contacts where Last_Name is not null limit 2 offset 2"))).containsExactly(id(ids, 2));
        assertThat(rowIds(coql("select Last_Name from Contacts where Last_Name is not null limit 1, 2"))).containsExactly(id(ids, 1), id(ids, 2));
        noContent(coql("select Last_Name from Contacts where Last_Name is not null limit 3 offset 3"));
    }

    @Test
    void errorsAsCoqlDocumentsThem() {
        JsonNode syntax = error(coql("select Last_Name from Contacts where Phone = "), 400, "SYNTAX_ERROR");
        assertThat(syntax.at("/details/line").asInt()).isEqualTo(1);
        assertThat(syntax.at("/details/column").asInt()).isPositive();
        error(coql("select * from Contacts"), 400, "SYNTAX_ERROR");
        error(coql("select Last_Name Contacts"), 400, "SYNTAX_ERROR");
        JsonNode column = error(coql("select Nickname from Contacts"), 400, "INVALID_QUERY");
        assertThat(column.at("/details/column_name").asText()).isEqualTo("Nickname");
        assertThat(column.get("message").asText()).isEqualTo("column given seems to be invalid");
        error(coql("select id from Kontakte"), 400, "INVALID_QUERY");
        JsonNode value = error(coql("select id from Contacts where Visits = 'three'"), 400, "INVALID_QUERY");
        assertThat(value.get("message").asText()).isEqualTo("value given seems to be invalid for the column");
        error(coql("select id from Contacts where Visits like '1%'"), 400, "INVALID_QUERY");
        error(coql("select id from Contacts limit 2001"), 400, "LIMIT_EXCEEDED");
        StringJoiner many = new StringJoiner(" or ", "select id from Contacts where ", "");
        for (int i = 0; i < 26; i++) many.add("Last_Name = 'N" + i + "'");
        error(coql(many.toString()), 400, "LIMIT_EXCEEDED");
        StringJoiner enough = new StringJoiner(" or ", "select id from Contacts where ", "");
        for (int i = 0; i < 25; i++) enough.add("Last_Name = 'N" + i + "'");
        noContent(coql(enough.toString()));
        error(call("POST", "/crm/v8/coql", "{\"query\":\"select id from Contacts\"}"), 400, "INVALID_QUERY");
    }

    @Test
    void aQueryCostsOneTwoOrThreeCreditsByItsLimit() {
        long before = adminCall("GET", "/credits", null).json().get("used").asLong();
        coql("select id from Contacts where Last_Name is not null");
        coql("select id from Contacts where Last_Name is not null limit 200");
        coql("select id from Contacts where Last_Name is not null limit 201");
        coql("select id from Contacts where Last_Name is not null limit 1000, 1001");
        assertThat(adminCall("GET", "/credits", null).json().get("used").asLong() - before).isEqualTo(1 + 1 + 2 + 3);
    }
}
