package io.callbridge.support;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callbridge.identify.Callers;
import io.callbridge.sandbox.CrmSandbox;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What GET /v1/callers/{phone} must do whichever CRM is primary, proven against that CRM's sandbox
 * over real HTTP with Callbridge started as java -jar starts it. Every test uses numbers of its own,
 * so tests never see each other's records or cache entries.
 */
public abstract class CallerLookupContract {

    protected static final String AGENT = "agent-key-identify";
    protected static final String ADMIN = "admin-key-identify";
    protected static final String SUPPORT = "support-key-identify";
    protected static OffsetClock clock = new OffsetClock();
    protected static CrmSandbox sandbox;
    protected static CallbridgeApp app;

    protected abstract String crm();

    /** A person holding the numbers in as many distinct phone fields, as typed. */
    protected abstract String contact(String first, String last, String... phones);

    /** Changes the record so it is the most recently modified. */
    protected abstract void touch(String id);

    protected static CallbridgeApp startApp(String crm, Map<String, String> crmSettings) {
        CallbridgeApp.Builder b = CallbridgeApp.on(TestBroker.shared())
                .with("callbridge.api-keys", AGENT + ":agent," + ADMIN + ":admin," + SUPPORT + ":support")
                .with("callbridge.api-keys.lookups-per-second", "1000")
                .with("callbridge.crm." + crm + ".enabled", "true")
                .with("callbridge.primary-crm", crm)
                .with("callbridge.identify.deadline-ms", "500");
        crmSettings.forEach(b::with);
        CallbridgeApp started = b.start();
        app = started;
        // ready once the CRM has answered one lookup (login done, connections open, code paths warm)
        await().atMost(Duration.ofSeconds(30)).until(() -> lookup("+41 79 000 00 01").statusCode() == 404);
        return started;
    }

    @AfterAll
    protected static void stopAll() {
        if (app != null) {
            app.close();
            app = null;
        }
        if (sandbox != null) {
            sandbox.close();
            sandbox = null;
        }
    }

    protected static HttpResponse<String> lookup(String phone) {
        return lookupWith(AGENT, phone);
    }

    protected static HttpResponse<String> lookupWith(String key, String phone) {
        String path = "/v1/callers/" + URLEncoder.encode(phone, StandardCharsets.UTF_8).replace("+", "%20");
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(app.uri(path).toString())).timeout(Duration.ofSeconds(10)).GET();
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        return Events.send(b.build());
    }

    protected static JsonNode json(HttpResponse<String> r) {
        return Events.parse(r.body().getBytes(StandardCharsets.UTF_8));
    }

    protected static Callers callers() {
        return app.context().getRegistry().lookupByNameAndType("callers", Callers.class);
    }

    /** Requests the sandbox received for this CRM whose path contains {@code part}. */
    protected long requestsTo(String part) {
        HttpResponse<String> r = Events.send(HttpRequest.newBuilder(URI.create(sandbox.adminUrl() + "/" + crm() + "/requests")).GET().build());
        long n = 0;
        for (JsonNode e : json(r)) {
            if (e.path("path").asText().contains(part)) {
                n++;
            }
        }
        return n;
    }

    protected abstract String searchPath();

    protected void faults(String spec) {
        HttpResponse<String> r = Events.send(HttpRequest.newBuilder(URI.create(sandbox.adminUrl() + "/" + crm() + "/faults"))
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(spec)).build());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    protected void noFaults() {
        Events.send(HttpRequest.newBuilder(URI.create(sandbox.adminUrl() + "/" + crm() + "/faults")).DELETE().build());
    }

    // ---- the contract ---------------------------------------------------------------------------

    @Test
    void theSamePersonTypedTwoWaysIsFoundFromAnyInputFormat() {
        String id = contact("Jean", "Dupont", "+41 79 123 45 67", "0791234567");
        for (String input : List.of("+41791234567", "0791234567", "079 123 45 67", "+41 79 123 45 67", "0041 79 123 45 67",
                "+41 (0)79 123 45 67", "079/123.45.67")) {
            callers().invalidate("+41791234567");
            HttpResponse<String> r = lookup(input);
            assertThat(r.statusCode()).as(input + ": " + r.body()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
            JsonNode p = json(r);
            assertThat(p.get("phone").asText()).isEqualTo("+41791234567");
            assertThat(p.get("crm").asText()).isEqualTo(crm());
            assertThat(p.get("recordId").asText()).isEqualTo(id);
            assertThat(p.get("recordType").asText()).isEqualTo("contact");
            assertThat(p.get("matches").asInt()).as("one person, two fields: one match").isEqualTo(1);
            assertThat(p.get("displayName").asText()).isEqualTo("Jean Dupont");
            assertThat(p.get("greetingContext").asText()).startsWith("Jean Dupont");
            p.fields().forEachRemaining(f -> assertThat(f.getValue().isNull() || f.getValue().asText().equals("null"))
                    .as("no null field: " + f.getKey()).isFalse());
        }
    }

    @Test
    void numbersStoredWithTrunkZeroInBracketsOrInternationalPrefixAreFound() {
        String bracketed = contact("Anne", "Bracket", "+41 (0)79 222 33 44");
        String prefixed = contact("Paul", "Prefix", "0041 79 333 44 55");
        assertThat(json(lookup("+41792223344")).get("recordId").asText()).isEqualTo(bracketed);
        assertThat(json(lookup("079 333 44 55")).get("recordId").asText()).isEqualTo(prefixed);
    }

    @Test
    void aFrenchNumberStoredNationallyIsFoundFromE164() {
        String id = contact("Marie", "Lefèvre", "06 12 34 56 78");
        HttpResponse<String> r = lookup("+33612345678");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(json(r).get("recordId").asText()).isEqualTo(id);
        assertThat(json(r).get("phone").asText()).isEqualTo("+33612345678");
    }

    @Test
    void twoContactsWithOneNumberAreResolvedByThePolicy() {
        String older = contact("Alice", "Older", "+41 79 444 55 66");
        clock.advance(Duration.ofMinutes(1));
        String newer = contact("Bob", "Newer", "079 444 55 66");
        JsonNode first = json(lookup("+41794445566"));
        assertThat(first.get("recordId").asText()).as("most recently modified wins").isEqualTo(newer);
        assertThat(first.get("matches").asInt()).isEqualTo(2);

        clock.advance(Duration.ofMinutes(1));
        touch(older);
        callers().invalidate("+41794445566");
        JsonNode second = json(lookup("+41794445566"));
        assertThat(second.get("recordId").asText()).isEqualTo(older);
        assertThat(second.get("matches").asInt()).isEqualTo(2);
    }

    @Test
    void anUnknownNumberIs404ProblemAndIsCachedNegatively() {
        HttpResponse<String> r = lookup("+41 79 555 66 77");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(json(r).get("status").asInt()).isEqualTo(404);
        long searches = requestsTo(searchPath());
        HttpResponse<String> again = lookup("+41795556677");
        assertThat(again.statusCode()).isEqualTo(404);
        assertThat(again.headers().firstValue(Callers.CACHE_HEADER)).hasValue("hit");
        assertThat(requestsTo(searchPath())).isEqualTo(searches);
    }

    @Test
    void anUnparseableNumberIs400NamingThePhone() {
        for (String bad : List.of("abc", "12", "+999 123", "0".repeat(70))) {
            HttpResponse<String> r = lookup(bad);
            assertThat(r.statusCode()).as(bad).isEqualTo(400);
            assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            JsonNode p = json(r);
            assertThat(p.at("/errors/0/pointer").asText()).isEqualTo("/phone");
            assertThat(r.body()).doesNotContain(bad.length() > 3 ? bad : "\"" + bad + "\"");
        }
    }

    @Test
    void hostileInputsNeverChangeTheQuery() {
        contact("Victim", "Other", "+41 78 111 22 33");
        for (String hostile : List.of("' OR 1=1 --", "079 123 45 67' OR Phone != '", "\\' OR Name LIKE '%", "*", "%", "_",
                "\" } ], \"filterGroups\": [ {", "0788112233&fields=name", "+41 78 111 22 3%", "+41 78 111 22 33) OR (Id != null",
                "078 111 22 3_")) {
            HttpResponse<String> r = lookup(hostile);
            assertThat(r.statusCode()).as(hostile + " -> " + r.body()).isIn(200, 400, 404);
            if (r.statusCode() == 200) {
                assertThat(json(r).get("phone").asText()).as("only the number itself, read leniently, may match: " + hostile)
                        .isEqualTo("+41781112233");
            }
        }
        assertThat(json(lookup("+41781112233")).get("displayName").asText()).isEqualTo("Victim Other");
    }

    @Test
    void aSecondLookupIsACacheHitWithoutAskingTheCrm() {
        contact("Claire", "Cache", "+41 76 123 45 67");
        HttpResponse<String> miss = lookup("+41761234567");
        assertThat(miss.headers().firstValue(Callers.CACHE_HEADER)).hasValue("miss");
        long searches = requestsTo(searchPath());
        HttpResponse<String> hit = lookup("076 123 45 67");
        assertThat(hit.statusCode()).isEqualTo(200);
        assertThat(hit.headers().firstValue(Callers.CACHE_HEADER)).hasValue("hit");
        assertThat(hit.body()).isEqualTo(miss.body());
        assertThat(requestsTo(searchPath())).isEqualTo(searches);
    }

    @Test
    void callStartedWarmsTheCacheSoTheLookupIsAHit() {
        contact("Willy", "Warm", "+41 77 123 45 67");
        ObjectNode event = Events.exampleWithNewId();
        event.put("type", "call.started");
        ((ObjectNode) event.get("data")).put("from", "077 123 45 67");
        HttpResponse<String> posted = Events.post(app.uri("/v1/call-events"), "application/cloudevents+json", Events.bytes(event));
        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(202);
        // nothing but the warm-up asks for this number, and polling looks at the cache without filling it
        await().atMost(Duration.ofSeconds(20)).until(() -> callers().primary().isFresh("+41771234567"));
        HttpResponse<String> r = lookup("+41771234567");
        assertThat(r.headers().firstValue(Callers.CACHE_HEADER)).hasValue("hit");
        assertThat(json(r).get("displayName").asText()).isEqualTo("Willy Warm");
    }

    @Test
    void aCrmOutageIsAnsweredWithinTheDeadlineFromCacheOr503() {
        contact("Otto", "Outage", "+41 75 123 45 67");
        assertThat(lookup("+41751234567").statusCode()).isEqualTo(200);
        try {
            faults("{\"latencyMs\": 5000}");
            long t0 = System.nanoTime();
            HttpResponse<String> unknown = lookup("+41 75 765 43 21");
            long tookMs = (System.nanoTime() - t0) / 1_000_000;
            assertThat(unknown.statusCode()).as(unknown.body()).isEqualTo(503);
            assertThat(unknown.headers().firstValue("Retry-After")).isPresent();
            assertThat(unknown.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(tookMs).as("answered near the 500 ms deadline, not after the CRM's 5 s").isLessThan(1500);

            faults("{\"outage\": {\"startsInMs\": 0, \"durationMs\": 60000, \"mode\": \"reset\"}}");
            HttpResponse<String> cached = lookup("+41751234567");
            assertThat(cached.statusCode()).isEqualTo(200);
            assertThat(json(cached).get("displayName").asText()).isEqualTo("Otto Outage");
            HttpResponse<String> down = lookup("+41 75 765 43 22");
            assertThat(down.statusCode()).isEqualTo(503);
        } finally {
            noFaults();
        }
    }

    @Test
    void lookupsNeedAnAgentOrAdminKey() {
        assertThat(lookupWith(null, "+41791234567").statusCode()).isEqualTo(401);
        assertThat(lookupWith("wrong", "+41791234567").statusCode()).isEqualTo(401);
        assertThat(lookupWith(ADMIN, "+41 79 000 00 00").statusCode()).isIn(404, 400);
    }

    protected static String unique() {
        return UUID.randomUUID().toString().substring(0, 8);
    }
}
