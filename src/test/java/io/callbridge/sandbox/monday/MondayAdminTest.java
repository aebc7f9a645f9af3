package io.callbridge.sandbox.monday;

import com.fasterxml.jackson.databind.JsonNode;
import io.callbridge.sandbox.CrmSandbox;
import io.callbridge.sandbox.MutableClock;
import io.callbridge.sandbox.SandboxCrms;
import io.callbridge.sandbox.SandboxHttp;
import io.callbridge.sandbox.SandboxHttp.Resp;
import io.callbridge.sandbox.SandboxSettings;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The sandbox contract: seed and list, reset, client settings, registration, and a configured workspace. */
class MondayAdminTest extends MondayTestSupport {

    @Test
    void seedAnswersTheIdsAndListShowsItemsWithTheirColumnsAndUpdates() {
        JsonNode ids = seed("{\"1000000001\":[{\"name\":\"Jean Dupont\",\"column_values\":{\"phone\":{\"phone\":\"+41791234567\","
                + "\"countryShortName\":\"CH\"},\"lead_status\":{\"label\":\"Client\"},\"company\":\"Dupont SA\"},\"updates\":[\"Client fidèle\"]}],"
                + "\"1000000002\":[{\"name\":\"Appel\",\"column_values\":\"{\\\"duration\\\":\\\"60\\\"}\"}]}");
        String contact = ids.get(CONTACTS).get(0).asText();
        assertThat(contact).isEqualTo("9000000001");
        assertThat(ids.get(CALLS).get(0).asText()).isEqualTo("9000000002");
        JsonNode list = records(CONTACTS);
        assertThat(list).hasSize(1);
        JsonNode item = list.get(0);
        assertThat(item.get("id").asText()).isEqualTo(contact);
        assertThat(item.get("name").asText()).isEqualTo("Jean Dupont");
        assertThat(item.get("board_id").asText()).isEqualTo(CONTACTS);
        assertThat(item.get("group_id").asText()).isEqualTo("topics");
        assertThat(item.at("/columns/phone/phone").asText()).isEqualTo("+41791234567");
        assertThat(item.at("/columns/phone/countryShortName").asText()).isEqualTo("CH");
        assertThat(item.at("/columns/phone/text").asText()).isEqualTo("+41791234567");
        assertThat(item.at("/columns/lead_status/index").asInt()).isEqualTo(2);
        assertThat(item.at("/columns/lead_status/text").asText()).isEqualTo("Client");
        assertThat(item.at("/columns/company/value").asText()).isEqualTo("Dupont SA");
        assertThat(item.at("/columns/company/text").asText()).isEqualTo("Dupont SA");
        assertThat(item.get("columns").has("email")).as("empty columns are absent").isFalse();
        assertThat(item.at("/updates/0/body").asText()).isEqualTo("Client fidèle");
        assertThat(item.at("/updates/0/creator_id").asText()).isEqualTo("60000001");
        JsonNode all = adminCall("GET", "/records", null).json();
        assertThat(all.fieldNames()).toIterable().containsExactly(CONTACTS, CALLS);
        assertThat(adminCall("GET", "/records/" + CALLS + "/count", null).json().get("count").asInt()).isEqualTo(1);
        // the seeded items are what the API sees
        JsonNode viaApi = data("{ items(ids: [" + contact + "]) { name column_values(ids: [\"phone\"]) { text } updates { body } } }");
        assertThat(viaApi.at("/items/0/column_values/0/text").asText()).isEqualTo("+41791234567");
        assertThat(viaApi.at("/items/0/updates/0/body").asText()).isEqualTo("Client fidèle");
    }

    @Test
    void aRefusedSeedKeepsNothing() {
        Resp r = adminCall("POST", "/seed", "{\"1000000001\":[{\"name\":\"Bon\"},{\"name\":\"Mauvais\",\"column_values\":{\"phone\":\"123 CH\"}}]}");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("error").asText()).contains("ColumnValueException").contains("phone");
        assertThat(records(CONTACTS)).isEmpty();
        assertThat(adminCall("POST", "/seed", "{\"42\":[{\"name\":\"x\"}]}").status()).isEqualTo(400);
        assertThat(adminCall("POST", "/seed", "[]").status()).isEqualTo(400);
        assertThat(adminCall("GET", "/records/42", null).status()).isEqualTo(404);
        assertThat(createItem(CONTACTS, "Premier", Map.of())).as("ids were not consumed").isEqualTo("9000000001");
    }

    @Test
    void seededConnectionsNameItemsSeededBefore() {
        JsonNode ids = seed("{\"1000000001\":[{\"name\":\"Jean\"}],\"1000000003\":[{\"name\":\"Affaire\",\"column_values\":"
                + "{\"contact\":{\"item_ids\":[9000000001]},\"stage\":{\"label\":\"Gagné\"},\"amount\":\"1500\",\"close_date\":{\"date\":\"2026-12-31\"}}}]}");
        JsonNode deal = records(DEALS).get(0);
        assertThat(deal.get("id").asText()).isEqualTo(ids.get(DEALS).get(0).asText());
        assertThat(deal.at("/columns/contact/linkedPulseIds/0/linkedPulseId").asLong()).isEqualTo(9000000001L);
        assertThat(deal.at("/columns/contact/text").asText()).isEqualTo("Jean");
        assertThat(deal.at("/columns/stage/text").asText()).isEqualTo("Gagné");
        assertThat(deal.at("/columns/close_date/date").asText()).isEqualTo("2026-12-31");
    }

    @Test
    void resetForgetsItemsAndUsageButKeepsBoardsAndUsers() {
        seed("{\"1000000001\":[{\"name\":\"Jean\"}]}");
        data("mutation { create_item(board_id: 1000000001, item_name: \"x\") { id } }");
        sandbox.reset("monday");
        assertThat(records(CONTACTS)).isEmpty();
        assertThat(adminCall("GET", "/limits", null).json().at("/complexity/used").asLong()).isZero();
        assertThat(data("{ boards { id } users { id } }").get("boards")).hasSize(6);
        assertThat(createItem(CONTACTS, "Again", Map.of())).isEqualTo("9000000001");
    }

    @Test
    void theSandboxIsRegisteredWithItsKeysAndGivesTheConnectorItsToken() {
        assertThat(SandboxCrms.supports("monday")).isTrue();
        assertThat(SandboxCrms.configKeys("monday")).contains("token", "complexity-per-minute", "daily-limit", "versions", "workspace", "faults");
        assertThat(sandbox.crm("monday").clientSettings()).isEqualTo(Map.of("token", TOKEN));
        assertThat(sandbox.baseUrl("monday")).endsWith("/monday");
    }

    @Test
    void aConfiguredWorkspaceReplacesTheDefaultOne() {
        String workspace = "{\"users\":[{\"id\":\"7\",\"name\":\"Ana Lopes\",\"email\":\"ana@example.test\"}],"
                + "\"boards\":[{\"id\":\"55\",\"name\":\"Leads\",\"columns\":[{\"id\":\"phone_mkab12cd\",\"title\":\"Phone\",\"type\":\"phone\"},"
                + "{\"id\":\"status\",\"title\":\"Status\",\"type\":\"status\",\"labels\":[\"Working on it\",\"Done\",\"Stuck\",\"New\",\"Later\",\"Lost\"]}]}]}";
        try (CrmSandbox other = CrmSandbox.start(SandboxSettings.builder().port(0).clock(new MutableClock(Instant.parse("2026-11-28T09:00:00Z")))
                .config("monday", Map.of("workspace", workspace, "versions", "2026-10", "complexity-per-minute", "1000000")).build())) {
            String url = other.baseUrl("monday") + "/v2";
            Resp me = SandboxHttp.json("POST", url, MondaySandbox.DEFAULT_TOKEN, "{\"query\":\"{ me { name } boards { id columns { id settings_str } } "
                    + "version { value kind } complexity { before } }\"}");
            assertThat(me.status()).as(me.body()).isEqualTo(200);
            JsonNode d = me.json().get("data");
            assertThat(d.at("/me/name").asText()).isEqualTo("Ana Lopes");
            assertThat(d.at("/boards/0/id").asText()).isEqualTo("55");
            assertThat(d.at("/boards/0/columns").findValuesAsText("id")).containsExactly("phone_mkab12cd", "status", "name");
            assertThat(d.at("/boards/0/columns/1/settings_str").asText()).as("index 5 is kept for monday's default label")
                    .isEqualTo("{\"labels\":{\"0\":\"Working on it\",\"1\":\"Done\",\"2\":\"Stuck\",\"3\":\"New\",\"4\":\"Later\",\"6\":\"Lost\"}}");
            assertThat(d.at("/version/value").asText()).isEqualTo("2026-10");
            assertThat(d.at("/version/kind").asText()).isEqualTo("current");
            assertThat(d.at("/complexity/before").asInt()).isEqualTo(1_000_000);
            assertThat(other.crm("monday").clientSettings()).isEqualTo(Map.of("token", MondaySandbox.DEFAULT_TOKEN));
        }
        assertThatThrownBy(() -> CrmSandbox.start(SandboxSettings.builder().port(0).config("monday", Map.of("workspace", "{\"users\":[]}")).build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("users");
        assertThatThrownBy(() -> CrmSandbox.start(SandboxSettings.builder().port(0).config("monday", Map.of("versions", "2026-10,next")).build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("next");
    }
}
