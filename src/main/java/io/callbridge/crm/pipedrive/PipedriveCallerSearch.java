package io.callbridge.crm.pipedrive;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callbridge.crm.CallerListing;
import io.callbridge.crm.CallerSearch;
import io.callbridge.crm.Candidate;
import io.callbridge.crm.CrmAuth;
import io.callbridge.crm.CrmHttp;
import io.callbridge.crm.OwnerNames;
import io.callbridge.crm.Times;
import io.callbridge.phone.PhoneFormats;

/**
 * Pipedrive: one person search per lookup, by the number's national significant digits in the
 * phone field (Pipedrive compares digits, ignoring formatting; a partial match catches every prefix
 * form: {@code +41…}, {@code 0041…}, {@code 0…}, {@code +41 (0)…}), confirmed by normalisation. The
 * term travels URL-encoded as a query parameter, so it can never become part of the path or
 * another parameter. Search results carry no modification time: only when several persons match
 * are they read again ({@code ids=}) for the policy; a connector asking for the full record also
 * gets it that way. Pipedrive persons are all contacts (its leads live in the Leads Inbox). Its
 * {@link #listing()} reads every person for a caller directory; the persons it answers are whole, so they are
 * never read again to complete them.
 */
final class PipedriveCallerSearch implements CallerSearch {

    private static final int LIMIT = 50;
    /** The most ids Pipedrive's person list takes ({@code ids}). */
    static final int READS_PER_REQUEST = 100;

    private final CrmHttp http;
    private final String baseUrl;
    private final CrmAuth auth;
    private final OwnerNames owners;
    /**
     * A listed or re-read person names its organization by id only; a search result names it. Loaded on first use, so only
     * a caller directory's read pays for it, not every start.
     */
    private final OwnerNames organizations;

    PipedriveCallerSearch(CrmHttp http, String baseUrl, CrmAuth auth) {
        this.http = http;
        this.baseUrl = baseUrl;
        this.auth = auth;
        this.owners = new OwnerNames(crm(), this::loadUsers, 600_000);
        this.organizations = new OwnerNames(crm(), "organization names", () -> loadOrganizations(null, new HashMap<>()), 600_000);
    }

    @Override
    public String crm() {
        return PipedriveCrm.NAME;
    }

    @Override
    public void prepare() {
        owners.refreshIfOld();
    }

    @Override
    public CompletableFuture<List<Candidate>> candidates(String e164, PhoneFormats formats) {
        String term = formats.nationalSignificantNumber(e164);
        return get("/api/v2/persons/search?term=" + enc(term) + "&fields=phone&limit=" + LIMIT).thenApply(a -> {
            if (!a.ok()) {
                throw a.failure("person search");
            }
            List<Candidate> out = new ArrayList<>();
            for (JsonNode hit : a.body().path("data").path("items")) {
                Candidate c = candidate(hit.path("item"));
                c.recordComplete = false;
                out.add(c);
            }
            return out;
        });
    }

    /** Only search results are completed: a person the list or a read by ids answered is whole already. */
    @Override
    public CompletableFuture<List<Candidate>> complete(List<Candidate> confirmed, boolean full) {
        List<Candidate> partial = confirmed.stream().filter(c -> !c.recordComplete).toList();
        if (partial.isEmpty() || (confirmed.size() == 1 && !full)) {
            return CompletableFuture.completedFuture(confirmed);
        }
        return get(byIds(partial.stream().map(Candidate::id).toList())).thenApply(a -> {
            if (!a.ok()) {
                throw a.failure("persons");
            }
            Map<String, JsonNode> byId = new HashMap<>();
            a.body().path("data").forEach(p -> byId.put(p.path("id").asText(), p));
            for (Candidate c : partial) {
                JsonNode p = byId.get(c.id);
                if (p != null) {
                    c.record = ((ObjectNode) p).deepCopy();
                    c.recordComplete = true;
                    c.firstName = text(p, "first_name");
                    c.lastName = text(p, "last_name");
                    c.lastModified = Times.parse(text(p, "update_time"));
                }
            }
            return confirmed;
        });
    }

    /**
     * A person as a search result ({@code phones} and {@code emails} as strings, {@code owner} and {@code organization}
     * as objects) or as the list and a read by ids answer it ({@code phones} and {@code emails} as objects, names split,
     * {@code owner_id} and {@code org_id}, {@code update_time}): the organization's name is in search results only.
     */
    Candidate candidate(JsonNode p) {
        Candidate c = new Candidate(crm(), Candidate.CONTACT, p.path("id").asText());
        p.path("phones").forEach(ph -> c.phone(value(ph)));
        c.displayName = text(p, "name");
        c.firstName = text(p, "first_name");
        c.lastName = text(p, "last_name");
        c.email = Candidate.text(value(p.path("emails").path(0)));
        c.company = text(p.path("organization"), "name");
        if (c.company == null && p.has("org_id")) {
            c.company = organizations.name(text(p, "org_id"));
        }
        c.ownerId = p.has("owner_id") ? text(p, "owner_id") : text(p.path("owner"), "id");
        c.ownerName = owners.name(c.ownerId);
        c.lastModified = Times.parse(text(p, "update_time"));
        c.record = ((ObjectNode) p).deepCopy();
        return c;
    }

    /** Persons read again by id, up to {@link #READS_PER_REQUEST}, all on one page; a person gone is not answered. */
    static String byIds(List<String> ids) {
        return "/api/v2/persons?ids=" + enc(String.join(",", ids)) + "&limit=" + READS_PER_REQUEST;
    }

    @Override
    public CallerListing listing() {
        return new PipedriveCallerListing(http, baseUrl, auth, this);
    }

    private CompletableFuture<CrmHttp.Answer> get(String pathAndQuery) {
        return http.send(crm(), auth, credentials -> http.request(baseUrl + pathAndQuery).GET());
    }

    private CompletableFuture<Map<String, String>> loadUsers() {
        return get("/v1/users").thenApply(a -> {
            if (!a.ok()) {
                throw a.failure("users");
            }
            Map<String, String> names = new HashMap<>();
            a.body().path("data").forEach(u -> {
                if (Candidate.text(u.path("name").asText(null)) != null) {
                    names.put(u.path("id").asText(), u.path("name").asText().trim());
                }
            });
            return names;
        });
    }

    /** Every organization's name, 500 a page (the v2 list's largest), following {@code next_cursor}. */
    private CompletableFuture<Map<String, String>> loadOrganizations(String cursor, Map<String, String> names) {
        String query = "/api/v2/organizations?limit=500" + (cursor == null ? "" : "&cursor=" + enc(cursor));
        return get(query).thenCompose(a -> {
            if (!a.ok()) {
                throw a.failure("organizations");
            }
            a.body().path("data").forEach(o -> {
                if (Candidate.text(o.path("name").asText(null)) != null) {
                    names.put(o.path("id").asText(), o.path("name").asText().trim());
                }
            });
            String next = a.body().path("additional_data").path("next_cursor").textValue();
            return next == null || next.isEmpty() ? CompletableFuture.completedFuture(names) : loadOrganizations(next, names);
        });
    }

    private static String value(JsonNode item) {
        return item.isObject() ? item.path("value").asText(null) : item.asText(null);
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String text(JsonNode p, String name) {
        JsonNode v = p.get(name);
        return v == null || v.isNull() || !v.isValueNode() ? null : Candidate.text(v.asText());
    }
}
