package io.callbridge.crm.monday;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callbridge.crm.CallerListing;
import io.callbridge.crm.Candidate;
import io.callbridge.crm.CrmException;
import io.callbridge.crm.CrmHttp;
import io.callbridge.crm.CrmMetrics;

/**
 * The items of monday's contacts board for a caller directory: {@code items_page} without rules, 500 items a query
 * (monday's largest page), then {@code next_items_page} with its cursor; the items as the search reads them. A changed
 * item is read again with {@code items(ids:)}, 100 a query (monday's most ids), leaving deleted and archived items out
 * ({@code exclude_nonactive}); an item not answered, or answered on another board (moved), is gone. Ids travel as
 * variables. Each answer's complexity is watched ({@link MondayBudget}): a listing never spends the reserve.
 */
final class MondayCallerListing implements CallerListing {

    private static final int PAGE_SIZE = 500;
    private static final int READS = 100;
    /** Longer, and the directory's own timeout would give up on the request: better to fail, and try again later. */
    private static final Duration MAX_WAIT = Duration.ofSeconds(20);

    private final MondayCallerSearch search;
    private final MondayBudget budget;

    MondayCallerListing(MondayCallerSearch search, MondayBudget budget) {
        this.search = search;
        this.budget = budget;
    }

    @Override
    public CompletableFuture<Page> page(String cursor) {
        ObjectNode variables = CrmHttp.JSON.createObjectNode().put("limit", PAGE_SIZE);
        MondayOperation operation;
        String at;
        if (cursor == null) {
            operation = MondayOperation.LIST_ITEMS;
            variables.put("board", search.contactsBoard());
            at = "/data/boards/0/items_page";
        } else {
            operation = MondayOperation.NEXT_ITEMS;
            variables.put("cursor", cursor);
            at = "/data/next_items_page";
        }
        return send(operation, variables, "contacts list").thenApply(a -> {
            JsonNode page = a.body().at(at);
            if (!page.isObject()) {
                // no such board (its id in the mappings is wrong) or none this token may read
                throw CrmException.failed(search.crm(), 404, "contacts list", "no contacts board", false);
            }
            List<JsonNode> records = new ArrayList<>();
            page.path("items").forEach(records::add);
            return new Page(records, page.path("cursor").asText(null));
        });
    }

    @Override
    public CompletableFuture<List<JsonNode>> read(List<String> ids) {
        if (ids.size() > READS) {
            throw new IllegalArgumentException("monday reads at most " + READS + " items per request, not " + ids.size());
        }
        ObjectNode variables = CrmHttp.JSON.createObjectNode().put("limit", READS);
        ArrayNode numbers = variables.putArray("ids");
        for (String id : ids) {
            if (!id.matches("\\d{1,20}")) {
                throw new IllegalArgumentException("a monday item id is a number");
            }
            numbers.add(id);
        }
        String board = search.contactsBoard();
        return send(MondayOperation.READ_ITEMS, variables, "contacts read").thenApply(a -> {
            List<JsonNode> found = new ArrayList<>();
            a.body().at("/data/items").forEach(item -> {
                if (board.equals(item.path("board").path("id").asText())) {
                    found.add(item);
                }
            });
            return found;
        });
    }

    @Override
    public int readsPerRequest() {
        return READS;
    }

    @Override
    public Candidate candidate(JsonNode record) {
        return search.candidate(record);
    }

    /** Once the budget allows; an answer with errors fails, even with data (a page or read that is not whole). */
    private CompletableFuture<CrmHttp.Answer> send(MondayOperation operation, ObjectNode variables, String what) {
        Duration wait = budget.pause();
        if (wait.compareTo(MAX_WAIT) > 0) {
            return CompletableFuture.failedFuture(CrmException.deferred(search.crm(), wait,
                    "monday's complexity budget is down to its reserve"));
        }
        CompletableFuture<Void> ready = wait.isZero() ? CompletableFuture.completedFuture(null)
                : CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(wait.toMillis(), TimeUnit.MILLISECONDS));
        return ready.thenCompose(x -> search.post(CrmMetrics.READ, operation, variables)).thenApply(a -> {
            budget.observe(a.body());
            JsonNode error = a.body().path("errors").path(0);
            if (!error.isMissingNode()) {
                JsonNode ext = error.path("extensions");
                throw CrmException.failed(search.crm(), Math.max(400, ext.path("status_code").asInt(400)), what, ext.path("code").asText(""),
                        false);
            }
            return a;
        });
    }
}
