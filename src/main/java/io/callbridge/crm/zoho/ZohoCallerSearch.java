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
        List<String> variants = formats.variants(e164);
        CompletableFuture<List<Candidate>> contacts = search("Contacts", Candidate.CONTACT, contactPhones, CONTACT_FIELDS, variants, "");
        CompletableFuture<List<Candidate>> leads = leadPhones.isEmpty() ? CompletableFuture.completedFuture(List.of())
                : search("Leads", Candidate.LEAD, leadPhones, LEAD_FIELDS, variants, "&converted=false");
        return contacts.thenCombine(leads, (c, l) -> {
            List<Candidate> all = new ArrayList<>(c);
            all.addAll(l);
            return all;
        });
    }

    private CompletableFuture<List<Candidate>> search(String module, String type, List<String> phoneFields, List<String> fields,
            List<String> variants, String extra) {
        Set<String> asked = new LinkedHashSet<>(fields);
        asked.addAll(phoneFields);
        String query = "?criteria=" + enc(criteria(phoneFields, variants)) + "&fields=" + enc(String.join(",", asked))
                + "&per_page=" + PER_PAGE + extra;
        return http.send(crm(), auth, credentials -> http.request(credentials.apiUrl() + "/crm/v8/" + module + "/search" + query).GET())
                .thenApply(a -> {
                    if (a.status() == 204) {
                        return List.<Candidate>of();
                    }
                    if (!a.ok()) {
                        throw a.failure(module.toLowerCase(java.util.Locale.ROOT) + " search",
                                ZohoDialect.creditsSpent(a.status(), a.headers()));
                    }
                    List<Candidate> out = new ArrayList<>();
                    for (JsonNode r : a.body().path("data")) {
                        out.add(candidate(type, r, phoneFields));
                    }
                    return out;
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

    private Candidate candidate(String type, JsonNode r, List<String> phoneFields) {
        Candidate c = new Candidate(crm(), type, r.path("id").asText());
        c.record = ((ObjectNode) r).deepCopy();
        for (String f : phoneFields) {
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

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String text(JsonNode p, String name) {
        JsonNode v = p.get(name);
        return v == null || v.isNull() || !v.isValueNode() ? null : Candidate.text(v.asText());
    }
}
