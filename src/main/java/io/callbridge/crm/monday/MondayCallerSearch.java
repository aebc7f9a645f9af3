package io.callbridge.crm.monday;

import java.net.http.HttpRequest;
import java.time.Clock;
import java.util.ArrayList;
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
import io.callbridge.mapping.LiveMappings;
import io.callbridge.phone.PhoneFormats;

/**
 * monday: one items query on the contacts board whose phone columns contain the number's national significant digits
 * ({@code contains_text}, so {@code +41 79…}, {@code 079…} and {@code 0041 79…} all match), each candidate confirmed
 * by normalising what it holds. The board and its column ids are the deployment's, read from the mappings'
 * settings at each lookup; the digits travel as a GraphQL variable. Callers who ring while searches are under way are
 * asked for together, one rule per number and column, any matching. {@link #listing()} reads every item of the board for
 * a caller directory ({@link MondayCallerListing}); search, listing and read select an item alike and share
 * {@link #candidate}.
 */
final class MondayCallerSearch implements CallerSearch {

    private static final int LIMIT = 50;
    /**
     * Numbers searched together: monday has no per-second search limit, but each query costs complexity points of the
     * account's budget a minute, and a burst of callers' rules combined with {@code or} costs one query.
     */
    static final int NUMBERS_PER_SEARCH = 5;

    private final CrmHttp http;
    private final CrmAuth auth;
    private final LiveMappings mappings;
    private final OwnerNames owners;
    private final MondayCallerListing listing;

    /** @param budgetReserve complexity points a minute a listing leaves unspent (for lookups, delivery, other tools) */
    MondayCallerSearch(CrmHttp http, CrmAuth auth, LiveMappings mappings, long budgetReserve, Clock clock) {
        this.http = http;
        this.auth = auth;
        this.mappings = mappings;
        this.owners = new OwnerNames(crm(), this::loadUsers, 600_000);
        this.listing = new MondayCallerListing(this, new MondayBudget(budgetReserve, clock));
    }

    @Override
    public String crm() {
        return MondayCrm.NAME;
    }

    @Override
    public void prepare() {
        owners.refreshIfOld();
    }

    @Override
    public CallerListing listing() {
        return listing;
    }

    @Override
    public int numbersPerSearch() {
        return NUMBERS_PER_SEARCH;
    }

    @Override
    public CompletableFuture<List<Candidate>> candidates(String e164, PhoneFormats formats) {
        return candidates(List.of(e164), formats);
    }

    /** One rule a number and phone column, any of them matching; a full page is asked again number by number. */
    @Override
    public CompletableFuture<List<Candidate>> candidates(List<String> e164s, PhoneFormats formats) {
        JsonNode s = mappings.current().settings(crm());
        List<String> phones = MondayCrm.list(s.path("contact-phone-columns").asText("phone"));
        ObjectNode variables = CrmHttp.JSON.createObjectNode();
        variables.put("board", s.path("contacts-board").asText());
        variables.put("limit", LIMIT);
        ArrayNode rules = variables.putArray("rules");
        for (String e164 : e164s) {
            String digits = formats.nationalSignificantNumber(e164);
            for (String column : phones) {
                ObjectNode rule = rules.addObject().put("column_id", column).put("operator", "contains_text");
                rule.putArray("compare_value").add(digits);
            }
        }
        return post(MondayOperation.SEARCH_ITEMS, variables).thenCompose(a -> {
            JsonNode items = a.body().at("/data/boards/0/items_page/items");
            if (items.size() >= LIMIT && e164s.size() > 1) {
                return candidatesOneByOne(e164s, formats);
            }
            List<Candidate> out = new ArrayList<>();
            for (JsonNode item : items) {
                out.add(candidate(item));
            }
            return CompletableFuture.completedFuture(out);
        });
    }

    /** The contacts board the deployment's mappings name. */
    String contactsBoard() {
        return mappings.current().settings(crm()).path("contacts-board").asText();
    }

    /** An item as a lookup reads it, whether a search, the listing or a read answered it. */
    Candidate candidate(JsonNode item) {
        JsonNode s = mappings.current().settings(crm());
        List<String> phones = MondayCrm.list(s.path("contact-phone-columns").asText("phone"));
        Candidate c = new Candidate(crm(), Candidate.CONTACT, item.path("id").asText());
        Map<String, JsonNode> columns = new HashMap<>();
        item.path("column_values").forEach(v -> columns.put(v.path("id").asText(), v));
        ObjectNode record = CrmHttp.JSON.createObjectNode().put("name", item.path("name").asText(null));
        columns.forEach((id, v) -> record.put(id, Candidate.text(v.path("text").asText(null))));
        c.record = record;
        phones.forEach(p -> c.phone(typed(columns.get(p))));
        c.displayName = Candidate.text(item.path("name").asText(null));
        c.lastModified = io.callbridge.crm.Times.parse(item.path("updated_at").asText(null));
        c.email = text(columns.get(s.path("contact-email-column").asText("email")));
        c.company = text(columns.get(s.path("contact-company-column").asText("company")));
        JsonNode owner = columns.get(s.path("owner-column").asText("owner"));
        if (owner != null && owner.path("value").isTextual()) {
            try {
                JsonNode people = CrmHttp.JSON.readTree(owner.get("value").asText()).path("personsAndTeams");
                for (JsonNode p : people) {
                    if ("person".equals(p.path("kind").asText())) {
                        c.ownerId = p.path("id").asText();
                        break;
                    }
                }
            } catch (java.io.IOException e) {
                c.ownerId = null; // monday's people value is JSON; an unreadable one leaves the owner unknown
            }
        }
        c.ownerName = owners.name(c.ownerId);
        return c;
    }

    /** A phone column's number as it was typed ({@code value.phone}), else as monday shows it. */
    private static String typed(JsonNode column) {
        if (column != null && column.path("value").isTextual()) {
            try {
                JsonNode value = CrmHttp.JSON.readTree(column.get("value").asText());
                if (value.path("phone").isTextual()) {
                    return value.get("phone").asText();
                }
            } catch (java.io.IOException e) {
                return text(column); // not monday's JSON: what it shows is all there is
            }
        }
        return text(column);
    }

    private static String text(JsonNode column) {
        return column == null ? null : Candidate.text(column.path("text").asText(null));
    }

    private CompletableFuture<CrmHttp.Answer> post(MondayOperation operation, ObjectNode variables) {
        return post(CrmMetrics.LOOKUP, operation, variables);
    }

    /**
     * One operation, counted under {@code metric}; an answer without data fails (the budget spent: deferred until it
     * comes back), one with data is the caller's to read.
     */
    CompletableFuture<CrmHttp.Answer> post(String metric, MondayOperation operation, ObjectNode variables) {
        ObjectNode body = CrmHttp.JSON.createObjectNode().put("query", operation.document());
        body.set("variables", variables);
        String json = body.toString();
        return http.send(crm(), metric, auth, credentials -> http.request(credentials.apiUrl() + "/v2").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))).thenApply(a -> {
                    int status = MondayDialect.statusOf(a.status(), a.body());
                    if (status >= 300) {
                        JsonNode ext = a.body().path("errors").path(0).path("extensions");
                        String code = ext.path("code").asText("");
                        if (MondayDialect.BUDGET_SPENT.equals(code)) {
                            // the minute's budget comes back by itself: the command waits for it, no attempt is spent
                            throw CrmException.deferred(crm(), java.time.Duration.ofSeconds(Math.max(1, ext.path("retry_in_seconds").asLong(60))),
                                    "monday's complexity budget is spent");
                        }
                        throw CrmException.failed(crm(), status, operation.id(), code, MondayDialect.QUOTA_CODES.contains(code));
                    }
                    return a;
                });
    }

    private CompletableFuture<Map<String, String>> loadUsers() {
        return post(MondayOperation.USERS, CrmHttp.JSON.createObjectNode()).thenApply(a -> {
            Map<String, String> names = new HashMap<>();
            a.body().at("/data/users").forEach(u -> {
                if (Candidate.text(u.path("name").asText(null)) != null) {
                    names.put(u.path("id").asText(), u.path("name").asText().trim());
                }
            });
            return names;
        });
    }
}
