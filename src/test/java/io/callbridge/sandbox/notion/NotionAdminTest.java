package io.callbridge.sandbox.notion;

import com.fasterxml.jackson.databind.JsonNode;
import io.callbridge.sandbox.SandboxHttp.Resp;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** seed/list through the admin API, reset, client settings. */
class NotionAdminTest extends NotionTestSupport {

    @Test
    void seedAnswersIdsAndListShowsPropertiesAndChildrenText() {
        Resp s = admin("POST", "/seed", "{\"" + CONTACTS + "\":[{\"properties\":{\"Name\":{\"title\":" + text("Jean Dupont") + "},"
                + "\"Phone\":{\"phone_number\":\"+41791234567\"}},\"children\":[{\"paragraph\":{\"rich_text\":" + text("Client fidèle") + "}}]}]}");
        assertThat(s.status()).as(s.body()).isEqualTo(201);
        String id = s.json().get(CONTACTS).get(0).asText();
        Resp l = admin("GET", "/records/" + CONTACTS, null);
        JsonNode page = l.json().get(0);
        assertThat(page.get("id").asText()).isEqualTo(id);
        assertThat(page.at("/properties/Phone/phone_number").asText()).isEqualTo("+41791234567");
        assertThat(page.at("/children/0/text").asText()).isEqualTo("Client fidèle");
        // the API sees the seeded page
        assertThat(titles(query(CONTACTS, "{\"filter\":{\"property\":\"Phone\",\"phone_number\":{\"equals\":\"+41791234567\"}}}"))).containsExactly("Jean Dupont");
        assertThat(admin("GET", "/records", null).json().has(CONTACTS)).isTrue();
    }

    @Test
    void aRefusedSeedKeepsNothing() {
        Resp s = admin("POST", "/seed", "{\"" + CONTACTS + "\":[{\"properties\":{\"Name\":{\"title\":" + text("ok") + "}}},"
                + "{\"properties\":{\"Fax\":{\"phone_number\":\"1\"}}}]}");
        assertThat(s.status()).isEqualTo(400);
        assertThat(s.body()).contains("Fax is not a property that exists.");
        assertThat(admin("GET", "/records/" + CONTACTS, null).json().size()).isZero();
        assertThat(admin("POST", "/seed", "{\"nope\":[]}").status()).isEqualTo(400);
    }

    @Test
    void resetForgetsPagesAndClientSettingsNameTheToken() {
        contact("Jean", null);
        assertThat(admin("POST", "/reset", null).status()).isEqualTo(204);
        assertThat(admin("GET", "/records/" + CONTACTS, null).json().size()).isZero();
        assertThat(sandbox.crm("notion").clientSettings()).containsEntry("token", TOKEN);
        assertThat(io.callbridge.sandbox.SandboxCrms.configKeys("notion")).contains("token", "rate-per-second", "burst", "workspace");
    }
}
