package io.callbridge.crm.pipedrive;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.callbridge.crm.CrmAuth;
import io.callbridge.crm.CrmHttp;
import io.callbridge.crm.CrmMetrics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Callbridge's webhook in a Pipedrive company (the sandbox, over HTTP), as each start asks for it: created once, kept
 * at the next start rather than added again, replaced when its password changed.
 */
class PipedriveChangesTest {

    private static final String URL = "https://callbridge.example.test/v1/crm-changes/pipedrive";
    private static PipedriveFixture.Account account;
    private static CrmHttp http;

    @BeforeAll
    static void start() {
        account = PipedriveFixture.Account.start();
        http = new CrmHttp(Duration.ofSeconds(5), CrmMetrics.none());
    }

    @AfterAll
    static void stop() {
        http.close();
        account.close();
    }

    @BeforeEach
    void noWebhooks() {
        for (JsonNode h : webhooks()) {
            account.call("DELETE", "/v1/webhooks/" + h.get("id").asText(), null);
        }
    }

    @Test
    void eachStartKeepsTheWebhookItMadeInsteadOfAddingOne() throws Exception {
        assertThat(changes("s3cret").subscribe(URL)).as("a webhook does not expire").isNull();
        List<JsonNode> first = webhooks();
        assertThat(first).hasSize(1);
        assertThat(first.get(0).get("subscription_url").asText()).isEqualTo(URL);
        assertThat(first.get(0).get("http_auth_password").asText()).isEqualTo("s3cret");

        changes("s3cret").subscribe(URL);
        assertThat(webhooks()).extracting(h -> h.get("id").asLong()).containsExactly(first.get(0).get("id").asLong());
    }

    @Test
    void aChangedPasswordReplacesTheWebhook() throws Exception {
        changes("old-secret").subscribe(URL);
        long old = webhooks().get(0).get("id").asLong();
        changes("new-secret").subscribe(URL);
        List<JsonNode> now = webhooks();
        assertThat(now).hasSize(1);
        assertThat(now.get(0).get("id").asLong()).isNotEqualTo(old);
        assertThat(now.get(0).get("http_auth_password").asText()).isEqualTo("new-secret");
    }

    private static PipedriveChanges changes(String password) {
        return new PipedriveChanges("callbridge", password, http, CrmAuth.fixed(Map.of("x-api-token", PipedriveFixture.TOKEN),
                account.baseUrl()), account.baseUrl(), Clock.systemUTC());
    }

    private static List<JsonNode> webhooks() {
        List<JsonNode> out = new java.util.ArrayList<>();
        account.json("GET", "/v1/webhooks", null).get("data").forEach(out::add);
        return out;
    }
}
