package io.callbridge.sandbox.zoho;

import com.fasterxml.jackson.databind.JsonNode;
import io.callbridge.sandbox.CrmSandbox;
import io.callbridge.sandbox.SandboxHttp;
import io.callbridge.sandbox.SandboxHttp.Resp;
import io.callbridge.sandbox.SandboxSettings;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Insert, update, upsert and delete: per-record results in order, 201/200/207/400, the record checks, triggers, limits. */
class ZohoWritesTest extends ZohoTestSupport {

    private static final String CALL = "{\"Subject\":\"Appel entrant\",\"Call_Type\":\"Inbound\",\"Call_Start_Time\":\"2026-11-28T10:10:01+01:00\","
            + "\"Call_Duration\":\"04:02\",\"Callbridge_Command_Id\":\"evt-1:r:0\"}";

    private static Resp write(String method, String path, String body) {
        return call(method, "/crm/v8/" + path, body);
    }

    private static JsonNode result(Resp r, int i) {
        return r.json().get("data").get(i);
    }

    @Test
    void aRouteZohoHasButTheSandboxDoesNotSimulateAnswers501SayingSoNotZohosOwn404() {
        Map<String, String> auth = Map.of("Authorization", "Zoho-oauthtoken " + token);
        String id = result(call("POST", "/crm/v8/Contacts", "{\"data\":[{\"Last_Name\":\"Dupont\"}]}"), 0).at("/details/id").asText();
        JsonNode deleted = error(raw("GET", "/crm/v8/Contacts/deleted", auth, null), 501, "NOT_SIMULATED");
        assertThat(deleted.get("message").asText()).isEqualTo("not simulated by the sandbox: GET /crm/v8/Contacts/deleted");
        JsonNode related = error(raw("GET", "/crm/v8/Contacts/" + id + "/Notes", auth, null), 501, "NOT_SIMULATED");
        assertThat(related.get("message").asText()).isEqualTo("not simulated by the sandbox: GET /crm/v8/Contacts/" + id + "/Notes");
        error(raw("GET", "/crm/v7/Contacts", auth, null), 501, "NOT_SIMULATED");
        error(raw("GET", "/crm/v8/settings/modules", auth, null), 501, "NOT_SIMULATED");
        error(raw("POST", "/crm/v8/__composite_requests", auth, "{}"), 501, "NOT_SIMULATED");
        assertThat(call("GET", "/crm/v8/Contacts/" + id, null).status()).as("the record is still there").isEqualTo(200);
    }

    @Test
    void anInsertAnswersSuccessWithTheRecordsIdTimesAndUsers() {
        String now = zohoNow();
        assertThat(now).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\+01:00");
        Resp r = write("POST", "Contacts", "{\"data\":[{\"Last_Name\":\"Dupont\",\"First_Name\":\"Jean\",\"Phone\":\"+41791234567\"}],\"trigger\":[]}");
        assertThat(r.status()).isEqualTo(201);
        JsonNode s = result(r, 0);
        assertThat(s.get("code").asText()).isEqualTo("SUCCESS");
        assertThat(s.get("status").asText()).isEqualTo("success");
        assertThat(s.get("message").asText()).isEqualTo("record added");
        assertThat(s.at("/details/id").asText()).matches("\\d{19}");
        assertThat(s.at("/details/Created_Time").asText()).isEqualTo(now);
        assertThat(s.at("/details/Modified_Time").asText()).isEqualTo(now);
        assertThat(s.at("/details/Created_By").toString()).isEqualTo("{\"name\":\"Claire Martin\",\"id\":\"" + OWNER + "\",\"email\":\"claire.martin@example.test\"}");
        assertThat(s.at("/details/Modified_By/id").asText()).isEqualTo(OWNER);
        JsonNode stored = adminCall("GET", "/records/Contacts", null).json().get(0);
        assertThat(stored.get("Owner").get("id").asText()).as("the first user owns new records").isEqualTo(OWNER);
        assertThat(stored.get("Phone").asText()).isEqualTo("+41791234567");
    }

    @Test
    void recordsAreCheckedOneByOneAndAnsweredInOrderWith207() {
        Resp r = write("POST", "Contacts", "{\"data\":["
                + "{\"Last_Name\":\"Ok\"},"
                + "{\"First_Name\":\"No last name\"},"
                + "{\"Last_Name\":\"X\",\"Nickname\":\"Jeannot\"},"
                + "{\"Last_Name\":\"X\",\"Email\":\"not-an-address\"},"
                + "{\"Last_Name\":\"X\",\"Visits\":\"three\"},"
                + "{\"Last_Name\":\"" + "x".repeat(256) + "\"},"
                + "{\"Last_Name\":\"X\",\"Loyalty_Level\":\"Platinum\"},"
                + "{\"Last_Name\":\"X\",\"Account_Name\":{\"id\":\"4876876000000999999\"}},"
                + "{\"Last_Name\":\"X\",\"Owner\":{\"id\":\"4876876000000999999\"}}]}");
        assertThat(r.status()).isEqualTo(207);
        assertThat(result(r, 0).get("code").asText()).isEqualTo("SUCCESS");
        assertThat(result(r, 1).toString()).isEqualTo("{\"code\":\"MANDATORY_NOT_FOUND\",\"details\":{\"api_name\":\"Last_Name\","
                + "\"json_path\":\"$.data[1].Last_Name\"},\"message\":\"required field not found\",\"status\":\"error\"}");
        assertThat(result(r, 2).toString()).isEqualTo("{\"code\":\"INVALID_DATA\",\"details\":{\"api_name\":\"Nickname\","
                + "\"json_path\":\"$.data[2].Nickname\"},\"message\":\"invalid data\",\"status\":\"error\"}");
        assertThat(result(r, 3).at("/details/expected_data_type").asText()).isEqualTo("email");
        assertThat(result(r, 4).at("/details/expected_data_type").asText()).isEqualTo("integer");
        assertThat(result(r, 5).at("/details/maximum_length").asText()).isEqualTo("255");
        assertThat(result(r, 5).at("/details/json_path").asText()).isEqualTo("$.data[5].Last_Name");
        assertThat(result(r, 6).at("/details/api_name").asText()).isEqualTo("Loyalty_Level");
        assertThat(result(r, 7).at("/details/api_name").asText()).as("a lookup to a missing record").isEqualTo("Account_Name");
        assertThat(result(r, 8).at("/details/api_name").asText()).isEqualTo("Owner");
        for (int i = 1; i < 9; i++) assertThat(result(r, i).get("status").asText()).isEqualTo("error");
        assertThat(adminCall("GET", "/records/Contacts/count", null).json().get("count").asInt()).as("refused records change nothing").isEqualTo(1);
    }

    @Test
    void anInsertWhoseRecordsAllFailIs400WithTheResultsStillInData() {
        Resp r = write("POST", "Deals", "{\"data\":[{\"Deal_Name\":\"X\"},{\"Stage\":\"Qualification\"},{\"Deal_Name\":\"Y\",\"Stage\":\"Won-ish\"}]}");
        assertThat(r.status()).isEqualTo(400);
        assertThat(result(r, 0).at("/details/api_name").asText()).isEqualTo("Stage");
        assertThat(result(r, 0).get("code").asText()).isEqualTo("MANDATORY_NOT_FOUND");
        assertThat(result(r, 1).at("/details/api_name").asText()).isEqualTo("Deal_Name");
        assertThat(result(r, 2).get("code").asText()).isEqualTo("INVALID_DATA");
    }

    @Test
    void aUniqueCustomFieldAnswersDuplicateDataWithTheRecordItDuplicates() {
        String first = insert("Calls", CALL);
        Resp again = write("POST", "Calls", "{\"data\":[" + CALL + "]}");
        assertThat(again.status()).isEqualTo(400);
        JsonNode d = result(again, 0);
        assertThat(d.get("code").asText()).isEqualTo("DUPLICATE_DATA");
        assertThat(d.get("message").asText()).isEqualTo("duplicate data");
        assertThat(d.at("/details/api_name").asText()).isEqualTo("Callbridge_Command_Id");
        assertThat(d.at("/details/json_path").asText()).isEqualTo("$.data[0].Callbridge_Command_Id");
        assertThat(d.at("/details/duplicate_record").toString()).isEqualTo("{\"id\":\"" + first + "\",\"module\":{\"api_name\":\"Calls\","
                + "\"id\":\"4876876000000002187\"},\"Owner\":{\"name\":\"Claire Martin\",\"id\":\"" + OWNER + "\",\"email\":\"claire.martin@example.test\"}}");
        // within one request too, and without letter case
        Resp batch = write("POST", "Calls", "{\"data\":[" + CALL.replace("evt-1", "evt-2") + "," + CALL.replace("evt-1", "EVT-2") + "]}");
        assertThat(batch.status()).isEqualTo(207);
        assertThat(result(batch, 1).at("/details/duplicate_record/id").asText()).isEqualTo(result(batch, 0).at("/details/id").asText());
    }

    @Test
    void emailIsASystemDuplicateCheckOfContactsAndLeads() {
        String lead = insert("Leads", "{\"Last_Name\":\"Dupont\",\"Email\":\"jean@example.ch\"}");
        JsonNode d = result(write("POST", "Leads", "{\"data\":[{\"Last_Name\":\"Other\",\"Email\":\"JEAN@example.ch\"}]}"), 0);
        assertThat(d.get("code").asText()).isEqualTo("DUPLICATE_DATA");
        assertThat(d.at("/details/api_name").asText()).isEqualTo("Email");
        assertThat(d.at("/details/duplicate_record/id").asText()).isEqualTo(lead);
        assertThat(d.at("/details/duplicate_record/module/api_name").asText()).isEqualTo("Leads");
        insert("Contacts", "{\"Last_Name\":\"Dupont\",\"Email\":\"jean@example.ch\"}");
        // an update into a taken value is refused as well
        String other = insert("Leads", "{\"Last_Name\":\"Other\",\"Email\":\"other@example.ch\"}");
        Resp update = write("PUT", "Leads/" + other, "{\"data\":[{\"Email\":\"jean@example.ch\"}]}");
        assertThat(update.status()).isEqualTo(400);
        assertThat(result(update, 0).get("code").asText()).isEqualTo("DUPLICATE_DATA");
    }

    @Test
    void theEmailDuplicateCheckCanBeSwitchedOff() {
        try (CrmSandbox lenient = CrmSandbox.start(SandboxSettings.builder().port(0).clock(clock)
                .config("zoho", Map.of("email-duplicate-check", "false")).build())) {
            String access = SandboxHttp.form(lenient.baseUrl("zoho") + "/oauth/v2/token", Map.of("grant_type", "refresh_token",
                    "client_id", ZohoSandbox.DEFAULT_CLIENT_ID, "client_secret", ZohoSandbox.DEFAULT_CLIENT_SECRET,
                    "refresh_token", ZohoSandbox.DEFAULT_REFRESH_TOKEN)).json().get("access_token").asText();
            for (int i = 0; i < 2; i++) {
                Resp r = SandboxHttp.send(HttpRequest.newBuilder(URI.create(lenient.baseUrl("zoho") + "/crm/v8/Leads"))
                        .header("Authorization", "Zoho-oauthtoken " + access).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"data\":[{\"Last_Name\":\"Dupont\",\"Email\":\"jean@example.ch\"}]}")).build());
                assertThat(r.status()).as(r.body()).isEqualTo(201);
            }
        }
    }

    @Test
    void updatesByBodyIdAndByPathAnswer200And207() {
        String a = insert("Contacts", "{\"Last_Name\":\"Dupont\",\"Phone\":\"+41791234567\"}");
        String b = insert("Contacts", "{\"Last_Name\":\"Martin\"}");
        String created = zohoNow();
        clock.advance(Duration.ofMinutes(5));
        Resp r = write("PUT", "Contacts", "{\"data\":[{\"id\":\"" + a + "\",\"Mobile\":\"+41780000000\",\"Phone\":null},"
                + "{\"id\":\"" + b + "\",\"First_Name\":\"Anne\"}]}");
        assertThat(r.status()).isEqualTo(200);
        assertThat(result(r, 0).get("message").asText()).isEqualTo("record updated");
        assertThat(result(r, 0).at("/details/Modified_Time").asText()).isEqualTo(zohoNow()).isNotEqualTo(created);
        assertThat(result(r, 0).at("/details/Created_Time").asText()).isEqualTo(created);
        JsonNode stored = call("GET", "/crm/v8/Contacts/" + a, null).json().at("/data/0");
        assertThat(stored.get("Mobile").asText()).isEqualTo("+41780000000");
        assertThat(stored.get("Phone").isNull()).isTrue();
        assertThat(call("GET", "/crm/v8/Contacts/" + b, null).json().at("/data/0/Full_Name").asText()).isEqualTo("Anne Martin");

        Resp mixed = write("PUT", "Contacts", "{\"data\":[{\"id\":\"" + a + "\",\"Last_Name\":\"\"},{\"id\":\"4876876000000999999\",\"Title\":\"x\"},"
                + "{\"Title\":\"no id\"},{\"id\":\"" + b + "\",\"Title\":\"CEO\"}]}");
        assertThat(mixed.status()).isEqualTo(207);
        assertThat(result(mixed, 0).get("code").asText()).as("a mandatory field cannot be emptied").isEqualTo("MANDATORY_NOT_FOUND");
        assertThat(result(mixed, 1).toString()).isEqualTo("{\"code\":\"INVALID_DATA\",\"details\":{\"id\":\"4876876000000999999\"},"
                + "\"message\":\"the id given seems to be invalid\",\"status\":\"error\"}");
        assertThat(result(mixed, 2).at("/details/api_name").asText()).isEqualTo("id");
        assertThat(result(mixed, 3).get("code").asText()).isEqualTo("SUCCESS");

        Resp byPath = write("PUT", "Contacts/" + a, "{\"data\":[{\"Title\":\"Directeur\"}]}");
        assertThat(byPath.status()).isEqualTo(200);
        assertThat(result(byPath, 0).at("/details/id").asText()).isEqualTo(a);
        assertThat(write("PUT", "Contacts/4876876000000999999", "{\"data\":[{\"Title\":\"x\"}]}").status()).isEqualTo(400);
    }

    @Test
    void deletesByPathAndByIdsAnswerOneResultPerIdAndTheRecordsAreGone() {
        String a = insert("Contacts", "{\"Last_Name\":\"Dupont\"}");
        String b = insert("Contacts", "{\"Last_Name\":\"Martin\"}");
        String c = insert("Contacts", "{\"Last_Name\":\"Weber\"}");

        Resp byPath = call("DELETE", "/crm/v8/Contacts/" + a, null);
        assertThat(byPath.status()).as(byPath.body()).isEqualTo(200);
        assertThat(result(byPath, 0).toString()).isEqualTo("{\"code\":\"SUCCESS\",\"details\":{\"id\":\"" + a + "\"},"
                + "\"message\":\"record deleted\",\"status\":\"success\"}");
        noContent(call("GET", "/crm/v8/Contacts/" + a, null));

        Resp mixed = call("DELETE", "/crm/v8/Contacts?ids=" + b + "," + a, null);
        assertThat(mixed.status()).as(mixed.body()).isEqualTo(207);
        assertThat(result(mixed, 0).get("code").asText()).isEqualTo("SUCCESS");
        assertThat(result(mixed, 1).toString()).as("already gone").isEqualTo("{\"code\":\"INVALID_DATA\",\"details\":{\"id\":\"" + a
                + "\"},\"message\":\"the id given seems to be invalid\",\"status\":\"error\"}");
        assertThat(call("DELETE", "/crm/v8/Leads/" + c, null).status()).as("a record of another module").isEqualTo(400);
        assertThat(ids(call("GET", "/crm/v8/Contacts?fields=Last_Name", null))).containsExactly(c);

        assertThat(error(call("DELETE", "/crm/v8/Contacts", null), 400, "REQUIRED_PARAM_MISSING").at("/details/param").asText()).isEqualTo("ids");
        StringBuilder many = new StringBuilder(c);
        for (int i = 0; i < 100; i++) many.append(',').append(4876876000001000000L + i);
        error(call("DELETE", "/crm/v8/Contacts?ids=" + many, null), 400, "LIMIT_EXCEEDED");
        assertThat(call("GET", "/crm/v8/Contacts/" + c, null).status()).as("a refused delete deletes nothing").isEqualTo(200);
    }

    @Test
    void callsFollowZohosRules() {
        String lead = insert("Leads", "{\"Last_Name\":\"Prospect\",\"Phone\":\"+41215550000\"}");
        String contact = insert("Contacts", "{\"Last_Name\":\"Dupont\"}");
        Resp r = write("POST", "Calls", "{\"data\":["
                + "{\"Subject\":\"Appel\",\"Call_Type\":\"Inbound\",\"Call_Start_Time\":\"2026-11-28T10:10:01+01:00\",\"Call_Duration\":\"04:02\","
                + "\"What_Id\":{\"id\":\"" + lead + "\"},\"$se_module\":\"Leads\",\"Who_Id\":{\"id\":\"" + contact + "\"}},"
                + "{\"Subject\":\"Manqué\",\"Call_Type\":\"Missed\",\"Call_Start_Time\":\"2026-11-28T10:10:01+01:00\"},"
                + "{\"Subject\":\"Planifié\",\"Call_Type\":\"Outbound\",\"Outgoing_Call_Status\":\"Scheduled\",\"Call_Start_Time\":\"2026-11-29T10:00:00+01:00\"},"
                + "{\"Subject\":\"Sans durée\",\"Call_Type\":\"Outbound\",\"Call_Start_Time\":\"2026-11-28T10:10:01+01:00\"},"
                + "{\"Subject\":\"Mauvais type\",\"Call_Type\":\"Incoming\",\"Call_Start_Time\":\"2026-11-28T10:10:01+01:00\",\"Call_Duration\":\"01:00\"},"
                + "{\"Subject\":\"Heure UTC\",\"Call_Type\":\"Inbound\",\"Call_Start_Time\":\"2026-11-28T09:10:01Z\",\"Call_Duration\":\"01:00\"},"
                + "{\"Subject\":\"Secondes\",\"Call_Type\":\"Inbound\",\"Call_Start_Time\":\"2026-11-28T10:10:01+01:00\",\"Call_Duration\":\"242\"},"
                + "{\"Subject\":\"Sans module\",\"Call_Type\":\"Inbound\",\"Call_Start_Time\":\"2026-11-28T10:10:01+01:00\",\"Call_Duration\":\"01:00\","
                + "\"What_Id\":{\"id\":\"" + lead + "\"}}]}");
        assertThat(r.status()).isEqualTo(207);
        for (int i = 0; i < 3; i++) assertThat(result(r, i).get("code").asText()).as(result(r, i).toString()).isEqualTo("SUCCESS");
        assertThat(result(r, 3).get("code").asText()).isEqualTo("INVALID_DATA");
        assertThat(result(r, 3).at("/details/api_name").asText()).as("a completed call needs its duration").isEqualTo("Call_Duration");
        assertThat(result(r, 4).at("/details/api_name").asText()).isEqualTo("Call_Type");
        assertThat(result(r, 5).at("/details/expected_data_type").asText()).as("yyyy-MM-ddTHH:mm:ss±HH:mm only").isEqualTo("datetime");
        assertThat(result(r, 6).at("/details/api_name").asText()).as("mm:ss").isEqualTo("Call_Duration");
        assertThat(result(r, 7).at("/details/api_name").asText()).isEqualTo("$se_module");

        String call = result(r, 0).at("/details/id").asText();
        JsonNode stored = call("GET", "/crm/v8/Calls/" + call, null).json().at("/data/0");
        assertThat(stored.get("What_Id").toString()).isEqualTo("{\"name\":\"Prospect\",\"id\":\"" + lead + "\"}");
        assertThat(stored.get("$se_module").asText()).isEqualTo("Leads");
        assertThat(stored.get("Who_Id").toString()).isEqualTo("{\"name\":\"Dupont\",\"id\":\"" + contact + "\"}");
        assertThat(stored.get("Call_Duration_in_seconds").asInt()).isEqualTo(242);
        assertThat(stored.get("Call_Start_Time").asText()).isEqualTo("2026-11-28T10:10:01+01:00");

        JsonNode typeChange = result(write("PUT", "Calls/" + call, "{\"data\":[{\"Call_Type\":\"Outbound\"}]}"), 0);
        assertThat(typeChange.at("/details/api_name").asText()).as("Call_Type cannot change").isEqualTo("Call_Type");
        JsonNode ownerChange = result(write("PUT", "Calls/" + call, "{\"data\":[{\"Owner\":{\"id\":\"" + OTHER_USER + "\"}}]}"), 0);
        assertThat(ownerChange.at("/details/api_name").asText()).as("nor the owner of a completed call").isEqualTo("Owner");
        String scheduled = result(r, 2).at("/details/id").asText();
        assertThat(result(write("PUT", "Calls/" + scheduled, "{\"data\":[{\"Owner\":{\"id\":\"" + OTHER_USER + "\"}}]}"), 0).get("code").asText())
                .isEqualTo("SUCCESS");
    }

    @Test
    void notesHangOffAnExistingParentAndEventsEndAfterTheyStart() {
        String contact = insert("Contacts", "{\"Last_Name\":\"Dupont\"}");
        Resp notes = write("POST", "Notes", "{\"data\":[{\"Note_Title\":\"Appel\",\"Note_Content\":\"Client Gold\",\"Parent_Id\":{\"module\":"
                + "{\"api_name\":\"Contacts\"},\"id\":\"" + contact + "\"}},{\"Note_Content\":\"x\",\"Parent_Id\":{\"module\":{\"api_name\":\"Contacts\"},"
                + "\"id\":\"4876876000000999999\"}},{\"Note_Title\":\"no parent\",\"Note_Content\":\"x\"}]}");
        assertThat(notes.status()).isEqualTo(207);
        assertThat(result(notes, 1).at("/details/api_name").asText()).isEqualTo("Parent_Id");
        assertThat(result(notes, 2).get("code").asText()).isEqualTo("MANDATORY_NOT_FOUND");
        JsonNode note = adminCall("GET", "/records/Notes", null).json().get(0);
        assertThat(note.get("Parent_Id").toString()).isEqualTo("{\"name\":\"Dupont\",\"id\":\"" + contact + "\",\"module\":{\"api_name\":\"Contacts\","
                + "\"id\":\"4876876000000002177\"}}");
        Resp events = write("POST", "Events", "{\"data\":[{\"Event_Title\":\"RDV\",\"Start_DateTime\":\"2026-11-30T10:00:00+01:00\","
                + "\"End_DateTime\":\"2026-11-30T09:00:00+01:00\"},{\"Event_Title\":\"RDV\",\"Start_DateTime\":\"2026-11-30T10:00:00+01:00\"}]}");
        assertThat(events.status()).isEqualTo(400);
        assertThat(result(events, 0).at("/details/api_name").asText()).isEqualTo("End_DateTime");
        assertThat(result(events, 1).at("/details/api_name").asText()).isEqualTo("End_DateTime");
        assertThat(result(events, 1).get("code").asText()).isEqualTo("MANDATORY_NOT_FOUND");
    }

    @Test
    void upsertUpdatesTheRecordADuplicateCheckFieldMatchesElseInserts() {
        String lead = insert("Leads", "{\"Last_Name\":\"Dupont\",\"Email\":\"jean@example.ch\",\"Callbridge_Command_Id\":\"cmd-1\"}");
        Resp r = write("POST", "Leads/upsert", "{\"data\":[{\"Last_Name\":\"Dupont\",\"Email\":\"jean@example.ch\",\"Phone\":\"+41791234567\"},"
                + "{\"Last_Name\":\"Neuf\",\"Email\":\"neuf@example.ch\"}],\"duplicate_check_fields\":[\"Email\"],\"trigger\":[\"workflow\"]}");
        assertThat(r.status()).isEqualTo(200);
        assertThat(result(r, 0).get("action").asText()).isEqualTo("update");
        assertThat(result(r, 0).get("duplicate_field").asText()).isEqualTo("Email");
        assertThat(result(r, 0).get("message").asText()).isEqualTo("record updated");
        assertThat(result(r, 0).at("/details/id").asText()).isEqualTo(lead);
        assertThat(result(r, 1).get("action").asText()).isEqualTo("insert");
        assertThat(result(r, 1).get("duplicate_field").isNull()).isTrue();
        assertThat(result(r, 1).get("message").asText()).isEqualTo("record added");
        // without duplicate_check_fields: the system field, then the unique fields
        Resp byCommand = write("POST", "Leads/upsert", "{\"data\":[{\"Last_Name\":\"Dupont\",\"Callbridge_Command_Id\":\"cmd-1\",\"Lead_Status\":\"Contacted\"}]}");
        assertThat(result(byCommand, 0).get("duplicate_field").asText()).isEqualTo("Callbridge_Command_Id");
        assertThat(result(byCommand, 0).at("/details/id").asText()).isEqualTo(lead);
        JsonNode notUnique = error(write("POST", "Leads/upsert", "{\"data\":[{\"Last_Name\":\"X\"}],\"duplicate_check_fields\":[\"Phone\"]}"), 400, "INVALID_DATA");
        assertThat(notUnique.at("/details/api_name").asText()).isEqualTo("Phone");
        assertThat(write("POST", "Leads/upsert", "{\"data\":[{\"First_Name\":\"X\"}]}").status()).as("an insert still needs Last_Name").isEqualTo(400);
    }

    @Test
    void upsertIsRefusedForCallsTasksEventsAndNotes() {
        for (String module : new String[]{"Calls", "Tasks", "Events", "Notes"}) {
            JsonNode e = error(write("POST", module + "/upsert", "{\"data\":[" + CALL + "]}"), 400, "INVALID_MODULE");
            assertThat(e.get("message").asText()).isEqualTo("The module name given seems to be invalid");
        }
        assertThat(adminCall("GET", "/records/Calls/count", null).json().get("count").asInt()).isZero();
    }

    @Test
    void aHundredRecordsPerCallAndMalformedBodies() {
        StringBuilder b = new StringBuilder("{\"data\":[");
        for (int i = 0; i < 101; i++) b.append(i == 0 ? "" : ",").append("{\"Last_Name\":\"N").append(i).append("\"}");
        JsonNode limit = error(write("POST", "Contacts", b + "]}"), 400, "LIMIT_EXCEEDED");
        assertThat(limit.at("/details/limit").asInt()).isEqualTo(100);
        assertThat(adminCall("GET", "/records/Contacts/count", null).json().get("count").asInt()).isZero();
        Resp hundred = write("POST", "Contacts", b.substring(0, b.lastIndexOf(",{")) + "]}");
        assertThat(hundred.status()).isEqualTo(201);
        assertThat(hundred.json().get("data").size()).isEqualTo(100);

        error(write("POST", "Contacts", "{\"data\":[{\"Last_Name\":"), 400, "INVALID_DATA");
        assertThat(error(write("POST", "Contacts", "{\"records\":[]}"), 400, "REQUIRED_PARAM_MISSING").at("/details/param").asText()).isEqualTo("data");
        error(write("POST", "Contacts", "{\"data\":{\"Last_Name\":\"X\"}}"), 400, "INVALID_DATA");
        error(write("POST", "Contacts", "{\"data\":[{\"Last_Name\":\"X\"}],\"trigger\":[\"everything\"]}"), 400, "INVALID_DATA");
        error(write("POST", "Kontakte", "{\"data\":[{\"Last_Name\":\"X\"}]}"), 400, "INVALID_MODULE");
        error(write("PATCH", "Contacts", "{}"), 400, "INVALID_REQUEST_METHOD");
    }

    @Test
    void theTriggerOfEveryWriteIsRecordedForTests() {
        insert("Contacts", "{\"Last_Name\":\"A\"}");
        write("POST", "Contacts", "{\"data\":[{\"Last_Name\":\"B\"}],\"trigger\":[]}");
        write("POST", "Contacts/upsert", "{\"data\":[{\"Last_Name\":\"C\"}],\"trigger\":[\"workflow\",\"approval\"]}");
        JsonNode writes = adminCall("GET", "/writes", null).json();
        assertThat(writes).hasSize(3);
        assertThat(writes.get(0).get("trigger").isNull()).as("no trigger key: every automation runs").isTrue();
        assertThat(writes.get(1).get("trigger").toString()).isEqualTo("[]");
        assertThat(writes.get(2).get("trigger").toString()).isEqualTo("[\"workflow\",\"approval\"]");
        assertThat(writes.get(2).get("operation").asText()).isEqualTo("upsert");
        assertThat(writes.get(2).get("module").asText()).isEqualTo("Contacts");
    }

    @Test
    void seedingAndListingThroughTheAdminApi() {
        JsonNode ids = seed("{\"Accounts\":[{\"Account_Name\":\"Dupont SA\"}],\"Calls\":[" + CALL + "]}");
        assertThat(ids.get("Calls").get(0).asText()).matches("\\d{19}");
        JsonNode calls = adminCall("GET", "/records/Calls", null).json();
        assertThat(calls).hasSize(1);
        assertThat(calls.get(0).get("Callbridge_Command_Id").asText()).isEqualTo("evt-1:r:0");
        assertThat(adminCall("GET", "/records", null).json().fieldNames()).toIterable().containsExactly("Accounts", "Calls");
        Resp bad = adminCall("POST", "/seed", "{\"Contacts\":[{\"Last_Name\":\"Ok\"},{\"First_Name\":\"No last name\"}]}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("error").asText()).startsWith("MANDATORY_NOT_FOUND");
        assertThat(adminCall("GET", "/records/Contacts/count", null).json().get("count").asInt()).as("all or nothing").isZero();
        assertThat(adminCall("GET", "/records/Widgets", null).status()).isEqualTo(404);
    }
}
