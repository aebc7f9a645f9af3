package io.callbridge.crm.hubspot;

import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
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
 * HubSpot: one search request per lookup (or per sixteen numbers looked up together) on
 * {@code hs_searchable_calculated_phone_number} and
 * {@code hs_searchable_calculated_mobile_number}, the number's digits without country code or
 * formatting that HubSpot keeps for {@code phone} and {@code mobilephone}, so every typed format is
 * found by one value (plus the raw digit forms, for values HubSpot could not parse). The request is
 * JSON built by Jackson: a value can never become an operator. Contacts in an early lifecycle stage
 * are leads. The last call comes from the contact's own properties ({@code callbridge_last_call},
 * {@code callbridge_last_summary}, written by Callbridge; else {@code notes_last_contacted});
 * open deals and tickets need another round trip after the search and are left out.
 */
public final class HubSpotCallerSearch implements CallerSearch {

    private static final int LIMIT = 20;
    /** HubSpot's largest page. */
    private static final int MAX_LIMIT = 200;
    /** Values given to one {@code IN} filter at most, to stay within what HubSpot's search takes. */
    private static final int MAX_IN_VALUES = 100;
    /** A number has up to six digit forms: sixteen numbers stay within one filter's values. */
    private static final int NUMBERS_PER_SEARCH = 16;

    private final CrmHttp http;
    private final String baseUrl;
    private final CrmAuth auth;
    private final String statusProperty;
    private final Set<String> leadStages;
    private final OwnerNames owners;

    public HubSpotCallerSearch(CrmHttp http, String baseUrl, CrmAuth auth, String statusProperty, Set<String> leadStages) {
        this.http = http;
        this.baseUrl = baseUrl;
        this.auth = auth;
        this.statusProperty = statusProperty;
        this.leadStages = leadStages;
        this.owners = new OwnerNames(crm(), this::loadOwners, 600_000);
    }

    @Override
    public String crm() {
        return HubSpotCrm.NAME;
    }

    @Override
    public void prepare() {
        owners.refreshIfOld();
    }

    @Override
    public CompletableFuture<List<Candidate>> candidates(String e164, PhoneFormats formats) {
        return search(searchBody(formats.digitForms(e164), LIMIT)).thenApply(this::read);
    }

    @Override
    public int numbersPerSearch() {
        return NUMBERS_PER_SEARCH;
    }

    /**
     * The numbers' digit forms in the same two {@code IN} filters, one page of HubSpot's largest; a page that does not hold
     * every match (numbers shared by very many contacts) is searched again number by number.
     */
    @Override
    public CompletableFuture<List<Candidate>> candidates(List<String> e164s, PhoneFormats formats) {
        List<String> forms = new ArrayList<>();
        e164s.forEach(n -> formats.digitForms(n).stream().filter(f -> !forms.contains(f)).forEach(forms::add));
        if (forms.size() > MAX_IN_VALUES) {
            int half = e164s.size() / 2;
            return candidates(e164s.subList(0, half), formats).thenCombine(candidates(e164s.subList(half, e164s.size()), formats),
                    (a, b) -> { List<Candidate> all = new ArrayList<>(a); all.addAll(b); return all; });
        }
        return search(searchBody(forms, MAX_LIMIT)).thenCompose(a -> {
            if (a.ok() && a.body().path("paging").path("next").has("after")) {
                return candidatesOneByOne(e164s, formats);
            }
            return CompletableFuture.completedFuture(read(a));
        });
    }

    private CompletableFuture<CrmHttp.Answer> search(ObjectNode body) {
        String json = body.toString();
        return http.send(crm(), auth, credentials -> http.request(baseUrl + "/crm/v3/objects/contacts/search")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    ObjectNode searchBody(List<String> digitForms, int limit) {
        ObjectNode body = CrmHttp.JSON.createObjectNode();
        ArrayNode groups = body.putArray("filterGroups");
        for (String property : List.of("hs_searchable_calculated_phone_number", "hs_searchable_calculated_mobile_number")) {
            ObjectNode filter = groups.addObject().putArray("filters").addObject();
            filter.put("propertyName", property).put("operator", "IN");
            ArrayNode values = filter.putArray("values");
            digitForms.forEach(values::add);
        }
        ArrayNode props = body.putArray("properties");
        properties().forEach(props::add);
        body.putArray("sorts").addObject().put("propertyName", "lastmodifieddate").put("direction", "DESCENDING");
        body.put("limit", limit);
        return body;
    }

    /** The contact properties a lookup reads. */
    List<String> properties() {
        List<String> props = new ArrayList<>(List.of("firstname", "lastname", "email", "phone", "mobilephone", "company",
                "hubspot_owner_id", "lifecyclestage", "hs_lead_status", "lastmodifieddate", "notes_last_contacted",
                "callbridge_last_call", "callbridge_last_summary"));
        if (statusProperty != null && !props.contains(statusProperty)) {
            props.add(statusProperty);
        }
        return props;
    }

    @Override
    public CallerListing listing() {
        return new HubSpotCallerListing(http, baseUrl, auth, this);
    }

    private List<Candidate> read(CrmHttp.Answer a) {
        if (!a.ok()) {
            throw a.failure("contact search");
        }
        List<Candidate> out = new ArrayList<>();
        for (JsonNode r : a.body().path("results")) {
            out.add(candidate(r));
        }
        return out;
    }

    /** A contact as the search, the list and the batch read answer it. */
    Candidate candidate(JsonNode r) {
        JsonNode p = r.path("properties");
        String stage = text(p, "lifecyclestage");
        Candidate c = new Candidate(crm(), stage != null && leadStages.contains(stage) ? Candidate.LEAD : Candidate.CONTACT,
                r.path("id").asText());
        ObjectNode record = CrmHttp.JSON.createObjectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = p.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isNull()) {
                record.set(e.getKey(), e.getValue());
            }
        }
        c.record = record;
        c.phone(text(p, "phone")).phone(text(p, "mobilephone"));
        c.firstName = text(p, "firstname");
        c.lastName = text(p, "lastname");
        c.company = text(p, "company");
        c.email = text(p, "email");
        c.ownerId = text(p, "hubspot_owner_id");
        c.ownerName = owners.name(c.ownerId);
        c.status = statusProperty == null ? null : text(p, statusProperty);
        c.lastModified = Times.parse(text(p, "lastmodifieddate"));
        c.lastCallAt = Times.parse(text(p, "callbridge_last_call"));
        if (c.lastCallAt != null) {
            c.lastCallSummary = text(p, "callbridge_last_summary");
        } else {
            c.lastCallAt = Times.parse(text(p, "notes_last_contacted"));
        }
        return c;
    }

    private CompletableFuture<Map<String, String>> loadOwners() {
        return http.send(crm(), auth, credentials -> http.request(baseUrl + "/crm/v3/owners?limit=500").GET()).thenApply(a -> {
            if (!a.ok()) {
                throw a.failure("owners");
            }
            Map<String, String> names = new HashMap<>();
            for (JsonNode o : a.body().path("results")) {
                String name = (o.path("firstName").asText("") + " " + o.path("lastName").asText("")).trim();
                if (!name.isEmpty()) {
                    names.put(o.path("id").asText(), name);
                }
            }
            return names;
        });
    }

    private static String text(JsonNode p, String name) {
        JsonNode v = p.get(name);
        return v == null || v.isNull() ? null : Candidate.text(v.asText());
    }
}
