package io.callbridge.crm.pipedrive;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.callbridge.support.CallerDirectoryContract;
import io.callbridge.support.CrmFixture;
import io.callbridge.support.Events;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Pipedrive's caller directory (10 searches per 2 s), kept current by the person webhook Callbridge creates at start
 * (HTTP Basic, as Pipedrive signs nothing). A person is renamed by its {@code name}, which Pipedrive splits into first
 * and last name.
 */
class PipedriveCallerDirectoryIT extends CallerDirectoryContract {

    private static final String PASSWORD = "pd-directory-password";

    @BeforeAll
    static void start() {
        int port = freePort();
        String url = "http://localhost:" + port + "/v1/crm-changes/pipedrive";
        start(CrmFixture.of("pipedrive"), port, Map.of(), Map.of("callbridge.crm.pipedrive.webhook-password", PASSWORD,
                "callbridge.crm.pipedrive.change-url", url), sandboxes -> {
                    HttpResponse<String> org = pipedrive("POST", "/api/v2/organizations", "{\"name\":\"Dupont SA\"}");
                    assertThat(org.statusCode()).as(org.body()).isEqualTo(200);
                    HttpResponse<String> person = pipedrive("POST", "/api/v2/persons", "{\"name\":\"Paul Firma\",\"org_id\":"
                            + json(org).at("/data/id").asText() + ",\"phones\":[{\"value\":\"+41 79 448 00 01\",\"primary\":true}]}");
                    assertThat(person.statusCode()).as(person.body()).isEqualTo(200);
                });
        // a change made before Callbridge's webhook exists would be told to nobody
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            for (JsonNode h : json(pipedrive("GET", "/v1/webhooks", null)).path("data")) {
                if (url.equals(h.path("subscription_url").asText())) {
                    return true;
                }
            }
            return false;
        });
    }

    @Test
    void aPersonsOrganizationNamedByIdInTheListIsInTheProfile() {
        long before = crms.lastSeq("pipedrive");
        HttpResponse<String> r = lookUp("+41794480001");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(json(r).path("company").asText()).as("the list names the organization by id; its name comes from the "
                + "organization names loaded at start").isEqualTo("Dupont SA");
        assertThat(crms.requestsSince("pipedrive", before)).noneMatch(this::isSearch);
    }

    @Override
    protected String create(String first, String last, String phone) {
        HttpResponse<String> r = pipedrive("POST", "/api/v2/persons", "{\"name\":\"" + first + " " + last + "\",\"phones\":[{\"value\":\""
                + phone + "\",\"primary\":true}]}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return json(r).at("/data/id").asText();
    }

    @Override
    protected void rename(String id, String first) {
        HttpResponse<String> r = pipedrive("GET", "/api/v2/persons/" + id, null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        patch(id, "{\"name\":\"" + first + " " + json(r).at("/data/last_name").asText() + "\"}");
    }

    @Override
    protected void renumber(String id, String phone) {
        patch(id, "{\"phones\":[{\"value\":\"" + phone + "\",\"primary\":true}]}");
    }

    @Override
    protected void delete(String id) {
        HttpResponse<String> r = pipedrive("DELETE", "/api/v2/persons/" + id, null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    /** The person search a lookup makes, or the item search that could stand in for it. */
    @Override
    protected boolean isSearch(JsonNode journalEntry) {
        String path = journalEntry.path("path").asText();
        return path.endsWith("/persons/search") || path.contains("/itemSearch");
    }

    private static void patch(String id, String body) {
        HttpResponse<String> r = pipedrive("PATCH", "/api/v2/persons/" + id, body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    private static HttpResponse<String> pipedrive(String method, String path, String body) {
        return Events.send(HttpRequest.newBuilder(URI.create(crms.sandbox().baseUrl("pipedrive") + path))
                .header("x-api-token", PipedriveFixture.TOKEN).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build());
    }
}
