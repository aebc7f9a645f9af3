package io.callbridge.sandbox.pipedrive;

import com.fasterxml.jackson.databind.JsonNode;
import io.callbridge.sandbox.CrmSandbox;
import io.callbridge.sandbox.SandboxHttp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** API v1 activity types: a new company's defaults, custom ones added, and activities whose type must be an active one. */
class PipedriveActivityTypesTest extends PipedriveTestSupport {

    private static List<String> keys(JsonNode types) {
        List<String> out = new ArrayList<>();
        types.forEach(t -> out.add(t.get("key_string").asText()));
        return out;
    }

    @Test
    void aNewCompanyHasTheDefaultTypesInTheirOrder() {
        JsonNode types = ok(call("GET", "/v1/activityTypes", null));
        assertThat(keys(types)).containsExactly("call", "meeting", "task", "deadline", "email", "lunch");
        for (int i = 0; i < types.size(); i++) {
            JsonNode t = types.get(i);
            assertThat(t.get("id").isIntegralNumber()).isTrue();
            assertThat(t.get("order_nr").asInt()).isEqualTo(i + 1);
            assertThat(t.get("name").asText()).isEqualTo(Character.toUpperCase(t.get("key_string").asText().charAt(0))
                    + t.get("key_string").asText().substring(1));
            assertThat(t.get("icon_key").asText()).isEqualTo(t.get("key_string").asText());
            assertThat(t.get("active_flag").asBoolean()).isTrue();
            assertThat(t.get("is_custom_flag").asBoolean(true)).isFalse();
            assertThat(t.get("color").asText()).matches("[0-9A-Fa-f]{6}");
            assertThat(t.get("add_time").asText()).isEqualTo(PipedriveApi.v2Time(clock.instant()));
            assertThat(t.get("update_time").asText()).isEqualTo(t.get("add_time").asText());
        }
        for (String key : keys(types)) {
            assertThat(ok(call("POST", "/api/v2/activities", "{\"type\":\"" + key + "\"}")).get("type").asText()).isEqualTo(key);
        }
    }

    @Test
    void aCustomTypeGetsAKeyStringFromItsNameAndCanBeUsedByActivities() {
        JsonNode video = ok(call("POST", "/v1/activityTypes", "{\"name\":\"Video call\",\"icon_key\":\"camera\",\"color\":\"aeb31b\"}"));
        assertThat(video.get("key_string").asText()).isEqualTo("video_call");
        assertThat(video.get("name").asText()).isEqualTo("Video call");
        assertThat(video.get("icon_key").asText()).isEqualTo("camera");
        assertThat(video.get("color").asText()).isEqualTo("aeb31b");
        assertThat(video.get("is_custom_flag").asBoolean()).isTrue();
        assertThat(video.get("active_flag").asBoolean()).isTrue();
        assertThat(video.get("order_nr").asInt()).isEqualTo(7);
        assertThat(keys(ok(call("GET", "/v1/activityTypes", null)))).endsWith("video_call");
        error(call("POST", "/api/v2/activities", "{\"type\":\"videocall\"}"), 400);
        JsonNode a = ok(call("POST", "/api/v2/activities", "{\"type\":\"video_call\",\"subject\":\"Démo\"}"));
        assertThat(a.get("type").asText()).isEqualTo("video_call");
        assertThat(ok(call("POST", "/v1/activityTypes", "{\"name\":\"Video call\",\"icon_key\":\"camera\"}")).get("key_string").asText())
                .as("a name already taken gets a numbered key").isEqualTo("video_call_2");
        assertThat(ok(call("POST", "/v1/activityTypes", "{\"name\":\"Réunion d'équipe\",\"icon_key\":\"meeting\"}")).get("key_string").asText())
                .isEqualTo("reunion_d_equipe");
    }

    @Test
    void validationAnswersPipedriveErrors() {
        error(call("POST", "/v1/activityTypes", "{\"icon_key\":\"camera\"}"), 400);
        error(call("POST", "/v1/activityTypes", "{\"name\":\"  \",\"icon_key\":\"camera\"}"), 400);
        error(call("POST", "/v1/activityTypes", "{\"name\":\"Video call\"}"), 400);
        error(call("POST", "/v1/activityTypes", "{\"name\":\"Video call\",\"icon_key\":\"rocket\"}"), 400);
        error(call("POST", "/v1/activityTypes", "{\"name\":\"Video call\",\"icon_key\":\"camera\",\"color\":\"white\"}"), 400);
        assertThat(ok(call("GET", "/v1/activityTypes", null))).hasSize(6);
        error(call("POST", "/api/v2/activities", "{\"type\":\"phonecall\"}"), 400);
    }

    /** Custom types come back from a restart; a data directory without any (the older format) gets the defaults. */
    @Test
    void customTypesAreKeptAndAnOlderSnapshotGetsTheDefaults(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("pipedrive.json"), "{\"users\":[{\"id\":" + OWNER + ",\"name\":\"Claire Martin\",\"email\":\"claire.martin@example.test\"}],"
                + "\"organizations\":{},\"records\":{\"persons\":[],\"deals\":[],\"activities\":[],\"notes\":[]},\"callLogs\":{},"
                + "\"nextIds\":{\"persons\":1,\"deals\":1,\"activities\":1,\"notes\":1,\"organizations\":1}}");
        try (CrmSandbox restarted = CrmSandbox.start(settings().dataDir(dir).build())) {
            String url = restarted.baseUrl("pipedrive");
            assertThat(keys(ok(SandboxHttp.send("GET", url + "/v1/activityTypes?api_token=" + API_TOKEN, null, null, null))))
                    .containsExactly("call", "meeting", "task", "deadline", "email", "lunch");
            assertThat(ok(SandboxHttp.json("POST", url + "/v1/activityTypes?api_token=" + API_TOKEN, null,
                    "{\"name\":\"Video call\",\"icon_key\":\"camera\"}")).get("id").asLong()).isEqualTo(7);
        }
        try (CrmSandbox again = CrmSandbox.start(settings().dataDir(dir).build())) {
            String url = again.baseUrl("pipedrive");
            assertThat(keys(ok(SandboxHttp.send("GET", url + "/v1/activityTypes?api_token=" + API_TOKEN, null, null, null)))).endsWith("lunch", "video_call");
            assertThat(ok(SandboxHttp.json("POST", url + "/api/v2/activities?api_token=" + API_TOKEN, null, "{\"type\":\"video_call\"}"))
                    .get("type").asText()).isEqualTo("video_call");
        }
    }
}
