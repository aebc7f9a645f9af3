package io.callbridge.sandbox.zoho;

import com.fasterxml.jackson.databind.JsonNode;
import io.callbridge.sandbox.SandboxHttp.Resp;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.StringJoiner;

import static org.assertj.core.api.Assertions.assertThat;

/** Search by phone, criteria, email and word; reads by id and by list; paging (page numbers, page tokens), 204 and the request errors. */
class ZohoSearchTest extends ZohoTestSupport {

    private static Resp search(String module, String query) {
        return call("GET", "/crm/v8/" + module + "/search?" + query, null);
    }

    @Test
    void phoneMatchesEveryPhoneFieldIncludingCustomOnesByTheExactStoredValue() {
        JsonNode ids = seed("{\"Contacts\":["
                + "{\"Last_Name\":\"Phone\",\"Phone\":\"+41791234567\"},"
                + "{\"Last_Name\":\"Mobile\",\"Mobile\":\"+41791234567\"},"
                + "{\"Last_Name\":\"Home\",\"Home_Phone\":\"+41791234567\"},"
                + "{\"Last_Name\":\"Other\",\"Other_Phone\":\"+41791234567\"},"
                + "{\"Last_Name\":\"Assistant\",\"Asst_Phone\":\"+41791234567\"},"
                + "{\"Last_Name\":\"Custom\",\"Work_Phone_2\":\"+41791234567\"},"
                + "{\"Last_Name\":\"Spaced\",\"Mobile\":\"+41 79 123 45 67\"},"
                + "{\"Last_Name\":\"National\",\"Mobile\":\"0791234567\"},"
                + "{\"Last_Name\":\"Fax is text\",\"Fax\":\"+41791234567\"}]}").get("Contacts");
        Resp found = search("Contacts", "phone=%2B41791234567");
        assertThat(ids(found)).containsExactly(ids.get(0).asText(), ids.get(1).asText(), ids.get(2).asText(), ids.get(3).asText(),
                ids.get(4).asText(), ids.get(5).asText());
        assertThat(found.json().get("info").toString()).isEqualTo("{\"per_page\":200,\"count\":6,\"page\":1,\"more_records\":false}");
        assertThat(ids(search("Contacts", "phone=" + enc("+41 79 123 45 67")))).containsExactly(ids.get(6).asText());
        assertThat(ids(search("Contacts", "phone=0791234567"))).containsExactly(ids.get(7).asText());
        // an unencoded + arrives as a space, as at Zoho: nothing has " 41791234567"
        noContent(search("Contacts", "phone=+41791234567"));
        noContent(search("Contacts", "phone=791234567"));
    }

    @Test
    void leadsAreSearchedUnconvertedUnlessAskedOtherwise() {
        JsonNode ids = seed("{\"Leads\":[{\"Last_Name\":\"Open\",\"Company\":\"A\",\"Phone\":\"+41215550000\"},"
                + "{\"Last_Name\":\"Converted\",\"Mobile\":\"+41215550000\",\"$converted\":true}]}").get("Leads");
        Resp open = search("Leads", "phone=%2B41215550000");
        assertThat(ids(open)).containsExactly(ids.get(0).asText());
        assertThat(open.json().at("/data/0/$converted").asBoolean(true)).isFalse();
        assertThat(ids(search("Leads", "phone=%2B41215550000&converted=true"))).containsExactly(ids.get(1).asText());
        assertThat(ids(search("Leads", "phone=%2B41215550000&converted=both"))).hasSize(2);
        assertThat(ids(search("Leads", "phone=%2B41215550000&converted=false"))).containsExactly(ids.get(0).asText());
    }

    @Test
    void criteriaWithEscapedParenthesesCommasBackslashesAndAnEncodedPlus() {
        JsonNode ids = seed("{\"Contacts\":[{\"Last_Name\":\"Dupont (Genève), SA\",\"Phone\":\"+41 22 555 01 01\"},"
                + "{\"Last_Name\":\"Back\\\\slash\"},{\"Last_Name\":\"Dupont\"}]}").get("Contacts");
        String escaped = "(Last_Name:equals:Dupont \\(Genève\\)\\, SA)";
        assertThat(ids(search("Contacts", "criteria=" + enc(escaped)))).containsExactly(ids.get(0).asText());
        assertThat(ids(search("Contacts", "criteria=" + enc("(Last_Name:equals:Back\\\\slash)")))).containsExactly(ids.get(1).asText());
        assertThat(ids(search("Contacts", "criteria=" + enc("(Phone:equals:+41 22 555 01 01)")))).containsExactly(ids.get(0).asText());
        // the same criteria with its + left unencoded arrives with a space and finds nothing
        noContent(search("Contacts", "criteria=(Phone:equals:+41%2022%20555%2001%2001)"));
        // an unescaped parenthesis or comma inside a value is refused
        JsonNode bad = error(search("Contacts", "criteria=" + enc("(Last_Name:equals:Dupont (Genève), SA)")), 400, "INVALID_QUERY");
        assertThat(bad.at("/details/api_name").asText()).isEqualTo("Last_Name");
        error(search("Contacts", "criteria=" + enc("(Last_Name:equals:Dupont, SA)")), 400, "INVALID_QUERY");
    }

    @Test
    void criteriaCombineAndOrNestingStartsWithAndIn() {
        JsonNode ids = seed("{\"Contacts\":[{\"Last_Name\":\"Dupont\",\"First_Name\":\"Jean\",\"Mobile\":\"+41791234567\"},"
                + "{\"Last_Name\":\"Dupond\",\"First_Name\":\"Anne\",\"Phone\":\"+41227000000\",\"Visits\":3},"
                + "{\"Last_Name\":\"Martin\",\"First_Name\":\"Jean\",\"Loyalty_Level\":\"Gold\"}]}").get("Contacts");
        String a = ids.get(0).asText(), b = ids.get(1).asText(), c = ids.get(2).asText();
        assertThat(ids(search("Contacts", "criteria=" + enc("((Phone:equals:+41791234567)or(Mobile:equals:+41791234567))")))).containsExactly(a);
        assertThat(ids(search("Contacts", "criteria=" + enc("((Last_Name:starts_with:dupon)and(First_Name:equals:jean))")))).containsExactly(a);
        assertThat(ids(search("Contacts", "criteria=" + enc("((Last_Name:starts_with:Dupon)and((First_Name:equals:Anne)or(Mobile:starts_with:+4179)))"))))
                .containsExactly(a, b);
        assertThat(ids(search("Contacts", "criteria=" + enc("(Last_Name:in:Martin,Dupond)")))).containsExactly(b, c);
        assertThat(ids(search("Contacts", "criteria=" + enc("(Visits:equals:3)")))).containsExactly(b);
        assertThat(ids(search("Contacts", "criteria=" + enc("(Loyalty_Level:equals:Gold)")))).containsExactly(c);
        assertThat(ids(search("Contacts", "criteria=" + enc("(Owner:equals:" + OWNER + ")")))).containsExactly(a, b, c);
        noContent(search("Contacts", "criteria=" + enc("(Owner:equals:" + OTHER_USER + ")")));
    }

    @Test
    void theCriteriaAConnectorBuildsFromPhoneVariantsFindsEachWrittenForm() {
        JsonNode ids = seed("{\"Contacts\":[{\"Last_Name\":\"Paren\",\"Home_Phone\":\"+41 (0)79 123 45 67\"},"
                + "{\"Last_Name\":\"National\",\"Asst_Phone\":\"079 123 45 67\"},{\"Last_Name\":\"Else\",\"Phone\":\"+41227000000\"}]}").get("Contacts");
        String values = String.join(",", "+41791234567", "+41 79 123 45 67", "079 123 45 67", "+41 \\(0\\)79 123 45 67", "0791234567");
        StringJoiner parts = new StringJoiner("or", "(", ")");
        for (String f : new String[]{"Phone", "Mobile", "Home_Phone", "Other_Phone", "Asst_Phone"}) parts.add("(" + f + ":in:" + values + ")");
        Resp r = search("Contacts", "criteria=" + enc(parts.toString()) + "&fields=" + enc("First_Name,Last_Name,Full_Name,Email,Account_Name,Owner,"
                + "Modified_Time,Phone,Mobile,Home_Phone,Other_Phone,Asst_Phone") + "&per_page=50");
        assertThat(ids(r)).containsExactly(ids.get(0).asText(), ids.get(1).asText());
        JsonNode first = r.json().at("/data/0");
        assertThat(first.get("Home_Phone").asText()).isEqualTo("+41 (0)79 123 45 67");
        assertThat(first.get("Full_Name").asText()).isEqualTo("Paren");
        assertThat(first.get("Owner").get("id").asText()).isEqualTo(OWNER);
        assertThat(first.get("Modified_Time").asText()).isNotBlank();
        assertThat(first.get("Account_Name").isNull()).isTrue();
    }

    @Test
    void criteriaLimitsAndErrors() {
        StringJoiner sixteen = new StringJoiner("or", "(", ")");
        for (int i = 0; i < 16; i++) sixteen.add("(Last_Name:equals:N" + i + ")");
        JsonNode limit = error(search("Contacts", "criteria=" + enc(sixteen.toString())), 400, "CRITERIA_LIMIT_EXCEEDED");
        assertThat(limit.get("message").asText()).isEqualTo("no of criterium that can be given exceed the limit 15");
        StringJoiner fifteen = new StringJoiner("or", "(", ")");
        for (int i = 0; i < 15; i++) fifteen.add("(Last_Name:equals:N" + i + ")");
        noContent(search("Contacts", "criteria=" + enc(fifteen.toString())));

        StringJoiner values = new StringJoiner(",", "(Last_Name:in:", ")");
        for (int i = 0; i < 101; i++) values.add("N" + i);
        JsonNode in = error(search("Contacts", "criteria=" + enc(values.toString())), 400, "INVALID_QUERY");
        assertThat(in.get("message").asText()).isEqualTo("Only 100 values are allowed in \"IN\" criteria");

        JsonNode unknown = error(search("Contacts", "criteria=" + enc("(Nickname:equals:X)")), 400, "INVALID_QUERY");
        assertThat(unknown.at("/details/api_name").asText()).isEqualTo("Nickname");
        assertThat(unknown.at("/details/reason").asText()).isNotBlank();
        JsonNode operator = error(search("Contacts", "criteria=" + enc("(Last_Name:contains:X)")), 400, "INVALID_QUERY");
        assertThat(operator.at("/details/operator").asText()).isEqualTo("contains");
        JsonNode type = error(search("Contacts", "criteria=" + enc("(Visits:equals:many)")), 400, "INVALID_QUERY");
        assertThat(type.at("/details/expected_data_type").asText()).isEqualTo("integer");
        error(search("Contacts", "criteria=" + enc("Last_Name:equals:X")), 400, "INVALID_QUERY");
        error(search("Contacts", "criteria=" + enc("((Last_Name:equals:X)")), 400, "INVALID_QUERY");
    }

    @Test
    void emailAndWordAndTheirPrecedence() {
        JsonNode ids = seed("{\"Contacts\":[{\"Last_Name\":\"Dupont\",\"Email\":\"Jean.Dupont@Example.ch\",\"Phone\":\"+41791234567\"},"
                + "{\"Last_Name\":\"Martin\",\"Secondary_Email\":\"jean.dupont@example.ch\",\"Description\":\"rappeler lundi\"}]}").get("Contacts");
        String a = ids.get(0).asText(), b = ids.get(1).asText();
        assertThat(ids(search("Contacts", "email=" + enc("jean.dupont@example.ch")))).containsExactly(a, b);
        assertThat(ids(search("Contacts", "word=LUNDI"))).containsExactly(b);
        assertThat(ids(search("Contacts", "word=dupon"))).as("a word inside any text field, e-mail addresses too").containsExactly(a, b);
        // criteria > email > phone > word: only the first present one applies
        assertThat(ids(search("Contacts", "word=lundi&phone=%2B41791234567"))).containsExactly(a);
        noContent(search("Contacts", "phone=%2B41791234567&email=nobody%40example.ch"));
        assertThat(ids(search("Contacts", "email=nobody%40example.ch&criteria=" + enc("(Last_Name:equals:Martin)")))).containsExactly(b);
    }

    @Test
    void nothingFoundIs204WithoutABodyAndRequestErrorsAre400() {
        noContent(search("Contacts", "phone=%2B41000000000"));
        JsonNode missing = error(search("Contacts", "per_page=10"), 400, "EXPECTED_PARAM_MISSING");
        assertThat(missing.at("/details/param_names").toString()).isEqualTo("[\"criteria\",\"email\",\"phone\",\"word\"]");
        error(search("Kontakte", "phone=1"), 400, "INVALID_MODULE");
        String id = insert("Contacts", "{\"Last_Name\":\"Case\",\"Phone\":\"1\"}");
        assertThat(ids(search("contacts", "phone=1"))).as("module names in any letter case").containsExactly(id);
    }

    @Test
    void pagingFieldsAndTheIterationLimit() {
        StringBuilder b = new StringBuilder("{\"Contacts\":[");
        for (int i = 0; i < 5; i++) b.append(i == 0 ? "" : ",").append("{\"Last_Name\":\"P").append(i).append("\",\"First_Name\":\"F\",\"Phone\":\"+41220000000\"}");
        JsonNode ids = seed(b.append("]}").toString()).get("Contacts");
        Resp page2 = search("Contacts", "phone=%2B41220000000&per_page=2&page=2&fields=" + enc("Last_Name,Phone"));
        assertThat(ids(page2)).containsExactly(ids.get(2).asText(), ids.get(3).asText());
        assertThat(page2.json().get("info").toString()).isEqualTo("{\"per_page\":2,\"count\":2,\"page\":2,\"more_records\":true}");
        assertThat(page2.json().at("/data/0").toString()).isEqualTo("{\"Last_Name\":\"P2\",\"Phone\":\"+41220000000\",\"id\":\"" + ids.get(2).asText() + "\"}");
        Resp last = search("Contacts", "phone=%2B41220000000&per_page=2&page=3");
        assertThat(last.json().at("/info/more_records").asBoolean(true)).isFalse();
        noContent(search("Contacts", "phone=%2B41220000000&per_page=2&page=4"));
        assertThat(search("Contacts", "phone=%2B41220000000&per_page=500").json().at("/info/per_page").asInt()).as("at most 200").isEqualTo(200);
        JsonNode limit = error(search("Contacts", "phone=%2B41220000000&per_page=200&page=11"), 400, "LIMIT_REACHED");
        assertThat(limit.at("/details/limit").asText()).isEqualTo("2000");
    }

    @Test
    void aListIsWalkedWholeByItsPageTokensWhateverIsDeletedOrCreatedMeanwhile() {
        StringBuilder b = new StringBuilder("{\"Contacts\":[");
        for (int i = 0; i < 5; i++) b.append(i == 0 ? "" : ",").append("{\"Last_Name\":\"T").append(i).append("\"}");
        JsonNode seeded = seed(b.append("]}").toString()).get("Contacts");
        String query = "/crm/v8/Contacts?fields=Last_Name&per_page=2";

        Resp first = call("GET", query, null);
        assertThat(ids(first)).containsExactly(seeded.get(0).asText(), seeded.get(1).asText());
        JsonNode info = first.json().get("info");
        assertThat(info.get("more_records").asBoolean()).isTrue();
        assertThat(info.get("page_token_expiry").asText()).as("a day from now").isEqualTo(java.time.format.DateTimeFormatter
                .ofPattern("uuuu-MM-dd'T'HH:mm:ssxxx").format(clock.instant().plus(java.time.Duration.ofHours(24)).atZone(java.time.ZoneId.of("Europe/Zurich"))));
        String token = info.get("next_page_token").asText();

        // a record of the next page deleted and one of this page deleted: the token still starts after the page it came with
        assertThat(call("DELETE", "/crm/v8/Contacts?ids=" + seeded.get(1).asText() + "," + seeded.get(2).asText(), null).status()).isEqualTo(200);
        String late = insert("Contacts", "{\"Last_Name\":\"Late\"}");
        Resp second = call("GET", query + "&page_token=" + token, null);
        assertThat(ids(second)).containsExactly(seeded.get(3).asText(), seeded.get(4).asText());
        assertThat(second.json().at("/info/page").asInt()).isEqualTo(2);
        assertThat(ids(call("GET", query + "&page_token=" + token, null))).as("a token can be asked again").isEqualTo(ids(second));
        Resp third = call("GET", query + "&page_token=" + second.json().at("/info/next_page_token").asText(), null);
        assertThat(ids(third)).containsExactly(late);
        assertThat(third.json().get("info").has("next_page_token")).as("the last page names none").isFalse();
        assertThat(third.json().at("/info/more_records").asBoolean(true)).isFalse();
    }

    @Test
    void pageTokensAreRefusedAsZohosGetRecordsPageSays() {
        seed("{\"Contacts\":[{\"Last_Name\":\"A\"},{\"Last_Name\":\"B\"},{\"Last_Name\":\"C\"}]}");
        String pageToken = call("GET", "/crm/v8/Contacts?fields=Last_Name&per_page=1", null).json().at("/info/next_page_token").asText();
        // raw: these codes are on Zoho's Get Records page, but no v8 OpenAPI document names them
        error(list("per_page=1&page=2&page_token=" + pageToken), 400, "AMBIGUITY_DURING_PROCESSING");
        error(raw("GET", "/crm/v8/Contacts?fields=Last_Name,Phone&per_page=1&page_token=" + pageToken, auth(), null), 400,
                "TOKEN_BOUND_DATA_MISMATCH");
        error(list("per_page=1&page_token=c0ffee"), 400, "INVALID_DATA");
        JsonNode discrete = error(list("per_page=200&page=11"), 400, "DISCRETE_PAGINATION_LIMIT_EXCEEDED");
        assertThat(discrete.get("message").asText()).isEqualTo("You can only get the first 2000 records without using page_token param.");
        assertThat(call("GET", "/crm/v8/Contacts?fields=Last_Name&per_page=200&page=10", null).status()).as("the 2,000th record is reachable")
                .isEqualTo(204);
        clock.advance(java.time.Duration.ofHours(24));
        token = refresh().json().get("access_token").asText();
        error(list("per_page=1&page_token=" + pageToken), 400, "EXPIRED_VALUE");
    }

    private static Resp list(String query) {
        return raw("GET", "/crm/v8/Contacts?fields=Last_Name&" + query, auth(), null);
    }

    private static Map<String, String> auth() {
        return Map.of("Authorization", "Zoho-oauthtoken " + token);
    }

    @Test
    void readByIdAndByListWithTheFieldsV8Requires() {
        String account = seed("{\"Accounts\":[{\"Account_Name\":\"Dupont SA\"}]}").at("/Accounts/0").asText();
        String contact = insert("Contacts", "{\"Last_Name\":\"Dupont\",\"First_Name\":\"Jean\",\"Account_Name\":{\"id\":\"" + account + "\"}}");
        String other = insert("Contacts", "{\"Last_Name\":\"Martin\"}");
        Resp one = call("GET", "/crm/v8/Contacts/" + contact, null);
        JsonNode r = one.json().at("/data/0");
        assertThat(r.get("id").asText()).isEqualTo(contact);
        assertThat(r.get("Full_Name").asText()).isEqualTo("Jean Dupont");
        assertThat(r.get("Account_Name").toString()).isEqualTo("{\"name\":\"Dupont SA\",\"id\":\"" + account + "\"}");
        assertThat(r.get("Owner").toString()).isEqualTo("{\"name\":\"Claire Martin\",\"id\":\"" + OWNER + "\",\"email\":\"claire.martin@example.test\"}");
        assertThat(r.get("Mobile").isNull()).as("empty fields are null").isTrue();
        assertThat(r.get("Created_Time").asText()).isEqualTo(zohoNow());
        assertThat(one.json().has("info")).isFalse();
        noContent(call("GET", "/crm/v8/Contacts/4876876000000999999", null));

        JsonNode missing = error(call("GET", "/crm/v8/Contacts?ids=" + contact, null), 400, "REQUIRED_PARAM_MISSING");
        assertThat(missing.at("/details/param").asText()).isEqualTo("fields");
        Resp listed = call("GET", "/crm/v8/Contacts?fields=Last_Name,Phone&ids=" + other + "," + contact, null);
        assertThat(ids(listed)).containsExactly(contact, other);
        assertThat(listed.json().at("/data/1").toString()).isEqualTo("{\"Last_Name\":\"Martin\",\"Phone\":null,\"id\":\"" + other + "\"}");
        assertThat(ids(call("GET", "/crm/v8/Contacts?fields=Last_Name", null))).containsExactly(contact, other);
    }
}
