package io.callbridge.crm.notion;

import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callbridge.support.CallerLookupContract;
import io.callbridge.support.Events;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Caller lookups with Notion as the primary CRM: one query of the contacts data source for the E.164 property and
 * every phone property equal to each common format, confirmed by normalising what was typed. The workspace's rate is
 * raised for the contract's quick succession of lookups; Notion's 429 has a test of its own.
 */
class NotionCallerLookupIT extends CallerLookupContract {

    private static final List<String> PHONES = List.of("Phone", "Mobile");
    private static NotionFixture.Workspace workspace;

    @BeforeAll
    static void start() {
        workspace = NotionFixture.Workspace.start(Map.of("rate-per-second", "200", "burst", "200"), clock);
        sandbox = workspace.sandbox();
        app = startApp("notion", new LinkedHashMap<>(workspace.connectorSettings()));
    }

    @Override
    protected String crm() {
        return "notion";
    }

    @Override
    protected String searchPath() {
        return "/query";
    }

    @Override
    protected String contact(String first, String last, String... phones) {
        ObjectNode p = Events.JSON.createObjectNode();
        p.putObject("Name").putArray("title").addObject().putObject("text").put("content", first + " " + last);
        for (int i = 0; i < phones.length; i++) {
            p.putObject(PHONES.get(i)).put("phone_number", phones[i]);
        }
        p.putObject("Owner").putArray("people").addObject().put("id", NotionFixture.OWNER);
        return workspace.create(NotionFixture.CONTACTS, p);
    }

    @Override
    protected void touch(String id) {
        ObjectNode body = Events.JSON.createObjectNode();
        body.putObject("properties").putObject("Company").putArray("rich_text").addObject().putObject("text").put("content", "touched " + unique());
        workspace.api("PATCH", "/v1/pages/" + id, body);
    }

    @Test
    void callersRingingTogetherShareQueriesWithinNotionsHundredConditions() throws Exception {
        int callers = 12;
        List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < callers; i++) {
            ids.add(contact("Nora", "Ensemble" + i, String.format("078 520 %02d 00", i)));
        }
        long before = requestsTo("/query");
        java.util.concurrent.ExecutorService phones = java.util.concurrent.Executors.newFixedThreadPool(callers);
        try {
            List<java.util.concurrent.Future<java.net.http.HttpResponse<String>>> rings = new java.util.ArrayList<>();
            for (int i = 0; i < callers; i++) {
                String e164 = String.format("+4178520%02d00", i);
                rings.add(phones.submit(() -> lookup(e164)));
            }
            for (java.util.concurrent.Future<java.net.http.HttpResponse<String>> ring : rings) {
                assertThat(ring.get(10, java.util.concurrent.TimeUnit.SECONDS).statusCode()).isIn(200, 503);
            }
        } finally {
            phones.shutdownNow();
        }
        // those answered 503 were still searched: every caller is known once the queued searches came back
        for (int i = 0; i < callers; i++) {
            String e164 = String.format("+4178520%02d00", i);
            String id = ids.get(i);
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(15))
                    .until(() -> lookup(e164).statusCode() == 200 && json(lookup(e164)).get("recordId").asText().equals(id));
        }
        // Notion's 3 requests a second, shared with delivery: one query a caller would keep the twelfth waiting 4 s
        assertThat(requestsTo("/query") - before).as("%d callers, two phone properties and E.164: 4 numbers a query", callers)
                .isBetween(3L, (long) callers - 4);
    }

    @Test
    void theOwnersNameComesFromTheWorkspacesUsers() {
        contact("Olga", "Owner", "+41 78 555 03 03");
        JsonNode p = json(lookup("+41785550303"));
        assertThat(p.get("displayName").asText()).isEqualTo("Olga Owner");
        assertThat(p.at("/owner/name").asText()).isEqualTo("Claire Martin");
    }

    @Test
    void aNumberCallbridgeKeptInE164IsFoundByThatPropertyAlone() {
        ObjectNode p = Events.JSON.createObjectNode();
        p.putObject("Name").putArray("title").addObject().putObject("text").put("content", "Eva Exact");
        p.putObject("Phone").put("phone_number", "+41 78 555 04 04 (bureau)");
        p.putObject("Phone E164").putArray("rich_text").addObject().putObject("text").put("content", "+41785550404");
        workspace.create(NotionFixture.CONTACTS, p);
        JsonNode found = json(lookup("078 555 04 04"));
        assertThat(found.get("displayName").asText()).isEqualTo("Eva Exact");
        assertThat(found.get("phone").asText()).isEqualTo("+41785550404");
    }

    @Test
    void whileNotionAnswers429ACachedCallerIsAnsweredAndANewNumberIs503WithRetryAfter() {
        contact("Rita", "Rate", "+41 75 222 33 44");
        assertThat(lookup("+41752223344").statusCode()).isEqualTo(200);
        try {
            faults("{\"script\":[{\"match\":\"POST .*/query$\",\"status\":429,\"repeat\":20}]}");
            HttpResponse<String> cached = lookup("+41752223344");
            assertThat(cached.statusCode()).isEqualTo(200);
            assertThat(json(cached).get("displayName").asText()).isEqualTo("Rita Rate");
            HttpResponse<String> unknown = lookup("+41 75 222 33 45");
            assertThat(unknown.statusCode()).as(unknown.body()).isEqualTo(503);
            assertThat(unknown.headers().firstValue("Retry-After")).isPresent();
            assertThat(unknown.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        } finally {
            noFaults();
        }
    }
}
