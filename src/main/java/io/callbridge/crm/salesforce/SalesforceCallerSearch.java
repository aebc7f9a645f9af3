package io.callbridge.crm.salesforce;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
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
import io.callbridge.crm.Times;
import io.callbridge.phone.PhoneFormats;

/**
 * Salesforce: one composite request of three queries for up to {@value #NUMBERS_PER_SEARCH} numbers. Contacts by Phone,
 * MobilePhone, HomePhone, OtherPhone and AssistantPhone, unconverted leads by Phone and MobilePhone, each field against
 * every format the numbers may be typed in ({@code IN}, exact, index-friendly), most recently modified first; each
 * record with its last call (Task of subtype Call) and a contact's open cases as parent-to-child subqueries; and the open
 * opportunities of those contacts ({@code Contact.<phone> IN}, counted per contact). Every record found has its extras,
 * whichever the policy picks, for one API call of the org's daily allocation. Five numbers keep the contacts query's URL
 * (five phone fields, each against every format of every number) well under Salesforce's 16,384-byte limit of a
 * request URI.
 */
final class SalesforceCallerSearch implements CallerSearch {

    static final List<String> CONTACT_PHONES = List.of("Phone", "MobilePhone", "HomePhone", "OtherPhone", "AssistantPhone");
    static final List<String> LEAD_PHONES = List.of("Phone", "MobilePhone");
    private static final int LIMIT = 20;
    static final int NUMBERS_PER_SEARCH = 5;
    /** The key prefix of a Lead's id (a Contact's is 003): ids are unique across objects. */
    static final String LEAD_PREFIX = "00Q";
    /** Where a contact record carries its open opportunities counted: not a Salesforce field (their names begin with a letter). */
    static final String OPEN_DEALS = "_openDeals";
    private static final String LAST_CALL = "(SELECT Subject, Description, CreatedDate FROM Tasks WHERE TaskSubtype = 'Call'"
            + " ORDER BY CreatedDate DESC LIMIT 1)";

    private final CrmHttp http;
    private final CrmAuth auth;
    private final String version;
    private final String contactStatusField;

    SalesforceCallerSearch(CrmHttp http, CrmAuth auth, String apiVersion, String contactStatusField) {
        this.http = http;
        this.auth = auth;
        this.version = apiVersion;
        this.contactStatusField = contactStatusField;
    }

    @Override
    public String crm() {
        return SalesforceCrm.NAME;
    }

    @Override
    public void prepare() {
        auth.credentials().exceptionally(e -> null);
    }

    @Override
    public CompletableFuture<List<Candidate>> candidates(String e164, PhoneFormats formats) {
        return candidates(List.of(e164), formats);
    }

    @Override
    public int numbersPerSearch() {
        return NUMBERS_PER_SEARCH;
    }

    @Override
    public CallerListing listing() {
        return new SalesforceCallerListing(http, auth, version, this);
    }

    @Override
    public CompletableFuture<List<Candidate>> candidates(List<String> e164s, PhoneFormats formats) {
        if (e164s.isEmpty() || e164s.size() > NUMBERS_PER_SEARCH) {
            throw new IllegalArgumentException(crm() + " searches at most " + NUMBERS_PER_SEARCH + " numbers together, not " + e164s.size());
        }
        List<String> variants = e164s.stream().flatMap(n -> formats.variants(n).stream()).distinct().toList();
        String body = compositeBody(variants, e164s.size()).toString();
        return http.send(crm(), auth, credentials -> http.request(credentials.apiUrl() + "/services/data/v" + version + "/composite")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body))).thenApply(this::read);
    }

    private String contactFields() {
        return "Id, FirstName, LastName, Name, Email, " + String.join(", ", CONTACT_PHONES)
                + ", OwnerId, Owner.Name, AccountId, Account.Name, LastModifiedDate"
                + (contactStatusField == null ? "" : ", " + contactStatusField);
    }

    private static String leadFields() {
        return "Id, FirstName, LastName, Name, Email, Company, Status, " + String.join(", ", LEAD_PHONES) + ", OwnerId, Owner.Name, LastModifiedDate";
    }

    /** Every contact with its extras but open deals: what the search filters, and the listing pages through. */
    String contactSelect() {
        return "SELECT " + contactFields() + ", " + LAST_CALL + ", (SELECT Id FROM Cases WHERE IsClosed = false) FROM Contact";
    }

    /** Every unconverted lead with its last call: what the search filters (AND), and the listing pages through. */
    static String leadSelect() {
        return "SELECT " + leadFields() + ", " + LAST_CALL + " FROM Lead WHERE IsConverted != true";
    }

    /** The numbers' contacts and leads, each record with its own extras, in three queries. */
    ObjectNode compositeBody(List<String> variants, int numbers) {
        String in = SoqlText.list(variants);
        int limit = LIMIT * numbers;
        String contacts = contactSelect() + " WHERE " + anyOf(CONTACT_PHONES, in) + " ORDER BY LastModifiedDate DESC LIMIT " + limit;
        String leads = leadSelect() + " AND (" + anyOf(LEAD_PHONES, in) + ") ORDER BY LastModifiedDate DESC LIMIT " + limit;
        List<String> contactPhones = CONTACT_PHONES.stream().map(f -> "Contact." + f).toList();
        String deals = "SELECT ContactId FROM Opportunity WHERE IsClosed = false AND (" + anyOf(contactPhones, in) + ") LIMIT 2000";
        ObjectNode body = CrmHttp.JSON.createObjectNode();
        body.put("allOrNone", false);
        ArrayNode subs = body.putArray("compositeRequest");
        query(subs, "contacts", contacts);
        query(subs, "leads", leads);
        query(subs, "contactDeals", deals);
        return body;
    }

    private List<Candidate> read(CrmHttp.Answer a) {
        Map<String, JsonNode> byRef = answers(a);
        Map<String, Integer> openDeals = new java.util.HashMap<>();
        JsonNode deals = byRef.get("contactDeals");
        boolean dealsKnown = deals != null && deals.path("httpStatusCode").asInt() == 200;
        if (dealsKnown) {
            for (JsonNode o : deals.path("body").path("records")) {
                openDeals.merge(o.path("ContactId").asText(), 1, Integer::sum);
            }
        }
        List<Candidate> out = new ArrayList<>();
        for (JsonNode r : byRef.get("contacts").path("body").path("records")) {
            if (dealsKnown) {
                ((ObjectNode) r).put(OPEN_DEALS, openDeals.getOrDefault(r.path("Id").asText(), 0));
            }
            out.add(candidate(r));
        }
        for (JsonNode r : byRef.get("leads").path("body").path("records")) {
            out.add(candidate(r));
        }
        return out;
    }

    /**
     * A Contact or Lead record as a query above answered it (a lead's id begins {@value #LEAD_PREFIX}), a contact's open
     * deals counted into {@link #OPEN_DEALS} (absent: not known): search, listing and read share this parse.
     */
    Candidate candidate(JsonNode r) {
        boolean lead = r.path("Id").asText().startsWith(LEAD_PREFIX);
        Candidate c = candidate(lead ? Candidate.LEAD : Candidate.CONTACT, r, lead ? LEAD_PHONES : CONTACT_PHONES);
        lastCall(c, r.path("Tasks").path("records").path(0));
        if (!lead) {
            c.openCases = r.path("Cases").isObject() ? r.path("Cases").path("totalSize").asInt() : 0;
            c.openDeals = r.path(OPEN_DEALS).isInt() ? r.get(OPEN_DEALS).asInt() : null;
        }
        return c;
    }

    private static void lastCall(Candidate c, JsonNode task) {
        if (task.isMissingNode()) {
            return;
        }
        c.lastCallAt = Times.parse(task.path("CreatedDate").asText(null));
        c.lastCallSummary = Candidate.text(task.path("Description").asText(null)) != null
                ? task.path("Description").asText() : task.path("Subject").asText(null);
    }

    private static String anyOf(List<String> fields, String in) {
        List<String> parts = new ArrayList<>();
        for (String f : fields) {
            parts.add(f + " IN " + in);
        }
        return String.join(" OR ", parts);
    }

    private void query(ArrayNode subs, String ref, String soql) {
        subs.addObject().put("method", "GET").put("referenceId", ref)
                .put("url", "/services/data/v" + version + "/query?q=" + URLEncoder.encode(soql, StandardCharsets.UTF_8));
    }

    /** The composite's answers by reference; the contacts and leads queries must have succeeded. */
    private Map<String, JsonNode> answers(CrmHttp.Answer a) {
        if (!a.ok()) {
            throw a.failure("composite");
        }
        Map<String, JsonNode> byRef = new java.util.HashMap<>();
        for (JsonNode r : a.body().path("compositeResponse")) {
            byRef.put(r.path("referenceId").asText(), r);
        }
        for (String ref : List.of("contacts", "leads")) {
            JsonNode r = byRef.get(ref);
            if (r == null || r.path("httpStatusCode").asInt() >= 300) {
                throw CrmException.failed(crm(), r == null ? 502 : r.path("httpStatusCode").asInt(), ref + " query",
                        r == null ? "missing" : r.path("body").path(0).path("errorCode").asText(""));
            }
        }
        return byRef;
    }

    private Candidate candidate(String type, JsonNode r, List<String> phoneFields) {
        Candidate c = new Candidate(crm(), type, r.path("Id").asText());
        ObjectNode record = strip(r);
        c.record = record;
        for (String f : phoneFields) {
            c.phone(r.path(f).asText(null));
        }
        c.firstName = text(r, "FirstName");
        c.lastName = text(r, "LastName");
        c.displayName = text(r, "Name");
        c.email = text(r, "Email");
        c.ownerId = text(r, "OwnerId");
        c.ownerName = r.path("Owner").isObject() ? text(r.get("Owner"), "Name") : null;
        c.lastModified = Times.parse(text(r, "LastModifiedDate"));
        if (Candidate.LEAD.equals(type)) {
            c.company = text(r, "Company");
            c.status = text(r, "Status");
        } else {
            c.company = r.path("Account").isObject() ? text(r.get("Account"), "Name") : null;
            if (contactStatusField != null) {
                JsonNode v = r;
                for (String part : contactStatusField.split("\\.")) {
                    v = v.path(part);
                }
                c.status = v.isValueNode() ? Candidate.text(v.asText()) : null;
            }
        }
        return c;
    }

    private static String text(JsonNode r, String field) {
        JsonNode v = r.get(field);
        return v == null || v.isNull() || !v.isValueNode() ? null : Candidate.text(v.asText());
    }

    /** The record as the CRM holds it, without Salesforce's {@code attributes} blocks. */
    private static ObjectNode strip(JsonNode r) {
        ObjectNode copy = ((ObjectNode) r).deepCopy();
        copy.remove("attributes");
        copy.remove(OPEN_DEALS);
        for (Iterator<Map.Entry<String, JsonNode>> it = copy.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue().isObject()) {
                ((ObjectNode) e.getValue()).remove("attributes");
            }
        }
        return copy;
    }
}
