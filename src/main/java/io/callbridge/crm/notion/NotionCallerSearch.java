package io.callbridge.crm.notion;

import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callbridge.crm.CallerListing;
import io.callbridge.crm.CallerSearch;
import io.callbridge.crm.Candidate;
import io.callbridge.crm.CrmAuth;
import io.callbridge.crm.CrmException;
import io.callbridge.crm.CrmHttp;
import io.callbridge.crm.CrmMetrics;
import io.callbridge.crm.OwnerNames;
import io.callbridge.crm.Times;
import io.callbridge.crm.rest.RestDialect;
import io.callbridge.mapping.LiveMappings;
import io.callbridge.phone.PhoneFormats;

/**
 * Notion: a phone property holds the number as it was typed and Notion compares strings as they are, so one query of
 * the contacts data source asks, in one {@code or}, for the E.164 text property Callbridge keeps ({@code equals}) and
 * for every phone property equal to each way the number is commonly written ({@link PhoneFormats#variants}); the
 * shared mechanism confirms each candidate by normalising what it holds. Several callers' numbers share one query while
 * Notion's 100 conditions hold them: Notion's 3 requests a second are shared by everything Callbridge asks it. The data
 * source and property names are the deployment's, read from the mappings' settings at each lookup; owners' names come
 * from the workspace's users.
 */
final class NotionCallerSearch implements CallerSearch {

    /** Notion's largest page. */
    private static final int PAGE_SIZE = 100;
    /** Notion's most conditions in one compound filter. */
    private static final int MAX_CONDITIONS = 100;

    private final CrmHttp http;
    private final CrmAuth auth;
    private final LiveMappings mappings;
    private final NotionDialect dialect;
    private final OwnerNames owners;

    NotionCallerSearch(CrmHttp http, CrmAuth auth, LiveMappings mappings, NotionDialect dialect) {
        this.http = http;
        this.auth = auth;
        this.mappings = mappings;
        this.dialect = dialect;
        this.owners = new OwnerNames(crm(), this::loadUsers, 600_000);
    }

    @Override
    public String crm() {
        return NotionCrm.NAME;
    }

    @Override
    public CallerListing listing() {
        return new NotionCallerListing(this);
    }

    @Override
    public void prepare() {
        owners.refreshIfOld();
    }

    /**
     * As many numbers as Notion's 100 conditions of one {@code or} hold, each number written every way
     * ({@link PhoneFormats#MAX_VARIANTS}) in every phone property of the deployment, plus its E.164 property.
     */
    @Override
    public int numbersPerSearch() {
        JsonNode s = mappings.current().settings(crm());
        int perNumber = PhoneFormats.MAX_VARIANTS * list(s.path("contact-phone-properties").asText("Phone")).size()
                + (s.path("contact-e164-property").asText("").isBlank() ? 0 : 1);
        return Math.max(1, MAX_CONDITIONS / perNumber);
    }

    @Override
    public CompletableFuture<List<Candidate>> candidates(String e164, PhoneFormats formats) {
        return candidates(List.of(e164), formats);
    }

    /** One query for the numbers; if its page cannot hold every match, each number is asked again on its own. */
    @Override
    public CompletableFuture<List<Candidate>> candidates(List<String> e164s, PhoneFormats formats) {
        JsonNode s = mappings.current().settings(crm());
        List<String> phones = list(s.path("contact-phone-properties").asText("Phone"));
        String e164Property = s.path("contact-e164-property").asText("");
        ObjectNode filter = CrmHttp.JSON.createObjectNode();
        ArrayNode or = filter.putArray("or");
        for (String e164 : e164s) {
            or.addAll((ArrayNode) filter(e164, formats.variants(e164), phones, e164Property).get("or"));
        }
        if (or.size() > MAX_CONDITIONS) {
            throw new IllegalArgumentException(crm() + " takes " + MAX_CONDITIONS + " conditions in one filter; "
                    + e164s.size() + " numbers need " + or.size());
        }
        return search(filter).thenCompose(body -> {
            if (body.path("has_more").asBoolean(false) && e164s.size() > 1) {
                return candidatesOneByOne(e164s, formats);
            }
            List<Candidate> out = new ArrayList<>();
            for (JsonNode page : body.path("results")) {
                out.add(candidate(page));
            }
            return CompletableFuture.completedFuture(out);
        });
    }

    private CompletableFuture<JsonNode> search(ObjectNode filter) {
        ObjectNode body = CrmHttp.JSON.createObjectNode();
        body.set("filter", filter);
        body.put("page_size", PAGE_SIZE);
        return query(CrmMetrics.LOOKUP, body).thenApply(a -> {
            // read as deliveries read it: a conflict is Notion's request to try again
            int status = dialect.verdict(a.status(), a.headers(), a.body().toString()).status();
            if (status == 429) {
                // Notion's budget comes back by itself: a delivery waits for it, no attempt is spent
                long seconds = Math.max(1, RestDialect.number(a.headers(), "retry-after"));
                throw CrmException.deferred(crm(), java.time.Duration.ofSeconds(seconds), "Notion answered 429 rate_limited");
            }
            if (status >= 300) {
                throw CrmException.failed(crm(), status, "contacts query", a.body().path("code").asText(""), false);
            }
            return a.body();
        });
    }

    /** A query of the contacts data source, the search's and the listing's: {@code body} its filter, cursor and size. */
    CompletableFuture<CrmHttp.Answer> query(String operation, ObjectNode body) {
        String json = body.toString();
        String path = "/v1/data_sources/" + contactsDataSource() + "/query";
        return http.send(crm(), operation, auth, credentials -> http.request(credentials.apiUrl() + path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    /** The page now (the listing's read of a changed page). */
    CompletableFuture<CrmHttp.Answer> page(String id) {
        String path = "/v1/pages/" + java.net.URLEncoder.encode(id, java.nio.charset.StandardCharsets.UTF_8);
        return http.send(crm(), CrmMetrics.READ, auth, credentials -> http.request(credentials.apiUrl() + path).GET());
    }

    /** The deployment's contacts data source, read at each request as the mappings may change. */
    String contactsDataSource() {
        return mappings.current().settings(crm()).path("contacts-data-source").asText();
    }

    /** {@code {"or":[{E.164 property equals}, {phone property equals variant}…]}}, at most Notion's 100 conditions. */
    static ObjectNode filter(String e164, List<String> variants, List<String> phoneProperties, String e164Property) {
        ObjectNode filter = CrmHttp.JSON.createObjectNode();
        ArrayNode or = filter.putArray("or");
        if (!e164Property.isBlank()) {
            or.addObject().put("property", e164Property).putObject("rich_text").put("equals", e164);
        }
        for (String v : variants) {
            for (String p : phoneProperties) {
                if (or.size() < MAX_CONDITIONS) {
                    or.addObject().put("property", p).putObject("phone_number").put("equals", v);
                }
            }
        }
        return filter;
    }

    /** A page of the contacts data source as a lookup reads it, whether a search, the listing or a read answered it. */
    Candidate candidate(JsonNode page) {
        JsonNode s = mappings.current().settings(crm());
        List<String> phones = list(s.path("contact-phone-properties").asText("Phone"));
        String e164Property = s.path("contact-e164-property").asText("");
        Candidate c = new Candidate(crm(), Candidate.CONTACT, page.path("id").asText());
        ObjectNode values = NotionPages.values(page);
        c.record = values;
        phones.forEach(p -> c.phone(values.path(p).asText(null)));
        c.phone(values.path(e164Property).asText(null));
        c.displayName = NotionPages.title(page);
        c.email = text(values, s.path("contact-email-property").asText("Email"));
        c.company = text(values, s.path("contact-company-property").asText("Company"));
        c.status = text(values, s.path("contact-status-property").asText("Status"));
        c.lastCallAt = Times.parse(text(values, s.path("last-call-property").asText("Last call")));
        c.lastCallSummary = text(values, s.path("last-summary-property").asText("Last summary"));
        c.lastModified = Times.parse(page.path("last_edited_time").asText(null));
        c.ownerId = NotionPages.firstPerson(page, s.path("owner-property").asText("Owner"));
        c.ownerName = owners.name(c.ownerId);
        return c;
    }

    private static String text(JsonNode values, String property) {
        JsonNode v = values.get(property);
        return v == null || !v.isValueNode() || v.isNull() ? null : Candidate.text(v.asText());
    }

    /** The workspace's people, 100 per page, following Notion's cursor. */
    private CompletableFuture<Map<String, String>> loadUsers() {
        return usersFrom(null, new HashMap<>());
    }

    private CompletableFuture<Map<String, String>> usersFrom(String cursor, Map<String, String> names) {
        String query = "/v1/users?page_size=100" + (cursor == null ? "" : "&start_cursor=" + java.net.URLEncoder.encode(cursor,
                java.nio.charset.StandardCharsets.UTF_8));
        return http.send(crm(), auth, credentials -> http.request(credentials.apiUrl() + query).GET()).thenCompose(a -> {
            if (!a.ok()) {
                throw a.failure("users");
            }
            a.body().path("results").forEach(u -> {
                if ("person".equals(u.path("type").asText()) && Candidate.text(u.path("name").asText(null)) != null) {
                    names.put(u.path("id").asText(), u.path("name").asText().trim());
                }
            });
            String next = a.body().path("next_cursor").asText(null);
            return a.body().path("has_more").asBoolean(false) && next != null ? usersFrom(next, names) : CompletableFuture.completedFuture(names);
        });
    }

    static List<String> list(String commaList) {
        return Arrays.stream(commaList.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList();
    }
}
