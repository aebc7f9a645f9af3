package io.callbridge.sandbox.pipedrive;

import com.fasterxml.jackson.databind.JsonNode;
import io.callbridge.sandbox.SandboxRequest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** API v1 call logs and notes. */
class PipedriveV1Test extends PipedriveTestSupport {

    @Test
    void callLogsCreateADoneCallActivityOnThePerson() {
        long person = createPerson("{\"name\":\"Jean Dupont\",\"phones\":[{\"value\":\"079 123 45 67\"}]}");
        JsonNode log = ok(call("POST", "/v1/callLogs", "{\"subject\":\"Appel entrant\",\"duration\":\"242\",\"outcome\":\"connected\","
                + "\"from_phone_number\":\"079 123 45 67\",\"to_phone_number\":\"+41 21 555 00 00\",\"start_time\":\"2026-11-28T09:10:01Z\","
                + "\"end_time\":\"2026-11-28T09:14:03Z\",\"person_id\":" + person + ",\"note\":\"Client Gold\"}"));
        assertThat(log.get("id").asText()).matches("[0-9a-f]{32}");
        assertThat(log.get("from_phone_number").asText()).isEqualTo("079 123 45 67");
        assertThat(log.get("start_time").asText()).isEqualTo("2026-11-28T09:10:01.000Z");
        assertThat(log.get("has_recording").asBoolean()).isFalse();
        assertThat(log.get("user_id").asLong()).isEqualTo(OWNER);
        long activity = log.get("activity_id").asLong();
        JsonNode a = ok(call("GET", "/api/v2/activities/" + activity, null));
        assertThat(a.get("type").asText()).isEqualTo("call");
        assertThat(a.get("done").asBoolean()).isTrue();
        assertThat(a.get("person_id").asLong()).isEqualTo(person);
        assertThat(a.get("due_date").asText()).isEqualTo("2026-11-28");
        assertThat(a.get("duration").asText()).isEqualTo("00:04");
        assertThat(ok(call("GET", "/api/v2/activities?person_id=" + person, null))).hasSize(1);
        assertThat(ok(call("GET", "/v1/callLogs/" + log.get("id").asText(), null)).get("outcome").asText()).isEqualTo("connected");
        assertThat(ok(call("GET", "/v1/callLogs", null))).hasSize(1);
        // the form the description gives (YYYY-MM-DD HH:MM:SS, UTC) is accepted too, as by Pipedrive; it is not what the
        // schema's format date-time admits, so Callbridge sends RFC 3339 and this request bypasses the contract check
        JsonNode plain = ok(raw("POST", "/v1/callLogs", java.util.Map.of("x-api-token", API_TOKEN), "{\"outcome\":\"no_answer\","
                + "\"to_phone_number\":\"079 123 45 67\",\"start_time\":\"2026-11-28 10:00:00\",\"end_time\":\"2026-11-28 10:00:30\"}"));
        assertThat(plain.get("start_time").asText()).isEqualTo("2026-11-28T10:00:00.000Z");
        assertThat(call("DELETE", "/v1/callLogs/" + log.get("id").asText(), null).status()).isEqualTo(200);
        error(call("GET", "/v1/callLogs/" + log.get("id").asText(), null), 404);
    }

    @Test
    void callLogValidation() {
        String ok = "\"to_phone_number\":\"079\",\"start_time\":\"2026-11-28 09:10:01\",\"end_time\":\"2026-11-28 09:14:03\"";
        error(call("POST", "/v1/callLogs", "{" + ok + "}"), 400);
        error(call("POST", "/v1/callLogs", "{\"outcome\":\"answered\"," + ok + "}"), 400);
        error(call("POST", "/v1/callLogs", "{\"outcome\":\"connected\",\"to_phone_number\":\"079\",\"start_time\":\"yesterday\",\"end_time\":\"today\"}"), 400);
        error(call("POST", "/v1/callLogs", "{\"outcome\":\"connected\",\"to_phone_number\":\"079\",\"start_time\":\"2026-11-28 09:14:03\",\"end_time\":\"2026-11-28 09:10:01\"}"), 400);
        error(call("POST", "/v1/callLogs", "{\"outcome\":\"connected\",\"person_id\":99," + ok + "}"), 404);
        error(call("POST", "/v1/callLogs", "{\"outcome\":\"connected\",\"deal_id\":1,\"lead_id\":\"adf21080-0e10-11eb-879b-05d71fb426ec\"," + ok + "}"), 400);
        error(call("POST", "/v1/callLogs", "{\"outcome\":\"connected\",\"user_id\":5," + ok + "}"), 403);
        error(call("POST", "/v1/callLogs", "{\"outcome\":\"connected\",\"duration\":\"4 min\"," + ok + "}"), 400);
    }

    @Test
    void notesNeedContentAndAnAnchorAndShowTheirPersonAndDeal() {
        long person = createPerson("{\"name\":\"Jean Dupont\"}");
        long deal = ok(call("POST", "/api/v2/deals", "{\"title\":\"Produit X\",\"person_id\":" + person + "}")).get("id").asLong();
        JsonNode n = ok(call("POST", "/v1/notes", "{\"content\":\"<b>Résumé</b> de l'appel\",\"person_id\":" + person + ",\"deal_id\":" + deal
                + ",\"pinned_to_person_flag\":1}"));
        assertThat(n.get("content").asText()).isEqualTo("<b>Résumé</b> de l'appel");
        assertThat(n.get("person").get("name").asText()).isEqualTo("Jean Dupont");
        assertThat(n.get("deal").get("title").asText()).isEqualTo("Produit X");
        assertThat(n.get("pinned_to_person_flag").asBoolean()).isTrue();
        assertThat(n.get("add_time").asText()).matches("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}");
        assertThat(n.get("user").get("is_you").asBoolean()).isTrue();
        long id = n.get("id").asLong();
        assertThat(ok(call("GET", "/v1/notes?person_id=" + person, null))).hasSize(1);
        assertThat(ok(call("GET", "/v1/notes/" + id, null)).get("id").asLong()).isEqualTo(id);
        assertThat(ok(call("PUT", "/v1/notes/" + id, "{\"content\":\"modifié\"}")).get("content").asText()).isEqualTo("modifié");
        assertThat(call("DELETE", "/v1/notes/" + id, null).status()).isEqualTo(200);
        error(call("GET", "/v1/notes/" + id, null), 404);
        error(call("POST", "/v1/notes", "{\"content\":\"orphan\"}"), 400);
        error(call("POST", "/v1/notes", "{\"person_id\":" + person + "}"), 400);
        error(call("POST", "/v1/notes", "{\"content\":\"x\",\"person_id\":999}"), 404);
        error(call("GET", "/v1/nothing", null), SandboxRequest.NOT_SIMULATED);
    }
}
