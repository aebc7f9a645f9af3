package io.callbridge.crm.hubspot;

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
import io.callbridge.support.CallbridgeApp;
import io.callbridge.support.CrmFixture;
import io.callbridge.support.CrmSandboxes;
import io.callbridge.support.Events;
import io.callbridge.support.TestBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Caller lookups at HubSpot's default limits (5 searches a second, in the sandbox and in Callbridge's window): callers
 * arriving together are searched together, in one request of several numbers, so the sixth caller in a second is
 * answered like the first instead of 503 because HubSpot answered 429. The deadline is 500 ms: twenty requests from one
 * test client arrive over a few hundred milliseconds, longer than one slot's wait at the default 150 ms (BENCHMARKS.md,
 * lookups, for what the default deadline gives).
 */
class HubSpotLookupsUnderLoadIT {

    private static final String AGENT = "agent-load-key";
    private static final CrmFixture HUBSPOT = CrmFixture.of("hubspot");

    private static CrmSandboxes crms;
    private static CallbridgeApp app;
    private static final ExecutorService callers = Executors.newFixedThreadPool(24);

    @BeforeAll
    static void start() {
        crms = CrmSandboxes.start(86, false, List.of(HUBSPOT));
        app = CallbridgeApp.on(TestBroker.shared()).with(crms.settings()).with("callbridge.api-keys", AGENT + ":agent")
                .with("callbridge.api-keys.lookups-per-second", "1000").with("callbridge.identify.deadline-ms", "500").start();
        // ready once HubSpot answered a lookup: connections open, owners loaded
        await().atMost(Duration.ofSeconds(30)).until(() -> lookUp("+41 79 000 00 01").statusCode() == 404);
    }

    @AfterAll
    static void stop() {
        callers.shutdownNow();
        app.close();
        crms.close();
    }

    @Test
    void twentyDifferentCallersWithinOneSecondAreAllAnsweredFromAFewSearches() {
        Map<String, String> known = new LinkedHashMap<>();
        for (int i = 0; i < 4; i++) {
            String e164 = "+4179321000" + i;
            crms.seedCaller(HUBSPOT, "Anna" + i, "Bekannt", e164, null);
            known.put(e164, "Anna" + i);
        }
        List<String> numbers = new ArrayList<>(known.keySet());
        for (int i = 0; i < 16; i++) {
            numbers.add("+417932200" + String.format("%02d", i));
        }
        long before = crms.lastSeq("hubspot");

        List<CompletableFuture<HttpResponse<String>>> answers = numbers.stream()
                .map(n -> CompletableFuture.supplyAsync(() -> lookUp(n), callers)).toList();

        for (int i = 0; i < numbers.size(); i++) {
            HttpResponse<String> r = answers.get(i).join();
            String number = numbers.get(i);
            if (known.containsKey(number)) {
                assertThat(r.statusCode()).as("%s: %s", number, r.body()).isEqualTo(200);
                assertThat(Events.parse(r.body().getBytes(StandardCharsets.UTF_8)).path("firstName").asText())
                        .as("each caller gets its own record from the shared search").isEqualTo(known.get(number));
            } else {
                assertThat(r.statusCode()).as("%s: %s", number, r.body()).isEqualTo(404);
            }
        }
        List<JsonNode> searches = crms.requestsSince("hubspot", before).stream()
                .filter(e -> e.path("path").asText().endsWith("/crm/v3/objects/contacts/search")).toList();
        assertThat(searches).as("twenty numbers, sixteen a search, HubSpot's 5 a second").hasSizeBetween(2, 4);
        assertThat(searches).as("HubSpot never answered 429").allSatisfy(e -> assertThat(e.path("status").asInt()).isEqualTo(200));
    }

    private static HttpResponse<String> lookUp(String phone) {
        return Events.send(HttpRequest.newBuilder(app.uri("/v1/callers/" + phone.replace("+", "%2B").replace(" ", "%20")))
                .header("Authorization", "Bearer " + AGENT).GET().build());
    }
}
