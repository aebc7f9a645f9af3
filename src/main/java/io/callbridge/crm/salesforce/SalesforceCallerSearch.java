package io.callbridge.crm.salesforce;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callbridge.crm.CallerSearch;
import io.callbridge.crm.Candidate;
import io.callbridge.crm.CrmAuth;
import io.callbridge.crm.CrmException;
import io.callbridge.crm.CrmHttp;
import io.callbridge.crm.Times;
import io.callbridge.phone.PhoneFormats;

/**
 * Salesforce: one composite request per lookup. Contacts by Phone, MobilePhone, HomePhone,
 * OtherPhone and AssistantPhone, unconverted leads by Phone and MobilePhone, each field against
 * every format the number may be typed in ({@code IN}, exact, index-friendly), most recently
 * modified first; in the same round trip the last call (Task of subtype Call), open opportunities
 * and open cases of the first contact, the record the default policy picks when there is a contact.
 * Salesforce allows at most 5 query subrequests per composite request, so a lead's last call is not
 * asked for. When the policy picks another record, the extras are left out rather than fetched late.
 */
final class SalesforceCallerSearch implements CallerSearch {

    static final List<String> CONTACT_PHONES = List.of("Phone", "MobilePhone", "HomePhone", "OtherPhone", "AssistantPhone");
    static final List<String> LEAD_PHONES = List.of("Phone", "MobilePhone");
    private static final Pattern REFERENCE = Pattern.compile("@\\{[A-Za-z0-9_]+\\.[^}]+}");
    private static final int LIMIT = 20;

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
        String body = compositeBody(formats.variants(e164)).toString();
        return http.send(crm(), auth, credentials -> http.request(credentials.apiUrl() + "/services/data/v" + version + "/composite")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body))).thenApply(this::read);
    }

    ObjectNode compositeBody(List<String> variants) {
        String in = SoqlText.list(variants);
        String contactFields = "Id, FirstName, LastName, Name, Email, " + String.join(", ", CONTACT_PHONES)
                + ", OwnerId, Owner.Name, AccountId, Account.Name, LastModifiedDate"
                + (contactStatusField == null ? "" : ", " + contactStatusField);
        String contacts = "SELECT " + contactFields + " FROM Contact WHERE " + anyOf(CONTACT_PHONES, in)
                + " ORDER BY LastModifiedDate DESC LIMIT " + LIMIT;
        String leads = "SELECT Id, FirstName, LastName, Name, Email, Company, Status, " + String.join(", ", LEAD_PHONES)
                + ", OwnerId, Owner.Name, LastModifiedDate FROM Lead WHERE IsConverted != true AND (" + anyOf(LEAD_PHONES, in)
                + ") ORDER BY LastModifiedDate DESC LIMIT " + LIMIT;
        String contact = "'@{contacts.records[0].Id}'";
        ObjectNode body = CrmHttp.JSON.createObjectNode();
        body.put("allOrNone", false);
        ArrayNode subs = body.putArray("compositeRequest");
        query(subs, "contacts", contacts);
        query(subs, "leads", leads);
        query(subs, "contactCall", lastCall(contact));
        query(subs, "contactDeals", "SELECT COUNT() FROM Opportunity WHERE ContactId = " + contact + " AND IsClosed = false");
        query(subs, "contactCases", "SELECT COUNT() FROM Case WHERE ContactId = " + contact + " AND IsClosed = false");
        return body;
    }

    private static String lastCall(String who) {
        return "SELECT Subject, Description, CreatedDate, WhoId FROM Task WHERE WhoId = " + who
                + " AND TaskSubtype = 'Call' ORDER BY CreatedDate DESC LIMIT 1";
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
                .put("url", "/services/data/v" + version + "/query?q=" + encodeKeepingReferences(soql));
    }

    /** URL-encodes a query, leaving composite references ({@code @{ref.path}}) as Salesforce must see them. */
    static String encodeKeepingReferences(String soql) {
        Matcher m = REFERENCE.matcher(soql);
        StringBuilder out = new StringBuilder();
        int last = 0;
        while (m.find()) {
            out.append(URLEncoder.encode(soql.substring(last, m.start()), StandardCharsets.UTF_8)).append(m.group());
            last = m.end();
        }
        return out.append(URLEncoder.encode(soql.substring(last), StandardCharsets.UTF_8)).toString();
    }

    private List<Candidate> read(CrmHttp.Answer a) {
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
        List<Candidate> out = new ArrayList<>();
        JsonNode contacts = byRef.get("contacts").path("body").path("records");
        JsonNode leads = byRef.get("leads").path("body").path("records");
        for (JsonNode r : contacts) {
            out.add(candidate(Candidate.CONTACT, r, CONTACT_PHONES));
        }
        for (JsonNode r : leads) {
            out.add(candidate(Candidate.LEAD, r, LEAD_PHONES));
        }
        if (!out.isEmpty()) {
            extras(out, byRef, contacts);
        }
        return out;
    }

    /** The extras fetched for the first contact go to exactly that record. */
    private void extras(List<Candidate> out, Map<String, JsonNode> byRef, JsonNode contacts) {
        Candidate firstContact = contacts.size() > 0 ? out.get(0) : null;
        if (firstContact != null) {
            lastCall(firstContact, byRef.get("contactCall"));
            firstContact.openDeals = count(byRef.get("contactDeals"));
            firstContact.openCases = count(byRef.get("contactCases"));
        }
    }

    private static void lastCall(Candidate c, JsonNode sub) {
        if (sub == null || sub.path("httpStatusCode").asInt() != 200) {
            return;
        }
        JsonNode task = sub.path("body").path("records").path(0);
        if (task.isMissingNode() || !c.id.equals(task.path("WhoId").asText())) {
            return;
        }
        c.lastCallAt = Times.parse(task.path("CreatedDate").asText(null));
        c.lastCallSummary = Candidate.text(task.path("Description").asText(null)) != null
                ? task.path("Description").asText() : task.path("Subject").asText(null);
    }

    private static Integer count(JsonNode sub) {
        return sub == null || sub.path("httpStatusCode").asInt() != 200 ? null : sub.path("body").path("totalSize").asInt();
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
        for (Iterator<Map.Entry<String, JsonNode>> it = copy.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue().isObject()) {
                ((ObjectNode) e.getValue()).remove("attributes");
            }
        }
        return copy;
    }
}
