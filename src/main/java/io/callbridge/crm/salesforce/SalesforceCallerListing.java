package io.callbridge.crm.salesforce;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callbridge.crm.CallerListing;
import io.callbridge.crm.Candidate;
import io.callbridge.crm.CrmAuth;
import io.callbridge.crm.CrmException;
import io.callbridge.crm.CrmHttp;
import io.callbridge.crm.CrmMetrics;

/**
 * Salesforce's Contacts, then its unconverted Leads, for a caller directory: the search's own SELECTs (each record with
 * its last call, a contact with its open cases) without the phone filter, {@code ORDER BY Id}, in the batches Salesforce
 * answers (2,000 at most) followed by {@code nextRecordsUrl}; the cursor names the object it pages and the URL of its
 * next batch. A contact's open opportunities are counted as the search counts them ({@code ContactId} of the open ones),
 * for the ids of each batch, {@value #IDS_PER_QUERY} a query, all in one composite request: two API calls of the daily
 * allocation per 2,000 contacts. Changed records are read by {@code Id IN} in one composite request (contacts, leads,
 * their open deals); {@value #IDS_PER_QUERY} quoted ids keep each query's URL far below Salesforce's 16,384-byte limit.
 * A record in neither answer is gone (deleted, or a lead converted). Ids are the 18-character ones queries answer and
 * Change Data Capture's {@code recordIds} carry.
 *
 * <p>What a directory profile may lack against a search's: its last call, open cases and open deals are as of the
 * record's last read (the read at start and every resync, or a change of the record itself), since a new Task, Case or
 * Opportunity is no change of the Contact; and open deals are unknown (as when the search's deals query fails) for
 * contacts whose count query failed or came back in more than one batch.
 */
final class SalesforceCallerListing implements CallerListing {

    static final int IDS_PER_QUERY = 200;
    private static final String CONTACT = "Contact";
    private static final String LEAD = "Lead";

    private final CrmHttp http;
    private final CrmAuth auth;
    private final String version;
    private final SalesforceCallerSearch search;

    SalesforceCallerListing(CrmHttp http, CrmAuth auth, String apiVersion, SalesforceCallerSearch search) {
        this.http = http;
        this.auth = auth;
        this.version = apiVersion;
        this.search = search;
    }

    /** The cursor: {@code <object>|<nextRecordsUrl>}, the URL empty on the object's first batch. */
    @Override
    public CompletableFuture<Page> page(String cursor) {
        String object = cursor == null ? CONTACT : cursor.substring(0, cursor.indexOf('|'));
        String next = cursor == null ? "" : cursor.substring(cursor.indexOf('|') + 1);
        String path = !next.isEmpty() ? next : queryPath(object.equals(CONTACT)
                ? search.contactSelect() + " ORDER BY Id" : SalesforceCallerSearch.leadSelect() + " ORDER BY Id");
        return get(path, object.toLowerCase(java.util.Locale.ROOT) + " list").thenCompose(answer -> {
            List<JsonNode> records = new ArrayList<>();
            answer.path("records").forEach(records::add);
            String after = answer.path("done").asBoolean(true)
                    ? (object.equals(CONTACT) ? LEAD + "|" : null)
                    : object + "|" + answer.path("nextRecordsUrl").asText();
            if (!object.equals(CONTACT) || records.isEmpty()) {
                return CompletableFuture.completedFuture(new Page(records, after));
            }
            ObjectNode body = composite();
            List<String> ids = records.stream().map(this::id).toList();
            List<List<String>> chunks = deals((ArrayNode) body.get("compositeRequest"), ids);
            return post(body).thenApply(byRef -> {
                countDeals(records, byRef, chunks);
                return new Page(records, after);
            });
        });
    }

    @Override
    public CompletableFuture<List<JsonNode>> read(List<String> ids) {
        List<String> contacts = ids.stream().filter(id -> !id.startsWith(SalesforceCallerSearch.LEAD_PREFIX)).toList();
        List<String> leads = ids.stream().filter(id -> id.startsWith(SalesforceCallerSearch.LEAD_PREFIX)).toList();
        ObjectNode body = composite();
        ArrayNode subs = (ArrayNode) body.get("compositeRequest");
        if (!contacts.isEmpty()) {
            sub(subs, "contacts", search.contactSelect() + " WHERE Id IN " + SoqlText.list(contacts));
        }
        if (!leads.isEmpty()) {
            sub(subs, "leads", SalesforceCallerSearch.leadSelect() + " AND Id IN " + SoqlText.list(leads));
        }
        List<List<String>> chunks = deals(subs, contacts);
        return post(body).thenApply(byRef -> {
            List<JsonNode> found = new ArrayList<>();
            for (String ref : List.of("contacts", "leads")) {
                JsonNode r = byRef.get(ref);
                if (r == null) {
                    continue;
                }
                if (r.path("httpStatusCode").asInt() >= 300) {
                    throw CrmException.failed(SalesforceCrm.NAME, r.path("httpStatusCode").asInt(), ref + " read",
                            r.path("body").path(0).path("errorCode").asText(""));
                }
                r.path("body").path("records").forEach(found::add);
            }
            countDeals(found.stream().filter(r -> !r.path("Id").asText().startsWith(SalesforceCallerSearch.LEAD_PREFIX)).toList(),
                    byRef, chunks);
            return found;
        });
    }

    /** The open opportunities of these contacts, {@value #IDS_PER_QUERY} ids a query, as {@code deals<n>}; answers the ids of each. */
    private List<List<String>> deals(ArrayNode subs, List<String> contactIds) {
        List<List<String>> chunks = new ArrayList<>();
        for (int i = 0; i < contactIds.size(); i += IDS_PER_QUERY) {
            List<String> chunk = contactIds.subList(i, Math.min(contactIds.size(), i + IDS_PER_QUERY));
            sub(subs, "deals" + chunks.size(), "SELECT ContactId FROM Opportunity WHERE IsClosed = false AND ContactId IN "
                    + SoqlText.list(chunk));
            chunks.add(chunk);
        }
        return chunks;
    }

    /**
     * Each contact's open deals into the record the directory keeps; left unknown for the contacts of a count query that
     * failed or did not end in one batch (a miscount would be shown as fact).
     */
    private void countDeals(List<JsonNode> contacts, Map<String, JsonNode> byRef, List<List<String>> chunks) {
        Map<String, Integer> open = new HashMap<>();
        java.util.Set<String> unknown = new java.util.HashSet<>();
        for (int n = 0; n < chunks.size(); n++) {
            JsonNode r = byRef.get("deals" + n);
            if (r == null || r.path("httpStatusCode").asInt() != 200 || !r.path("body").path("done").asBoolean(false)) {
                unknown.addAll(chunks.get(n));
                continue;
            }
            r.path("body").path("records").forEach(o -> open.merge(o.path("ContactId").asText(), 1, Integer::sum));
        }
        for (JsonNode c : contacts) {
            if (unknown.contains(id(c))) {
                ((ObjectNode) c).remove(SalesforceCallerSearch.OPEN_DEALS);
            } else {
                ((ObjectNode) c).put(SalesforceCallerSearch.OPEN_DEALS, open.getOrDefault(id(c), 0));
            }
        }
    }

    private ObjectNode composite() {
        ObjectNode body = CrmHttp.JSON.createObjectNode();
        body.put("allOrNone", false);
        body.putArray("compositeRequest");
        return body;
    }

    private void sub(ArrayNode subs, String ref, String soql) {
        subs.addObject().put("method", "GET").put("referenceId", ref).put("url", queryPath(soql));
    }

    private String queryPath(String soql) {
        return "/services/data/v" + version + "/query?q=" + URLEncoder.encode(soql, StandardCharsets.UTF_8);
    }

    private CompletableFuture<JsonNode> get(String path, String what) {
        return http.send(SalesforceCrm.NAME, CrmMetrics.READ, auth, credentials -> http.request(credentials.apiUrl() + path).GET())
                .thenApply(a -> {
                    if (!a.ok()) {
                        throw a.failure(what);
                    }
                    return a.body();
                });
    }

    /** The composite's answers by reference. */
    private CompletableFuture<Map<String, JsonNode>> post(ObjectNode body) {
        String json = body.toString();
        return http.send(SalesforceCrm.NAME, CrmMetrics.READ, auth, credentials -> http.request(credentials.apiUrl()
                + "/services/data/v" + version + "/composite").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))).thenApply(a -> {
                    if (!a.ok()) {
                        throw a.failure("composite read");
                    }
                    Map<String, JsonNode> byRef = new HashMap<>();
                    a.body().path("compositeResponse").forEach(r -> byRef.put(r.path("referenceId").asText(), r));
                    return byRef;
                });
    }

    @Override
    public int readsPerRequest() {
        return IDS_PER_QUERY;
    }

    @Override
    public String id(JsonNode record) {
        return record.path("Id").asText();
    }

    @Override
    public Candidate candidate(JsonNode record) {
        return search.candidate(record);
    }
}
