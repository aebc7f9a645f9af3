package io.callbridge.crm.notion;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import io.callbridge.support.CallerDirectoryContract;
import io.callbridge.support.CrmFixture;
import io.callbridge.support.Events;
import org.junit.jupiter.api.BeforeAll;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Notion's caller directory (3 requests a second for everything), kept current by the integration's webhooks (the
 * verification token on both sides). A page is deleted by moving it to the trash, as Notion's API deletes.
 */
class NotionCallerDirectoryIT extends CallerDirectoryContract {

    private static final String VERIFICATION = "secret_directoryVerificationToken0000000000000";

    /** The last name each created page's title keeps when it is renamed. */
    private final Map<String, String> lastNames = new ConcurrentHashMap<>();

    @BeforeAll
    static void start() {
        int port = freePort();
        start(CrmFixture.of("notion"), port, Map.of("verification-token", VERIFICATION, "webhook-url",
                "http://localhost:" + port + "/v1/crm-changes/notion"), Map.of("callbridge.crm.notion.verification-token", VERIFICATION));
    }

    @Override
    protected String create(String first, String last, String phone) {
        HttpResponse<String> r = notion("POST", "/v1/pages", "{\"parent\":{\"type\":\"data_source_id\",\"data_source_id\":\""
                + NotionFixture.CONTACTS + "\"},\"properties\":{\"Name\":{\"title\":[{\"text\":{\"content\":\"" + first + " " + last
                + "\"}}]},\"Phone\":{\"phone_number\":\"" + phone + "\"}}}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        String id = json(r).get("id").asText();
        lastNames.put(id, last);
        return id;
    }

    @Override
    protected void rename(String id, String first) {
        patch(id, "{\"properties\":{\"Name\":{\"title\":[{\"text\":{\"content\":\"" + first + " " + lastNames.get(id) + "\"}}]}}}");
    }

    @Override
    protected void renumber(String id, String phone) {
        patch(id, "{\"properties\":{\"Phone\":{\"phone_number\":\"" + phone + "\"}}}");
    }

    @Override
    protected void delete(String id) {
        patch(id, "{\"in_trash\":true}");
    }

    /** A page's name is its title, whole: the profile has no first name, its display name begins with it. */
    @Override
    protected String firstName(JsonNode profile) {
        return profile.path("displayName").asText().split(" ")[0];
    }

    /** A query of the data source with a filter: the listing queries it too, without one (the sandbox notes which). */
    @Override
    protected boolean isSearch(JsonNode journalEntry) {
        return journalEntry.path("path").asText().endsWith("/query") && "filter".equals(journalEntry.path("note").asText());
    }

    private static void patch(String id, String body) {
        HttpResponse<String> r = notion("PATCH", "/v1/pages/" + id, body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    private static HttpResponse<String> notion(String method, String path, String body) {
        return Events.send(HttpRequest.newBuilder(URI.create(crms.sandbox().baseUrl("notion") + path))
                .header("Authorization", "Bearer " + NotionFixture.TOKEN).header("Notion-Version", NotionFixture.VERSION)
                .header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body)).build());
    }
}
