package io.callbridge.crm.hubspot;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.callbridge.support.CallerDirectoryContract;
import io.callbridge.support.CrmFixture;
import io.callbridge.support.Events;
import org.junit.jupiter.api.BeforeAll;

import static org.assertj.core.api.Assertions.assertThat;

/** HubSpot's caller directory (5 searches a second), kept current by its contact webhooks (v3 signature). */
class HubSpotCallerDirectoryIT extends CallerDirectoryContract {

    private static final String SECRET = "hs-directory-secret";

    @BeforeAll
    static void start() {
        int port = freePort();
        start(CrmFixture.of("hubspot"), port, Map.of("client-secret", SECRET, "webhook-url",
                "http://localhost:" + port + "/v1/crm-changes/hubspot"), Map.of("callbridge.crm.hubspot.client-secret", SECRET));
    }

    @Override
    protected String create(String first, String last, String phone) {
        HttpResponse<String> r = hubspot("POST", "/crm/v3/objects/contacts", "{\"properties\":{\"firstname\":\"" + first
                + "\",\"lastname\":\"" + last + "\",\"phone\":\"" + phone + "\"}}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return json(r).get("id").asText();
    }

    @Override
    protected void rename(String id, String first) {
        patch(id, "{\"properties\":{\"firstname\":\"" + first + "\"}}");
    }

    @Override
    protected void renumber(String id, String phone) {
        patch(id, "{\"properties\":{\"phone\":\"" + phone + "\"}}");
    }

    @Override
    protected void delete(String id) {
        assertThat(hubspot("DELETE", "/crm/v3/objects/contacts/" + id, null).statusCode()).isEqualTo(204);
    }

    @Override
    protected boolean isSearch(JsonNode journalEntry) {
        return journalEntry.path("path").asText().endsWith("/search");
    }

    private static void patch(String id, String body) {
        HttpResponse<String> r = hubspot("PATCH", "/crm/v3/objects/contacts/" + id, body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    private static HttpResponse<String> hubspot(String method, String path, String body) {
        return Events.send(HttpRequest.newBuilder(URI.create(crms.sandbox().baseUrl("hubspot") + path))
                .header("Authorization", "Bearer " + HubSpotFixture.TOKEN).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build());
    }
}
