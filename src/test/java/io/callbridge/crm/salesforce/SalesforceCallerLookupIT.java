package io.callbridge.crm.salesforce;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callbridge.phone.PhoneFormats;
import io.callbridge.sandbox.CrmSandbox;
import io.callbridge.sandbox.SandboxSettings;
import io.callbridge.support.CallerLookupContract;
import io.callbridge.support.Events;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Caller lookups with Salesforce as the primary CRM: Contact and Lead phone fields, one composite round trip. */
class SalesforceCallerLookupIT extends CallerLookupContract {

    private static String token;

    @BeforeAll
    static void start() {
        sandbox = CrmSandbox.start(SandboxSettings.builder().port(0).seed(11).clock(clock)
                .config("salesforce", Map.of("client-id", SalesforceFixture.CLIENT_ID, "client-secret", SalesforceFixture.CLIENT_SECRET,
                        "custom-fields", SalesforceFixture.CUSTOM_FIELDS))
                .build());
        app = startApp("salesforce", Map.of(
                "callbridge.crm.salesforce.login-url", sandbox.baseUrl("salesforce"),
                "callbridge.crm.salesforce.client-id", SalesforceFixture.CLIENT_ID,
                "callbridge.crm.salesforce.client-secret", SalesforceFixture.CLIENT_SECRET));
    }

    @Override
    protected String crm() {
        return "salesforce";
    }

    @Override
    protected String searchPath() {
        return "/composite";
    }

    @Override
    protected String contact(String first, String last, String... phones) {
        ObjectNode c = Events.JSON.createObjectNode().put("FirstName", first).put("LastName", last);
        for (int i = 0; i < phones.length; i++) {
            c.put(SalesforceCallerSearch.CONTACT_PHONES.get(i), phones[i]);
        }
        return create("Contact", c);
    }

    @Override
    protected void touch(String id) {
        HttpResponse<String> r = call("PATCH", "/services/data/v60.0/sobjects/Contact/" + id,
                Events.JSON.createObjectNode().put("Title", "touched"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(204);
    }

    @Test
    void aLeadOnlyMatchIsALead() {
        String lead = create("Lead", Events.JSON.createObjectNode().put("FirstName", "Léa").put("LastName", "Lead")
                .put("Company", "Prospects SA").put("MobilePhone", "079 666 77 88").put("Status", "Working - Contacted"));
        JsonNode p = json(lookup("+41796667788"));
        assertThat(p.get("recordType").asText()).isEqualTo("lead");
        assertThat(p.get("recordId").asText()).isEqualTo(lead);
        assertThat(p.get("company").asText()).isEqualTo("Prospects SA");
        assertThat(p.get("status").asText()).isEqualTo("Working - Contacted");
        assertThat(p.has("openDeals")).as("leads have no opportunities").isFalse();
    }

    @Test
    void aContactBeatsALeadWithTheSameNumberAndEveryPhoneFieldIsSearched() {
        create("Lead", Events.JSON.createObjectNode().put("LastName", "Same").put("Company", "X").put("Phone", "+41 79 777 88 99"));
        clock.advance(java.time.Duration.ofMinutes(1));
        String contact = create("Contact", Events.JSON.createObjectNode().put("LastName", "Assistant")
                .put("AssistantPhone", "0797778899"));
        JsonNode p = json(lookup("+41797778899"));
        assertThat(p.get("recordId").asText()).isEqualTo(contact);
        assertThat(p.get("matches").asInt()).isEqualTo(2);
    }

    @Test
    void lastCallOpenDealsAndCasesComeInTheSameRoundTrip() {
        String account = create("Account", Events.JSON.createObjectNode().put("Name", "Dupont SA"));
        String id = create("Contact", Events.JSON.createObjectNode().put("FirstName", "Jean").put("LastName", "Complet")
                .put("AccountId", account).put("MobilePhone", "+41 78 900 10 20"));
        create("Task", Events.JSON.createObjectNode().put("Subject", "Appel entrant").put("TaskSubtype", "Call")
                .put("Description", "Question sur la commande 4411").put("WhoId", id).put("Status", "Completed"));
        create("Opportunity", Events.JSON.createObjectNode().put("Name", "Produit X").put("StageName", "Prospecting")
                .put("CloseDate", "2027-01-31").put("ContactId", id));
        create("Opportunity", Events.JSON.createObjectNode().put("Name", "Old").put("StageName", "Closed Won")
                .put("CloseDate", "2026-01-31").put("ContactId", id));
        create("Case", Events.JSON.createObjectNode().put("Subject", "Livraison").put("Origin", "Phone").put("ContactId", id));
        long before = requestsTo("/composite");
        long queriesBefore = requestsTo("/query");

        JsonNode p = json(lookup("+41789001020"));

        assertThat(requestsTo("/composite") - before).as("one round trip").isEqualTo(1);
        PhoneFormats formats = new PhoneFormats("CH");
        List<String> fiveNumbers = java.util.stream.IntStream.range(0, SalesforceCallerSearch.NUMBERS_PER_SEARCH)
                .mapToObj(i -> "+4178900102" + i).flatMap(n -> formats.variants(n).stream()).toList();
        JsonNode together = new SalesforceCallerSearch(null, null, "60.0", null)
                .compositeBody(fiveNumbers, SalesforceCallerSearch.NUMBERS_PER_SEARCH).get("compositeRequest");
        assertThat(together).as("Salesforce allows 5 queries per composite request").hasSizeLessThanOrEqualTo(5);
        assertThat(together).as("each query's URI under Salesforce's 16,384 bytes")
                .allSatisfy(q -> assertThat(q.get("url").asText().length()).isLessThan(16_384 - 200));
        assertThat(requestsTo("/query")).isEqualTo(queriesBefore);
        assertThat(p.get("company").asText()).isEqualTo("Dupont SA");
        assertThat(p.at("/lastCall/summary").asText()).isEqualTo("Question sur la commande 4411");
        assertThat(p.at("/lastCall/at").asText()).isNotEmpty();
        assertThat(p.get("openDeals").asInt()).isEqualTo(1);
        assertThat(p.get("openCases").asInt()).isEqualTo(1);
        assertThat(p.at("/owner/id").asText()).isNotEmpty();
        JsonNode forSupport = json(lookupWith(SUPPORT, "+41789001020"));
        assertThat(forSupport.get("company").asText()).as("support greets the caller too").isEqualTo("Dupont SA");
        assertThat(forSupport.has("openDeals") || forSupport.has("openCases")).as("but sees no deals or cases").isFalse();
        assertThat(p.get("greetingContext").asText()).startsWith("Jean Complet (Dupont SA); dernier appel le ")
                .endsWith(" : Question sur la commande 4411.");
    }

    @Test
    void callersRingingTogetherAreSearchedTogetherEachWithItsOwnLastCallDealsAndCases() throws Exception {
        int callers = 12;
        List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < callers; i++) {
            String phone = String.format("079 310 %02d 00", i);
            ids.add(i == 1 ? create("Lead", Events.JSON.createObjectNode().put("LastName", "Ensemble" + i).put("Company", "Prospects SA")
                    .put("MobilePhone", phone)) : contact("Jean", "Ensemble" + i, phone));
        }
        create("Task", Events.JSON.createObjectNode().put("Subject", "Appel entrant").put("TaskSubtype", "Call")
                .put("Description", "Rappeler pour le devis").put("WhoId", ids.get(0)).put("Status", "Completed"));
        create("Opportunity", Events.JSON.createObjectNode().put("Name", "Devis").put("StageName", "Prospecting")
                .put("CloseDate", "2027-01-31").put("ContactId", ids.get(0)));
        create("Case", Events.JSON.createObjectNode().put("Subject", "Panne").put("Origin", "Phone").put("ContactId", ids.get(0)));
        create("Task", Events.JSON.createObjectNode().put("Subject", "Appel entrant").put("TaskSubtype", "Call")
                .put("Description", "Intéressée par l'offre").put("WhoId", ids.get(1)).put("Status", "Completed"));
        // Salesforce taking 100 ms a search: the callers who ring meanwhile wait for one to come back, then go together
        HttpResponse<String> slow = Events.send(HttpRequest.newBuilder(URI.create(sandbox.adminUrl() + "/salesforce/faults"))
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(
                        "{\"latencyMs\":100,\"match\":\"/composite\"}")).build());
        assertThat(slow.statusCode()).as(slow.body()).isEqualTo(200);
        long before = requestsTo("/composite");
        java.util.concurrent.ExecutorService phones = java.util.concurrent.Executors.newFixedThreadPool(callers);
        try {
            List<java.util.concurrent.Future<HttpResponse<String>>> rings = new java.util.ArrayList<>();
            for (int i = 0; i < callers; i++) {
                String e164 = String.format("+4179310%02d00", i);
                rings.add(phones.submit(() -> lookup(e164)));
            }
            for (java.util.concurrent.Future<HttpResponse<String>> ring : rings) {
                assertThat(ring.get(10, java.util.concurrent.TimeUnit.SECONDS).statusCode()).isIn(200, 503);
            }
        } finally {
            phones.shutdownNow();
            Events.send(HttpRequest.newBuilder(URI.create(sandbox.adminUrl() + "/salesforce/faults")).DELETE().build());
        }
        long searches = requestsTo("/composite") - before;
        assertThat(searches).as("%d callers at once, up to 5 numbers a composite request", callers).isBetween(3L, (long) callers - 3);

        for (int i = 0; i < callers; i++) {
            JsonNode p = json(lookup(String.format("+4179310%02d00", i)));
            assertThat(p.get("recordId").asText()).as("caller %d", i).isEqualTo(ids.get(i));
        }
        JsonNode first = json(lookup("+41793100000"));
        assertThat(first.at("/lastCall/summary").asText()).isEqualTo("Rappeler pour le devis");
        assertThat(first.get("openDeals").asInt()).isEqualTo(1);
        assertThat(first.get("openCases").asInt()).isEqualTo(1);
        JsonNode lead = json(lookup("+41793100100"));
        assertThat(lead.get("recordType").asText()).isEqualTo("lead");
        assertThat(lead.at("/lastCall/summary").asText()).isEqualTo("Intéressée par l'offre");
        JsonNode other = json(lookup("+41793100500"));
        assertThat(other.get("openDeals").asInt()).isZero();
        assertThat(other.has("lastCall")).isFalse();
    }

    @Test
    void anExpiredSessionIsRenewedTransparently() {
        String id = contact("Sess", "Ion", "+41 79 818 18 18");
        Events.send(HttpRequest.newBuilder(URI.create(sandbox.adminUrl() + "/salesforce/tokens/expire"))
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        HttpResponse<String> r = lookup("+41798181818");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(json(r).get("recordId").asText()).isEqualTo(id);
    }

    @Test
    void soqlLiteralsMatchHostileValuesLiterallyOnTheSandbox() {
        List<String> hostile = List.of("O'Brien", "x' OR LastName != '", "back\\slash", "\\' OR Name LIKE '%", "100%", "a_b",
                "quote\"d", "line\nbreak", "') OR (Id != null");
        for (String h : hostile) {
            create("Contact", Events.JSON.createObjectNode().put("LastName", h));
        }
        create("Contact", Events.JSON.createObjectNode().put("LastName", "bystander"));
        for (String h : hostile) {
            JsonNode eq = query("SELECT LastName FROM Contact WHERE LastName = " + SoqlText.quote(h));
            assertThat(eq).as(h).hasSize(1);
            assertThat(eq.get(0).get("LastName").asText()).isEqualTo(h);
            JsonNode like = query("SELECT LastName FROM Contact WHERE LastName LIKE " + SoqlText.quoteLike(h));
            assertThat(like).as("LIKE " + h).hasSize(1);
            JsonNode in = query("SELECT LastName FROM Contact WHERE LastName IN " + SoqlText.list(List.of(h, "nobody")));
            assertThat(in).as("IN " + h).hasSize(1);
        }
    }

    @Test
    void theContactFinderAnswersTheTemplateShape() throws Exception {
        String id = contact("Finn", "Finder", "+41 79 919 19 19");
        JsonNode found = callers().records("salesforce").find("+41799191919");
        assertThat(found.get("id").asText()).isEqualTo(id);
        assertThat(found.get("type").asText()).isEqualTo("contact");
        assertThat(found.get("ownerId").asText()).isNotEmpty();
        assertThat(found.at("/record/LastName").asText()).isEqualTo("Finder");
        assertThat(found.at("/record/attributes").isMissingNode()).isTrue();
        assertThat(callers().records("salesforce").find("+41799191918")).isNull();
    }

    // ---- the org, over HTTP -----------------------------------------------------------------------

    static String create(String sobject, ObjectNode fields) {
        HttpResponse<String> r = call("POST", "/services/data/v60.0/sobjects/" + sobject, fields);
        assertThat(r.statusCode()).as(sobject + ": " + r.body()).isEqualTo(201);
        return json(r).get("id").asText();
    }

    static JsonNode query(String soql) {
        HttpResponse<String> r = call("GET", "/services/data/v60.0/query?q=" + URLEncoder.encode(soql, StandardCharsets.UTF_8), null);
        assertThat(r.statusCode()).as(soql + " -> " + r.body()).isEqualTo(200);
        return json(r).get("records");
    }

    static HttpResponse<String> call(String method, String path, JsonNode body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(sandbox.baseUrl("salesforce") + path))
                .header("Authorization", "Bearer " + token());
        if (body == null) {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body.toString()));
        }
        HttpResponse<String> r = Events.send(b.build());
        if (r.statusCode() == 401) {
            token = null;
            return call(method, path, body);
        }
        return r;
    }

    private static String token() {
        if (token == null) {
            String form = "grant_type=client_credentials&client_id=" + SalesforceFixture.CLIENT_ID + "&client_secret=" + SalesforceFixture.CLIENT_SECRET;
            HttpResponse<String> r = Events.send(HttpRequest.newBuilder(URI.create(sandbox.baseUrl("salesforce") + "/services/oauth2/token"))
                    .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build());
            token = json(r).get("access_token").asText();
        }
        return token;
    }
}
