package io.callbridge.crm.hubspot;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callbridge.broker.EmbeddedKafkaBroker;
import io.callbridge.support.CallbridgeApp;
import io.callbridge.support.CrmFixture;
import io.callbridge.support.CrmSandboxes;
import io.callbridge.support.Events;
import io.callbridge.support.Scrape;
import io.callbridge.support.TestBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * HubSpot at its default limits (5 searches a second) with the caller directory on and its webhooks wired: forty
 * different callers at once, known and unknown, are all answered within the default 150 ms deadline without one
 * search; a contact created, renamed, given another number or deleted in HubSpot is seen at the next lookup within
 * two seconds; a caller Callbridge itself created is found.
 */
class HubSpotCallerDirectoryIT {

    private static final String SECRET = "hs-directory-secret";
    private static final String AGENT = "agent-directory-key";
    private static final CrmFixture HUBSPOT = CrmFixture.of("hubspot");
    private static final int SEEDED = 150;

    private static CrmSandboxes crms;
    private static CallbridgeApp app;
    private static final ExecutorService callers = Executors.newFixedThreadPool(20);

    @BeforeAll
    static void start() {
        int port = EmbeddedKafkaBroker.freePort();
        crms = CrmSandboxes.start(87, false, List.of(HUBSPOT), Map.of("hubspot", Map.of("client-secret", SECRET,
                "webhook-url", "http://localhost:" + port + "/v1/crm-changes/hubspot")));
        for (int i = 0; i < SEEDED; i++) {
            crms.seedCaller(HUBSPOT, "Dora" + i, "Directory", known(i), null);
        }
        app = CallbridgeApp.on(TestBroker.shared()).with(crms.settings()).with("callbridge.http.port", String.valueOf(port))
                .with("callbridge.crm.hubspot.client-secret", SECRET).with("callbridge.api-keys", AGENT + ":agent")
                .with("callbridge.api-keys.lookups-per-second", "1000").with("callbridge.identify.directory.enabled", "true")
                .start();
        await().atMost(Duration.ofSeconds(30)).until(() -> directoryRecords() >= SEEDED);
    }

    @AfterAll
    static void stop() {
        callers.shutdownNow();
        app.close();
        crms.close();
    }

    private static String known(int i) {
        return "+4179444" + String.format("%04d", i);
    }

    @Test
    void fortyCallersAtOnceKnownOrNotAreAllAnsweredWithinTheDeadlineWithoutASearch() {
        Map<String, String> expected = new LinkedHashMap<>();
        for (int i = 0; i < 20; i++) {
            expected.put(known(i * 7), "Dora" + (i * 7));
            expected.put("+4179445" + String.format("%04d", i), null);
        }
        long before = lastSeq();

        List<String> numbers = new ArrayList<>(expected.keySet());
        List<CompletableFuture<HttpResponse<String>>> answers = numbers.stream()
                .map(n -> CompletableFuture.supplyAsync(() -> lookUp(n), callers)).toList();

        for (int i = 0; i < numbers.size(); i++) {
            HttpResponse<String> r = answers.get(i).join();
            String name = expected.get(numbers.get(i));
            assertThat(r.statusCode()).as("%s: %s", numbers.get(i), r.body()).isEqualTo(name == null ? 404 : 200);
            if (name != null) {
                assertThat(json(r).path("firstName").asText()).isEqualTo(name);
            }
        }
        assertThat(requestsSince(before)).as("no search: HubSpot's 5 a second would not answer forty callers at once")
                .noneMatch(e -> e.path("path").asText().endsWith("/search"));
    }

    @Test
    void aContactCreatedRenamedRenumberedOrDeletedInHubSpotIsSeenWithinTwoSeconds() {
        assertThat(lookUp("+41794460001").statusCode()).isEqualTo(404);
        HttpResponse<String> created = hubspot("POST", "/crm/v3/objects/contacts",
                "{\"properties\":{\"firstname\":\"Neu\",\"lastname\":\"Angelegt\",\"phone\":\"079 446 00 01\"}}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String id = json(created).get("id").asText();
        // the unknown answer is cached for a minute: what makes the new contact visible is its creation, told by HubSpot
        await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(50))
                .until(() -> lookUp("+41794460001").statusCode() == 200);

        assertThat(hubspot("PATCH", "/crm/v3/objects/contacts/" + id, "{\"properties\":{\"firstname\":\"Umbenannt\"}}")
                .statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(50))
                .until(() -> "Umbenannt".equals(profile("+41794460001").path("firstName").asText()));

        assertThat(hubspot("PATCH", "/crm/v3/objects/contacts/" + id, "{\"properties\":{\"phone\":\"+41 79 446 00 02\"}}")
                .statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(50))
                .until(() -> lookUp("+41794460002").statusCode() == 200 && lookUp("+41794460001").statusCode() == 404);

        assertThat(hubspot("DELETE", "/crm/v3/objects/contacts/" + id, null).statusCode()).isEqualTo(204);
        await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(50))
                .until(() -> lookUp("+41794460002").statusCode() == 404);
    }

    @Test
    void aCallerCallbridgeCreatedIsFoundAtTheNextLookup() {
        ObjectNode event = Events.exampleWithNewId();
        ((ObjectNode) event.get("data")).put("from", "+41 79 447 00 01");
        app.post(event);
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .until(() -> lookUp("+41794470001").statusCode() == 200);
        assertThat(directoryRecords()).isGreaterThan(SEEDED);
    }

    private static double directoryRecords() {
        Scrape scrape = Scrape.of(app);
        return scrape.has("callbridge_caller_directory_records", "crm", "hubspot")
                ? scrape.sum("callbridge_caller_directory_records", "crm", "hubspot") : -1;
    }

    private static JsonNode profile(String phone) {
        HttpResponse<String> r = lookUp(phone);
        return r.statusCode() == 200 ? json(r) : Events.JSON.createObjectNode();
    }

    private static HttpResponse<String> lookUp(String phone) {
        return Events.send(HttpRequest.newBuilder(app.uri("/v1/callers/" + phone.replace("+", "%2B")))
                .header("Authorization", "Bearer " + AGENT).GET().build());
    }

    private static HttpResponse<String> hubspot(String method, String path, String body) {
        return Events.send(HttpRequest.newBuilder(URI.create(crms.sandbox().baseUrl("hubspot") + path))
                .header("Authorization", "Bearer " + HubSpotFixture.TOKEN).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private static JsonNode json(HttpResponse<String> r) {
        return Events.parse(r.body().getBytes(StandardCharsets.UTF_8));
    }

    private static long lastSeq() {
        long seq = 0;
        for (JsonNode e : crms.requests("hubspot")) {
            seq = Math.max(seq, e.path("seq").asLong());
        }
        return seq;
    }

    private static List<JsonNode> requestsSince(long seq) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode e : crms.requests("hubspot")) {
            if (e.path("seq").asLong() > seq) {
                out.add(e);
            }
        }
        return out;
    }
}
