package io.callbridge.crm.zoho;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callbridge.crm.CallerListing;
import io.callbridge.crm.Candidate;
import io.callbridge.crm.CrmAuth;
import io.callbridge.crm.CrmException;
import io.callbridge.crm.CrmHttp;
import io.callbridge.crm.CrmMetrics;

/**
 * Zoho's Contacts, then its unconverted Leads, for a caller directory: Get Records ({@code GET /crm/v8/<module>}) 200 at a
 * time with the fields a lookup reads, following {@code info.next_page_token} ({@code page} alone stops at 2,000 records);
 * the cursor names the module it pages. Changed records are read by {@code ids} (up to 100) in Contacts, and those not
 * found there in Leads: an id is unique across Zoho's modules, and one in neither is gone (or a lead converted since).
 * Each record is kept as {@code {"module", "record"}}, the record as Zoho answered it, since a Contact and a Lead are
 * read differently and Zoho's answer does not say which it is.
 */
final class ZohoCallerListing implements CallerListing {

    private static final int PER_PAGE = 200;
    private static final int IDS_PER_READ = 100;

    private final CrmHttp http;
    private final CrmAuth auth;
    private final ZohoCallerSearch search;

    ZohoCallerListing(CrmHttp http, CrmAuth auth, ZohoCallerSearch search) {
        this.http = http;
        this.auth = auth;
        this.search = search;
    }

    /** The cursor: {@code <module>|<page_token>}, the token empty on a module's first page. */
    @Override
    public CompletableFuture<Page> page(String cursor) {
        String module = cursor == null ? ZohoCallerSearch.CONTACTS : cursor.substring(0, cursor.indexOf('|'));
        String token = cursor == null ? "" : cursor.substring(cursor.indexOf('|') + 1);
        String query = "&per_page=" + PER_PAGE + (token.isEmpty() ? "" : "&page_token=" + ZohoCallerSearch.enc(token));
        return get(module, query, "list").thenApply(a -> {
            List<JsonNode> records = records(module, a);
            JsonNode info = a.status() == 204 ? CrmHttp.JSON.createObjectNode() : a.body().path("info");
            if (!info.path("more_records").asBoolean(false)) {
                return new Page(records, after(module));
            }
            JsonNode next = info.path("next_page_token");
            if (!next.isTextual() || next.asText().isEmpty()) {
                // page numbers would stop at 2,000 records: a directory that silently missed the rest would answer "unknown"
                throw CrmException.failed(ZohoCrm.NAME, a.status(), module.toLowerCase(java.util.Locale.ROOT) + " list",
                        "more_records without a next_page_token");
            }
            return new Page(records, module + "|" + next.asText());
        });
    }

    private String after(String module) {
        return module.equals(ZohoCallerSearch.CONTACTS) && search.searchesLeads() ? ZohoCallerSearch.LEADS + "|" : null;
    }

    @Override
    public CompletableFuture<List<JsonNode>> read(List<String> ids) {
        return read(ZohoCallerSearch.CONTACTS, ids).thenCompose(contacts -> {
            List<String> rest = new ArrayList<>(ids);
            contacts.forEach(r -> rest.remove(id(r)));
            if (rest.isEmpty() || !search.searchesLeads()) {
                return CompletableFuture.completedFuture(contacts);
            }
            return read(ZohoCallerSearch.LEADS, rest).thenApply(leads -> {
                List<JsonNode> all = new ArrayList<>(contacts);
                all.addAll(leads);
                return all;
            });
        });
    }

    private CompletableFuture<List<JsonNode>> read(String module, List<String> ids) {
        return get(module, "&ids=" + ZohoCallerSearch.enc(String.join(",", ids)), "read").thenApply(a -> records(module, a));
    }

    /** Get Records of the module with the lookup's fields; Leads unconverted only, as the search. */
    private CompletableFuture<CrmHttp.Answer> get(String module, String query, String what) {
        String url = "/crm/v8/" + module + "?fields=" + ZohoCallerSearch.enc(search.fields(module))
                + (module.equals(ZohoCallerSearch.LEADS) ? "&converted=false" : "") + query;
        return http.send(ZohoCrm.NAME, CrmMetrics.READ, auth, credentials -> http.request(credentials.apiUrl() + url).GET())
                .thenApply(a -> {
                    if (!a.ok()) {
                        throw a.failure(module.toLowerCase(java.util.Locale.ROOT) + " " + what,
                                ZohoDialect.creditsSpent(a.status(), a.headers()));
                    }
                    return a;
                });
    }

    /** Zoho answers 204 without a body when nothing is left. */
    private static List<JsonNode> records(String module, CrmHttp.Answer a) {
        List<JsonNode> records = new ArrayList<>();
        if (a.status() != 204) {
            for (JsonNode r : a.body().path("data")) {
                ObjectNode kept = CrmHttp.JSON.createObjectNode().put("module", module);
                kept.set("record", r);
                records.add(kept);
            }
        }
        return records;
    }

    @Override
    public int readsPerRequest() {
        return IDS_PER_READ;
    }

    @Override
    public String id(JsonNode record) {
        return record.path("record").path("id").asText();
    }

    @Override
    public Candidate candidate(JsonNode record) {
        return search.candidate(record.path("module").asText(), record.path("record"));
    }
}
