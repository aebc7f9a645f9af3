package io.callbridge.crm.notion;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callbridge.crm.CallerListing;
import io.callbridge.crm.Candidate;
import io.callbridge.crm.CrmHttp;
import io.callbridge.crm.CrmMetrics;

/**
 * The pages of Notion's contacts data source for a caller directory: the search's query without its filter, 100 pages
 * at a time (Notion's largest page), which leaves the pages in the trash out. A changed page is read again with
 * {@code GET /v1/pages/{id}}, one per request: Notion has no batch read, and a query cannot be filtered on page ids (its
 * filters name properties or timestamps only). A page Notion no longer answers (404), in the trash, or moved out of the
 * contacts data source is gone.
 */
final class NotionCallerListing implements CallerListing {

    private static final int PAGE_SIZE = 100;

    private final NotionCallerSearch search;

    NotionCallerListing(NotionCallerSearch search) {
        this.search = search;
    }

    @Override
    public CompletableFuture<Page> page(String cursor) {
        ObjectNode body = CrmHttp.JSON.createObjectNode().put("page_size", PAGE_SIZE);
        if (cursor != null) {
            body.put("start_cursor", cursor);
        }
        return search.query(CrmMetrics.READ, body).thenApply(a -> {
            if (!a.ok()) {
                throw a.failure("contacts list");
            }
            List<JsonNode> records = new ArrayList<>();
            a.body().path("results").forEach(r -> {
                // a wiki's query answers its data sources too: only pages are callers
                if ("page".equals(r.path("object").asText())) {
                    records.add(r);
                }
            });
            String next = a.body().path("next_cursor").asText(null);
            return new Page(records, a.body().path("has_more").asBoolean(false) ? next : null);
        });
    }

    @Override
    public CompletableFuture<List<JsonNode>> read(List<String> ids) {
        if (ids.size() != 1) {
            throw new IllegalArgumentException("Notion reads one page per request, not " + ids.size());
        }
        return search.page(ids.get(0)).thenApply(a -> {
            if (a.status() == 404) {
                return List.of();
            }
            if (!a.ok()) {
                throw a.failure("contact read");
            }
            JsonNode page = a.body();
            boolean gone = page.path("in_trash").asBoolean(false) || page.path("archived").asBoolean(false)
                    || !sameId(search.contactsDataSource(), page.path("parent").path("data_source_id").asText(""));
            return gone ? List.of() : List.of(page);
        });
    }

    @Override
    public int readsPerRequest() {
        return 1;
    }

    @Override
    public Candidate candidate(JsonNode record) {
        return search.candidate(record);
    }

    private static boolean sameId(String a, String b) {
        return !a.isEmpty() && a.replace("-", "").equalsIgnoreCase(b.replace("-", ""));
    }
}
