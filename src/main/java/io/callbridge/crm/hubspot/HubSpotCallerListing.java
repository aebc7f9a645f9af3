package io.callbridge.crm.hubspot;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callbridge.crm.CallerListing;
import io.callbridge.crm.Candidate;
import io.callbridge.crm.CrmAuth;
import io.callbridge.crm.CrmHttp;
import io.callbridge.crm.CrmMetrics;

/**
 * HubSpot's contacts for a caller directory: {@code GET /crm/v3/objects/contacts} 100 at a time (its largest page)
 * with the properties a lookup reads, and {@code batch/read} of up to 100 changed contacts, whose 207 names the
 * contacts that are gone.
 */
final class HubSpotCallerListing implements CallerListing {

    private static final int PAGE = 100;

    private final CrmHttp http;
    private final String baseUrl;
    private final CrmAuth auth;
    private final HubSpotCallerSearch search;

    HubSpotCallerListing(CrmHttp http, String baseUrl, CrmAuth auth, HubSpotCallerSearch search) {
        this.http = http;
        this.baseUrl = baseUrl;
        this.auth = auth;
        this.search = search;
    }

    @Override
    public CompletableFuture<Page> page(String cursor) {
        String url = baseUrl + "/crm/v3/objects/contacts?limit=" + PAGE + "&properties="
                + URLEncoder.encode(String.join(",", search.properties()), StandardCharsets.UTF_8)
                + (cursor == null ? "" : "&after=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
        return http.send(HubSpotCrm.NAME, CrmMetrics.READ, auth, credentials -> http.request(url).GET()).thenApply(a -> {
            if (!a.ok()) {
                throw a.failure("contact list");
            }
            List<JsonNode> records = new ArrayList<>();
            a.body().path("results").forEach(records::add);
            return new Page(records, a.body().path("paging").path("next").path("after").asText(null));
        });
    }

    @Override
    public CompletableFuture<List<JsonNode>> read(List<String> ids) {
        ObjectNode body = CrmHttp.JSON.createObjectNode();
        search.properties().forEach(body.putArray("properties")::add);
        ids.forEach(id -> body.withArray("inputs").addObject().put("id", id));
        String json = body.toString();
        return http.send(HubSpotCrm.NAME, CrmMetrics.READ, auth, credentials -> http
                .request(baseUrl + "/crm/v3/objects/contacts/batch/read").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))).thenApply(a -> {
                    if (!a.ok()) {
                        throw a.failure("contact batch read");
                    }
                    List<JsonNode> records = new ArrayList<>();
                    a.body().path("results").forEach(records::add);
                    return records;
                });
    }

    @Override
    public int readsPerRequest() {
        return PAGE;
    }

    @Override
    public Candidate candidate(JsonNode record) {
        return search.candidate(record);
    }
}
