package io.callbridge.crm.pipedrive;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.JsonNode;
import io.callbridge.crm.CallerListing;
import io.callbridge.crm.Candidate;
import io.callbridge.crm.CrmAuth;
import io.callbridge.crm.CrmHttp;
import io.callbridge.crm.CrmMetrics;

/**
 * Pipedrive's persons for a caller directory: {@code GET /api/v2/persons} 500 at a time (its largest page), on by
 * {@code next_cursor}, and changed persons read again by {@code ids=} (up to 100), which leaves out a person deleted.
 * Their id is the one the person webhooks carry as {@code entity_id}.
 */
final class PipedriveCallerListing implements CallerListing {

    private static final int PAGE = 500;

    private final CrmHttp http;
    private final String baseUrl;
    private final CrmAuth auth;
    private final PipedriveCallerSearch search;

    PipedriveCallerListing(CrmHttp http, String baseUrl, CrmAuth auth, PipedriveCallerSearch search) {
        this.http = http;
        this.baseUrl = baseUrl;
        this.auth = auth;
        this.search = search;
    }

    @Override
    public CompletableFuture<Page> page(String cursor) {
        String query = "/api/v2/persons?limit=" + PAGE + (cursor == null ? "" : "&cursor=" + PipedriveCallerSearch.enc(cursor));
        return get(query, "person list").thenApply(data -> new Page(data.records(), data.next()));
    }

    @Override
    public CompletableFuture<List<JsonNode>> read(List<String> ids) {
        return get(PipedriveCallerSearch.byIds(ids), "persons").thenApply(Data::records);
    }

    @Override
    public int readsPerRequest() {
        return PipedriveCallerSearch.READS_PER_REQUEST;
    }

    @Override
    public Candidate candidate(JsonNode record) {
        return search.candidate(record);
    }

    private record Data(List<JsonNode> records, String next) {
    }

    /** The last page has {@code next_cursor} null (or none). */
    private CompletableFuture<Data> get(String pathAndQuery, String what) {
        return http.send(PipedriveCrm.NAME, CrmMetrics.READ, auth, credentials -> http.request(baseUrl + pathAndQuery).GET()).thenApply(a -> {
            if (!a.ok()) {
                throw a.failure(what);
            }
            List<JsonNode> records = new ArrayList<>();
            a.body().path("data").forEach(records::add);
            return new Data(records, a.body().path("additional_data").path("next_cursor").textValue());
        });
    }
}
