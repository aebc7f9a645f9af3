package io.callbridge.sandbox.notion;

import java.time.Duration;
import java.util.List;

import io.callbridge.sandbox.SandboxHttp.Resp;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Caller search by phone (literal strings), the other filter kinds, compound limits, sorts, paging and search. */
class NotionQueryTest extends NotionTestSupport {

    private static String or(String... filters) {
        return "{\"filter\":{\"or\":[" + String.join(",", filters) + "]},\"page_size\":10}";
    }

    private static String f(String prop, String type, String op, String value) {
        return "{\"property\":\"" + prop + "\",\"" + type + "\":{\"" + op + "\":" + value + "}}";
    }

    @Test
    void aCallerSearchOrsPhoneMobileAndE164AndComparesLiterally() {
        contact("Formatted", "\"Phone\":{\"phone_number\":\"079 123 45 67\"}");
        contact("Mobile", "\"Mobile\":{\"phone_number\":\"+41 78 555 00 11\"}");
        contact("Normalised", "\"Phone E164\":{\"rich_text\":" + text("+41791112233") + "}");
        contact("Other", "\"Phone\":{\"phone_number\":\"+33612345678\"}");
        // equals is literal: the formatted number is not found by its E.164 form
        assertThat(titles(query(CONTACTS, or(f("Phone", "phone_number", "equals", "\"+41791234567\""))))).isEmpty();
        assertThat(titles(query(CONTACTS, or(f("Phone", "phone_number", "equals", "\"079 123 45 67\""))))).containsExactly("Formatted");
        Resp r = query(CONTACTS, or(f("Phone", "phone_number", "ends_with", "\"45 67\""),
                f("Mobile", "phone_number", "contains", "\"555 00\""),
                f("Phone E164", "rich_text", "equals", "\"+41791112233\"")));
        assertThat(titles(r)).containsExactlyInAnyOrder("Formatted", "Mobile", "Normalised");
        assertThat(titles(query(CONTACTS, or(f("Phone", "phone_number", "starts_with", "\"+33\""))))).containsExactly("Other");
        assertThat(titles(query(CONTACTS, or(f("Phone", "phone_number", "does_not_contain", "\"079\""))))).doesNotContain("Formatted").hasSize(3);
        assertThat(titles(query(CONTACTS, or(f("Phone", "phone_number", "does_not_equal", "\"+33612345678\""))))).hasSize(3);
        assertThat(titles(query(CONTACTS, or(f("Phone", "phone_number", "is_empty", "true"))))).containsExactlyInAnyOrder("Mobile", "Normalised");
        assertThat(titles(query(CONTACTS, or(f("Phone", "phone_number", "is_not_empty", "true"))))).containsExactlyInAnyOrder("Formatted", "Other");
        // the filter must use the property's type; the name must exist
        error(query(CONTACTS, or(f("Phone", "rich_text", "equals", "\"x\""))), 400, "validation_error");
        error(query(CONTACTS, or(f("Fax", "phone_number", "equals", "\"x\""))), 400, "validation_error");
    }

    @Test
    void numberCheckboxSelectDateAndRelationFilters() {
        String a = contact("A", "\"Lead score\":{\"number\":80},\"At risk\":{\"checkbox\":true},\"Status\":{\"select\":{\"name\":\"Client\"}},"
                + "\"Last call\":{\"date\":{\"start\":\"2026-11-20\"}}");
        contact("B", "\"Lead score\":{\"number\":20},\"Status\":{\"select\":{\"name\":\"Lead\"}},\"Last call\":{\"date\":{\"start\":\"2026-11-27T15:00:00+01:00\"}}");
        String q = "{\"filter\":%s}";
        assertThat(titles(query(CONTACTS, q.formatted(f("Lead score", "number", "greater_than", "50"))))).containsExactly("A");
        assertThat(titles(query(CONTACTS, q.formatted(f("Lead score", "number", "less_than_or_equal_to", "20"))))).containsExactly("B");
        assertThat(titles(query(CONTACTS, q.formatted(f("At risk", "checkbox", "equals", "true"))))).containsExactly("A");
        assertThat(titles(query(CONTACTS, q.formatted(f("Status", "select", "equals", "\"Lead\""))))).containsExactly("B");
        assertThat(titles(query(CONTACTS, q.formatted(f("Last call", "date", "equals", "\"2026-11-27\""))))).containsExactly("B");
        assertThat(titles(query(CONTACTS, q.formatted(f("Last call", "date", "before", "\"2026-11-21\""))))).containsExactly("A");
        assertThat(titles(query(CONTACTS, q.formatted(f("Last call", "date", "on_or_after", "\"2026-11-20\""))))).hasSize(2);
        assertThat(titles(query(CONTACTS, q.formatted(f("Last call", "date", "after", "\"2026-11-27T13:00:00Z\""))))).containsExactly("B");
        call("POST", "/v1/pages", "{\"parent\":{\"data_source_id\":\"" + CALLS + "\"},\"properties\":{\"Name\":{\"title\":" + text("Appel A") + "},"
                + "\"Contact\":{\"relation\":[{\"id\":\"" + a + "\"}]}}}");
        Resp calls = query(CALLS, q.formatted(f("Contact", "relation", "contains", "\"" + a + "\"")));
        assertThat(titles(calls)).containsExactly("Appel A");
        Resp deals = call("POST", "/v1/data_sources/" + NotionSandbox.DEALS_DATA_SOURCE_ID + "/query",
                q.formatted(f("Stage", "status", "equals", "\"Gagné\"")));
        assertThat(titles(deals)).isEmpty();
        // and inside or: two levels are fine, three are not
        assertThat(titles(query(CONTACTS, "{\"filter\":{\"or\":[{\"and\":[" + f("Lead score", "number", "greater_than", "10") + ","
                + f("At risk", "checkbox", "equals", "false") + "]}]}}"))).containsExactly("B");
        error(query(CONTACTS, "{\"filter\":{\"or\":[{\"and\":[{\"or\":[" + f("At risk", "checkbox", "equals", "true") + "]}]}]}}"), 400, "validation_error");
        String many = String.join(",", java.util.Collections.nCopies(101, f("At risk", "checkbox", "equals", "true")));
        error(query(CONTACTS, "{\"filter\":{\"or\":[" + many + "]}}"), 400, "validation_error");
    }

    @Test
    void sortsAndCursorPaging() {
        for (int i = 0; i < 5; i++) {
            contact("C" + i, "\"Lead score\":{\"number\":" + (i * 7 % 5) + "}");
            clock.advance(Duration.ofSeconds(1));
        }
        assertThat(titles(query(CONTACTS, "{}"))).containsExactly("C4", "C3", "C2", "C1", "C0");
        assertThat(titles(query(CONTACTS, "{\"sorts\":[{\"property\":\"Lead score\",\"direction\":\"ascending\"}]}")))
                .containsExactly("C0", "C3", "C1", "C4", "C2");
        assertThat(titles(query(CONTACTS, "{\"sorts\":[{\"timestamp\":\"created_time\",\"direction\":\"ascending\"}]}")))
                .containsExactly("C0", "C1", "C2", "C3", "C4");
        Resp p1 = query(CONTACTS, "{\"page_size\":2,\"sorts\":[{\"timestamp\":\"created_time\",\"direction\":\"ascending\"}]}");
        assertThat(titles(p1)).containsExactly("C0", "C1");
        assertThat(p1.json().get("has_more").asBoolean()).isTrue();
        String cursor = p1.json().get("next_cursor").asText();
        Resp p2 = query(CONTACTS, "{\"page_size\":2,\"start_cursor\":\"" + cursor + "\",\"sorts\":[{\"timestamp\":\"created_time\",\"direction\":\"ascending\"}]}");
        assertThat(titles(p2)).containsExactly("C2", "C3");
        Resp p3 = query(CONTACTS, "{\"page_size\":2,\"start_cursor\":\"" + p2.json().get("next_cursor").asText()
                + "\",\"sorts\":[{\"timestamp\":\"created_time\",\"direction\":\"ascending\"}]}");
        assertThat(titles(p3)).containsExactly("C4");
        assertThat(p3.json().get("has_more").asBoolean()).isFalse();
        assertThat(p3.json().get("next_cursor").isNull()).isTrue();
        error(query(CONTACTS, "{\"page_size\":101}"), 400, "validation_error");
    }

    @Test
    void aListingPagesTheWholeDataSourceLeavesTheTrashOutAndRefusesABadCursorAsNotionDoes() {
        String kept = contact("Kept", null);
        String trashed = contact("Trashed", null);
        contact("Last", null);
        assertThat(call("PATCH", "/v1/pages/" + trashed, "{\"in_trash\":true}").status()).isEqualTo(200);
        admin("DELETE", "/requests", null);

        Resp first = query(CONTACTS, "{\"page_size\":1}");
        assertThat(titles(first)).containsExactly("Last");
        assertThat(first.json().get("has_more").asBoolean()).isTrue();
        Resp second = query(CONTACTS, "{\"page_size\":1,\"start_cursor\":\"" + first.json().get("next_cursor").asText() + "\"}");
        assertThat(titles(second)).as("the page in the trash is left out").containsExactly("Kept");
        assertThat(second.json().get("has_more").asBoolean()).isFalse();
        assertThat(second.json().get("next_cursor").isNull()).isTrue();
        // read by its id, a page in the trash is still answered, marked
        assertThat(call("GET", "/v1/pages/" + trashed, null).json().get("in_trash").asBoolean()).isTrue();
        assertThat(call("GET", "/v1/pages/" + kept, null).json().get("in_trash").asBoolean()).isFalse();

        assertThat(error(query(CONTACTS, "{\"start_cursor\":\"" + "0b1c4f6e-1d2a-4c1e-9a51-0000000000ff" + "\"}"), 400, "validation_error")
                .get("message").asText()).isEqualTo("The start_cursor provided is invalid: 0b1c4f6e-1d2a-4c1e-9a51-0000000000ff");
        assertThat(error(query(CONTACTS, "{\"start_cursor\":{}}"), 400, "validation_error").get("message").asText())
                .isEqualTo("body failed validation: body.start_cursor should be a string or `undefined`, instead was `{}`.");

        // the journal never keeps a body: a query with a filter (a search) is told from one without (a listing) by a note
        query(CONTACTS, or(f("Phone", "phone_number", "equals", "\"+41791234567\"")));
        List<String> notes = new java.util.ArrayList<>();
        admin("GET", "/requests", null).json().forEach(e -> notes.add(e.path("method").asText() + " " + e.path("note").asText("-")));
        assertThat(notes).containsExactly("POST -", "POST -", "GET -", "GET -", "POST -", "POST -", "POST filter");
        assertThat(admin("GET", "/requests", null).body()).doesNotContain("41791234567");
    }

    @Test
    void searchMatchesTitlesOnly() {
        contact("Jean Dupont", "\"Phone\":{\"phone_number\":\"+41791234567\"}");
        contact("Marie Curie", null);
        Resp byName = call("POST", "/v1/search", "{\"query\":\"dupont\",\"filter\":{\"property\":\"object\",\"value\":\"page\"}}");
        assertThat(titles(byName)).containsExactly("Jean Dupont");
        assertThat(titles(call("POST", "/v1/search", "{\"query\":\"+41791234567\"}"))).isEmpty();
        assertThat(List.of(titles(call("POST", "/v1/search", "{}")).size())).containsExactly(2);
    }
}
