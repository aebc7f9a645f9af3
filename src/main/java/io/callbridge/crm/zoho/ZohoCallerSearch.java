package io.callbridge.crm.zoho;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callbridge.crm.CallerListing;
import io.callbridge.crm.CallerSearch;
import io.callbridge.crm.Candidate;
import io.callbridge.crm.CrmAuth;
import io.callbridge.crm.CrmHttp;
import io.callbridge.crm.Times;
import io.callbridge.phone.PhoneFormats;

/**
 * Zoho: Zoho compares phone values as they were typed and documents no normalisation, so one search per module
 * asks for every way the number is commonly written ({@link PhoneFormats#variants}) in every phone field, as one
 * criteria ({@code (Phone:in:…)or(Mobile:in:…)}); the shared mechanism confirms each candidate by normalising what
 * it holds. Contacts and unconverted Leads are searched side by side; Zoho answers 204 without a body when nothing
 * matches. Values are escaped as Zoho asks ({@code ( ) , \} behind a backslash) and the criteria percent-encoded,
 * so a {@code +} is not read as a space.
 */
final class ZohoCallerSearch implements CallerSearch {

    private static final int PER_PAGE = 50;
    /** Zoho's largest page of search results. */
    private static final int MAX_PER_PAGE = 200;
    /** Values Zoho takes in one {@code in} condition. */
    private static final int MAX_IN_VALUES = 100;
    /**
     * The criteria travels in the URL, and a number written a dozen ways in five phone fields takes about 1.7 KB of it:
     * two numbers stay under what a server takes in a request line (a larger set is split in two requests).
     */
    private static final int NUMBERS_PER_SEARCH = 2;
    private static final int MAX_CRITERIA_CHARS = 3500;
    static final String CONTACTS = "Contacts";
    static final String LEADS = "Leads";
    private static final List<String> CONTACT_FIELDS = List.of("First_Name", "Last_Name", "Full_Name", "Email", "Account_Name", "Owner",
            "Modified_Time");
    private static final List<String> LEAD_FIELDS = List.of("First_Name", "Last_Name", "Full_Name", "Email", "Company", "Lead_Status",
            "Owner", "Modified_Time");

    private final CrmHttp http;
    private final CrmAuth auth;
    private final List<String> contactPhones;
    private final List<String> leadPhones;

    ZohoCallerSearch(CrmHttp http, CrmAuth auth, List<String> contactPhones, List<String> leadPhones) {
        this.http = http;
        this.auth = auth;
        this.contactPhones = contactPhones;
        this.leadPhones = leadPhones;
    }

    @Override
    public String crm() {
        return ZohoCrm.NAME;
    }

    @Override
    public void prepare() {
        auth.credentials().exceptionally(e -> null);
    }

    @Override
    public CompletableFuture<List<Candidate>> candidates(String e164, PhoneFormats formats) {
        return candidates(formats.variants(e164), PER_PAGE, () -> CompletableFuture.completedFuture(null));
    }

    @Override
    public int numbersPerSearch() {
        return NUMBERS_PER_SEARCH;
    }

    /**
     * The numbers' variants in the same {@code in} conditions (Zoho takes 100 values in one, and the URL a few KB), one page
     * of Zoho's largest;
     * a page that does not hold every match is searched again number by number.
     */
    @Override
    public CompletableFuture<List<Candidate>> candidates(List<String> e164s, PhoneFormats formats) {
        List<String> variants = new ArrayList<>();
        e164s.forEach(n -> formats.variants(n).stream().filter(v -> !variants.contains(v)).forEach(variants::add));
        if (e164s.size() > 1 && (variants.size() > MAX_IN_VALUES
                || enc(criteria(contactPhones, variants)).length() > MAX_CRITERIA_CHARS)) {
            int half = e164s.size() / 2;
            return candidates(e164s.subList(0, half), formats).thenCombine(candidates(e164s.subList(half, e164s.size()), formats),
                    ZohoCallerSearch::both);
        }
        return candidates(variants, MAX_PER_PAGE, () -> {
            List<CompletableFuture<List<Candidate>>> each = e164s.stream().map(n -> candidates(n, formats)).toList();
            return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new))
                    .thenApply(v -> each.stream().flatMap(f -> f.join().stream()).toList());
        });
    }

    /** Contacts and unconverted leads holding one of the variants; {@code whenMore} when a page did not hold every match. */
    private CompletableFuture<List<Candidate>> candidates(List<String> variants, int perPage,
            java.util.function.Supplier<CompletableFuture<List<Candidate>>> whenMore) {
        CompletableFuture<Page> contacts = search(CONTACTS, variants, perPage, "");
        CompletableFuture<Page> leads = leadPhones.isEmpty() ? CompletableFuture.completedFuture(new Page(List.of(), false))
                : search(LEADS, variants, perPage, "&converted=false");
        return contacts.thenCombine(leads, (c, l) -> new Page(both(c.found(), l.found()), c.more() || l.more()))
                .thenCompose(p -> p.more() && perPage == MAX_PER_PAGE ? whenMore.get() : CompletableFuture.completedFuture(p.found()));
    }

    private static List<Candidate> both(List<Candidate> a, List<Candidate> b) {
        List<Candidate> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private record Page(List<Candidate> found, boolean more) {
    }

    private CompletableFuture<Page> search(String module, List<String> variants, int perPage, String extra) {
        String query = "?criteria=" + enc(criteria(phoneFields(module), variants)) + "&fields=" + enc(fields(module))
                + "&per_page=" + perPage + extra;
        return http.send(crm(), auth, credentials -> http.request(credentials.apiUrl() + "/crm/v8/" + module + "/search" + query).GET())
                .thenApply(a -> {
                    if (a.status() == 204) {
                        return new Page(List.of(), false);
                    }
                    if (!a.ok()) {
                        throw a.failure(module.toLowerCase(java.util.Locale.ROOT) + " search",
                                ZohoDialect.creditsSpent(a.status(), a.headers()));
                    }
                    List<Candidate> out = new ArrayList<>();
                    for (JsonNode r : a.body().path("data")) {
                        out.add(candidate(module, r));
                    }
                    return new Page(out, a.body().path("info").path("more_records").asBoolean(false));
                });
    }

    /** {@code (F1:in:v1,v2)or(F2:in:v1,v2)}, each value escaped. */
    static String criteria(List<String> phoneFields, List<String> variants) {
        StringBuilder values = new StringBuilder();
        for (String v : variants) {
            if (values.length() > 0) {
                values.append(',');
            }
            values.append(escape(v));
        }
        List<String> parts = new ArrayList<>();
        for (String f : phoneFields) {
            parts.add("(" + f + ":in:" + values + ")");
        }
        return parts.size() == 1 ? parts.get(0) : "(" + String.join("or", parts) + ")";
    }

    static String escape(String value) {
        return value.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)").replace(",", "\\,");
    }

    /** The fields a lookup reads of a Contacts or Leads record, its phone fields among them: a comma list for {@code fields}. */
    String fields(String module) {
        Set<String> asked = new LinkedHashSet<>(module.equals(LEADS) ? LEAD_FIELDS : CONTACT_FIELDS);
        asked.addAll(phoneFields(module));
        return String.join(",", asked);
    }

    /** Whether unconverted leads are looked for at all (some phone field of Leads is named). */
    boolean searchesLeads() {
        return !leadPhones.isEmpty();
    }

    private List<String> phoneFields(String module) {
        return module.equals(LEADS) ? leadPhones : contactPhones;
    }

    @Override
    public CallerListing listing() {
        return new ZohoCallerListing(http, auth, this);
    }

    /** A Contacts or Leads record as the search, the list and the read by ids answer it. */
    Candidate candidate(String module, JsonNode r) {
        String type = module.equals(LEADS) ? Candidate.LEAD : Candidate.CONTACT;
        Candidate c = new Candidate(crm(), type, r.path("id").asText());
        c.record = ((ObjectNode) r).deepCopy();
        for (String f : phoneFields(module)) {
            c.phone(r.path(f).asText(null));
        }
        c.firstName = text(r, "First_Name");
        c.lastName = text(r, "Last_Name");
        c.displayName = text(r, "Full_Name");
        c.email = text(r, "Email");
        c.ownerId = text(r.path("Owner"), "id");
        c.ownerName = text(r.path("Owner"), "name");
        c.lastModified = Times.parse(text(r, "Modified_Time"));
        if (Candidate.LEAD.equals(type)) {
            c.company = text(r, "Company");
            c.status = text(r, "Lead_Status");
        } else {
            c.company = text(r.path("Account_Name"), "name");
        }
        return c;
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String text(JsonNode p, String name) {
        JsonNode v = p.get(name);
        return v == null || v.isNull() || !v.isValueNode() ? null : Candidate.text(v.asText());
    }
}
