package io.callbridge.sandbox.pipedrive;

import com.fasterxml.jackson.databind.JsonNode;
import io.callbridge.sandbox.SandboxHttp.Resp;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** API v2 deals and activities; links to persons visible from both sides. */
class PipedriveDealsActivitiesTest extends PipedriveTestSupport {

    @Test
    void dealsHavePipedriveDefaultsAndStatusTimes() {
        long person = createPerson("{\"name\":\"Jean Dupont\"}");
        JsonNode d = ok(call("POST", "/api/v2/deals", "{\"title\":\"Produit X\",\"value\":20000,\"currency\":\"CHF\",\"person_id\":" + person
                + ",\"expected_close_date\":\"2027-03-31\"}"));
        assertThat(d.get("status").asText()).isEqualTo("open");
        assertThat(d.get("pipeline_id").asInt()).isEqualTo(1);
        assertThat(d.get("stage_id").asInt()).isEqualTo(1);
        assertThat(d.get("owner_id").asLong()).isEqualTo(OWNER);
        assertThat(d.get("value").asInt()).isEqualTo(20000);
        assertThat(d.get("person_id").asLong()).isEqualTo(person);
        assertThat(d.get("close_time").isNull()).isTrue();
        assertThat(d.get("origin").asText()).isEqualTo("API");
        long id = d.get("id").asLong();
        clock.advance(Duration.ofHours(1));
        JsonNode won = ok(call("PATCH", "/api/v2/deals/" + id, "{\"status\":\"won\",\"stage_id\":5}"));
        assertThat(won.get("won_time").asText()).isEqualTo(PipedriveApi.v2Time(clock.instant()));
        assertThat(won.get("close_time").asText()).isEqualTo(won.get("won_time").asText());
        assertThat(won.get("stage_change_time").asText()).isEqualTo(won.get("won_time").asText());
        assertThat(won.get("update_time").asText()).isEqualTo(PipedriveApi.v2Time(clock.instant()));
        assertThat(ok(call("GET", "/api/v2/deals?person_id=" + person, null))).hasSize(1);
        assertThat(ok(call("GET", "/api/v2/deals?status=won", null))).hasSize(1);
        assertThat(ok(call("GET", "/api/v2/deals/" + id, null)).get("status").asText()).isEqualTo("won");
        assertThat(ok(call("DELETE", "/api/v2/deals/" + id, null)).get("id").asLong()).isEqualTo(id);
        error(call("GET", "/api/v2/deals/" + id, null), 404);
    }

    @Test
    void dealValidation() {
        error(call("POST", "/api/v2/deals", "{\"value\":10}"), 400);
        error(call("POST", "/api/v2/deals", "{\"title\":\"x\",\"status\":\"closed\"}"), 400);
        error(call("POST", "/api/v2/deals", "{\"title\":\"x\",\"stage_id\":99}"), 400);
        error(call("POST", "/api/v2/deals", "{\"title\":\"x\",\"person_id\":999}"), 404);
        error(call("POST", "/api/v2/deals", "{\"title\":\"x\",\"value\":\"lots\"}"), 400);
        error(call("POST", "/api/v2/deals", "{\"title\":\"x\",\"expected_close_date\":\"31.03.2027\"}"), 400);
        error(call("POST", "/api/v2/deals", "{\"title\":\"x\",\"currency\":\"francs\"}"), 400);
        error(call("PATCH", "/api/v2/deals/1", "{\"title\":\"x\"}"), 404);
    }

    @Test
    void activitiesLinkToPersonsAndDeals() {
        long person = createPerson("{\"name\":\"Jean Dupont\"}");
        long deal = ok(call("POST", "/api/v2/deals", "{\"title\":\"Produit X\",\"person_id\":" + person + "}")).get("id").asLong();
        JsonNode a = ok(call("POST", "/api/v2/activities", "{\"subject\":\"Rappeler Jean\",\"type\":\"call\",\"due_date\":\"2026-11-30\","
                + "\"due_time\":\"10:00\",\"duration\":\"00:15\",\"person_id\":" + person + ",\"deal_id\":" + deal + ",\"note\":\"envoyer une offre\","
                + "\"priority\":1}"));
        assertThat(a.get("type").asText()).isEqualTo("call");
        assertThat(a.get("done").asBoolean()).isFalse();
        assertThat(a.get("creator_user_id").asLong()).isEqualTo(OWNER);
        assertThat(a.get("participants").get(0).get("person_id").asLong()).isEqualTo(person);
        long id = a.get("id").asLong();
        clock.advance(Duration.ofMinutes(10));
        JsonNode done = ok(call("PATCH", "/api/v2/activities/" + id, "{\"done\":true}"));
        assertThat(done.get("marked_as_done_time").asText()).isEqualTo(PipedriveApi.v2Time(clock.instant()));
        assertThat(done.get("update_time").asText()).isEqualTo(PipedriveApi.v2Time(clock.instant()));
        // visible from the person's and the deal's side
        assertThat(ok(call("GET", "/api/v2/activities?person_id=" + person, null))).hasSize(1);
        assertThat(ok(call("GET", "/api/v2/activities?deal_id=" + deal + "&done=true", null))).hasSize(1);
        JsonNode task = ok(call("POST", "/api/v2/activities", "{\"type\":\"task\"}"));
        assertThat(task.get("subject").asText()).as("Pipedrive names an activity without subject by its type").isEqualTo("Task");
        assertThat(ok(call("GET", "/api/v2/activities/" + task.get("id").asLong(), null)).get("id").asLong()).isEqualTo(task.get("id").asLong());
        assertThat(ok(call("DELETE", "/api/v2/activities/" + task.get("id").asLong(), null)).get("id").asLong()).isEqualTo(task.get("id").asLong());
    }

    @Test
    void activityValidation() {
        Resp r = call("POST", "/api/v2/activities", "{\"type\":\"phonecall\"}");
        assertThat(error(r, 400).get("error").asText()).contains("phonecall");
        error(call("POST", "/api/v2/activities", "{\"type\":\"call\",\"due_date\":\"30.11.2026\"}"), 400);
        error(call("POST", "/api/v2/activities", "{\"type\":\"call\",\"due_time\":\"10h\"}"), 400);
        error(call("POST", "/api/v2/activities", "{\"type\":\"call\",\"done\":\"yes\"}"), 400);
        error(call("POST", "/api/v2/activities", "{\"type\":\"call\",\"person_id\":123}"), 404);
        error(call("POST", "/api/v2/activities", "{\"type\":\"call\",\"participants\":[{\"person_id\":\"1\"}]}"), 400);
    }
}
