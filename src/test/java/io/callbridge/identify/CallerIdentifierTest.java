package io.callbridge.identify;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.benmanes.caffeine.cache.Ticker;
import io.callbridge.crm.CrmAuth;
import io.callbridge.crm.CrmHttp;
import io.callbridge.crm.hubspot.HubSpotCallerSearch;
import io.callbridge.crm.hubspot.HubSpotFixture;
import io.callbridge.phone.PhoneFormats;
import io.callbridge.sandbox.CrmSandbox;
import io.callbridge.sandbox.SandboxSettings;
import io.callbridge.support.Events;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The shared mechanism against a real CRM (the HubSpot sandbox) with a hand-moved cache clock:
 * freshness per kind of entry, stale answers while the CRM is down, invalidation, one search per
 * number however many ask at once, the size bound.
 */
class CallerIdentifierTest {

    private static CrmSandbox sandbox;
    private static CrmHttp http;
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final Ticker ticker = nanos::get;

    @BeforeAll
    static void start() {
        sandbox = CrmSandbox.start(SandboxSettings.builder().port(0).seed(21)
                .config("hubspot", Map.of("search-rate-limit.quota", "1000", "rate-limit.quota", "100000")).build());
        http = new CrmHttp(Duration.ofSeconds(5), io.callbridge.crm.CrmMetrics.none());
    }

    @AfterAll
    static void stop() {
        http.close();
        sandbox.close();
    }

    private CallerIdentifier identifier(IdentifySettings settings) {
        return new CallerIdentifier(new HubSpotCallerSearch(http, sandbox.baseUrl("hubspot"),
                CrmAuth.fixed(Map.of("Authorization", "Bearer " + HubSpotFixture.TOKEN), sandbox.baseUrl("hubspot")), null,
                Set.of("lead")), null, new PhoneFormats("CH"), settings, ticker);
    }

    private static IdentifySettings settings() {
        return IdentifySettings.defaults().withDeadline(Duration.ofSeconds(2));
    }

    private static String contact(String last, String phone) {
        JsonNode r = Events.parse(Events.send(HttpRequest.newBuilder(URI.create(sandbox.baseUrl("hubspot") + "/crm/v3/objects/contacts"))
                .header("Authorization", "Bearer " + HubSpotFixture.TOKEN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"properties\":{\"lastname\":\"" + last + "\",\"phone\":\"" + phone + "\"}}"))
                .build()).body().getBytes());
        return r.get("id").asText();
    }

    private static void faults(String spec) {
        Events.send(HttpRequest.newBuilder(URI.create(sandbox.adminUrl() + "/hubspot/faults")).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(spec)).build());
    }

    private static long searches() {
        JsonNode journal = Events.parse(Events.send(HttpRequest.newBuilder(URI.create(sandbox.adminUrl() + "/hubspot/requests")).GET()
                .build()).body().getBytes());
        long n = 0;
        for (JsonNode e : journal) {
            if (e.path("path").asText().endsWith("/search")) n++;
        }
        return n;
    }

    @Test
    void positiveAndNegativeEntriesHaveTheirOwnTtlAndStaleOnesAnswerWhileTheCrmIsDown() throws Exception {
        contact("Fresh", "+41 79 101 01 01");
        CallerIdentifier id = identifier(settings());
        assertThat(id.identify("+41791010101", System.nanoTime()).source()).isEqualTo(CallerIdentifier.Source.MISS);
        assertThat(id.identify("+41791010102", System.nanoTime()).identification().found()).isFalse();

        nanos.addAndGet(Duration.ofMinutes(2).toNanos()); // past the negative TTL (1 min), within the positive (10 min)
        assertThat(id.isFresh("+41791010101")).isTrue();
        assertThat(id.isFresh("+41791010102")).isFalse();
        assertThat(id.identify("+41791010101", System.nanoTime()).source()).isEqualTo(CallerIdentifier.Source.HIT);
        assertThat(id.identify("+41791010102", System.nanoTime()).source()).isEqualTo(CallerIdentifier.Source.MISS);

        nanos.addAndGet(Duration.ofMinutes(10).toNanos()); // past the positive TTL, within the stale window
        try {
            faults("{\"outage\": {\"startsInMs\": 0, \"durationMs\": 60000, \"mode\": \"status\", \"status\": 503}}");
            CallerIdentifier.Lookup stale = id.identify("+41791010101", System.nanoTime());
            assertThat(stale.source()).isEqualTo(CallerIdentifier.Source.STALE);
            assertThat(stale.identification().winner().lastName).isEqualTo("Fresh");
            assertThatThrownBy(() -> id.identify("+41791010103", System.nanoTime()))
                    .isInstanceOf(CallerIdentifier.CrmUnavailableException.class).hasMessageContaining("503");
        } finally {
            faults("{}");
        }
        assertThat(id.identify("+41791010101", System.nanoTime()).source()).isEqualTo(CallerIdentifier.Source.MISS);
    }

    @Test
    void aSlowCrmMissesTheDeadlineButItsAnswerFillsTheCacheForTheNextCall() throws Exception {
        contact("Slow", "+41 79 202 02 02");
        CallerIdentifier id = identifier(settings().withDeadline(Duration.ofMillis(150)));
        try {
            faults("{\"latencyMs\": 400}");
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> id.identify("+41792020202", t0)).isInstanceOf(CallerIdentifier.CrmUnavailableException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofMillis(400));
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> id.isFresh("+41792020202"));
            assertThat(id.identify("+41792020202", System.nanoTime()).source()).isEqualTo(CallerIdentifier.Source.HIT);
        } finally {
            faults("{}");
        }
    }

    @Test
    void invalidateDropsTheEntrySoTheNextLookupAsksTheCrm() throws Exception {
        contact("Inval", "+41 79 303 03 03");
        CallerIdentifier id = identifier(settings());
        id.identify("+41793030303", System.nanoTime());
        id.invalidate("+41793030303");
        assertThat(id.isFresh("+41793030303")).isFalse();
        assertThat(id.identify("+41793030303", System.nanoTime()).source()).isEqualTo(CallerIdentifier.Source.MISS);
    }

    @Test
    void touchRefreshesTheProfileButConnectorsKeepTheRecordWithoutASearch() throws Exception {
        contact("Touch", "+41 79 303 04 04");
        CallerIdentifier id = identifier(settings());
        id.identifyNow("+41793030404", true);
        id.touch("+41793030404");
        long before = searches();
        assertThat(id.identifyNow("+41793030404", true).found()).as("a connector still knows the record").isTrue();
        assertThat(searches()).as("without asking the CRM").isEqualTo(before);
        assertThat(id.identify("+41793030404", System.nanoTime()).source()).as("the profile is asked for again")
                .isEqualTo(CallerIdentifier.Source.MISS);
        assertThat(searches()).isEqualTo(before + 1);
        assertThat(id.identify("+41793030404", System.nanoTime()).source()).isEqualTo(CallerIdentifier.Source.HIT);
    }

    @Test
    void aContactUpdateTheCrmAnsweredRefreshesTheCachedRecordWithoutASearch() throws Exception {
        String hubspotId = contact("Refresh", "+41 79 303 05 05");
        CallerIdentifier id = identifier(settings());
        id.identifyNow("+41793030505", true);
        long before = searches();
        id.refresh("+41793030505", hubspotId, Events.parse("{\"callbridge_last_summary\":\"asked for a quote\"}".getBytes()));
        Identification refreshed = id.identifyNow("+41793030505", true);
        assertThat(refreshed.winner().record().path("callbridge_last_summary").asText()).isEqualTo("asked for a quote");
        assertThat(refreshed.winner().record().path("lastname").asText()).as("the rest of the record stays").isEqualTo("Refresh");
        assertThat(searches()).as("without asking the CRM").isEqualTo(before);

        id.refresh("+41793030505", "another-record", Events.parse("{\"lastname\":\"Else\"}".getBytes()));
        assertThat(id.isFresh("+41793030505")).as("a record the cache does not hold: the number is forgotten").isFalse();
        assertThat(id.identifyNow("+41793030505", true).winner().lastName).isEqualTo("Refresh");
        assertThat(searches()).isEqualTo(before + 1);
    }

    @Test
    void concurrentLookupsOfOneNumberShareOneSearch() throws Exception {
        contact("Crowd", "+41 79 404 04 04");
        CallerIdentifier id = identifier(settings());
        try {
            faults("{\"latencyMs\": 200}");
            long before = searches();
            ExecutorService pool = Executors.newFixedThreadPool(16);
            List<CompletableFuture<CallerIdentifier.Lookup>> all = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                all.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        return id.identify("+41794040404", System.nanoTime());
                    } catch (CallerIdentifier.CrmUnavailableException e) {
                        throw new IllegalStateException(e);
                    }
                }, pool));
            }
            for (CompletableFuture<CallerIdentifier.Lookup> f : all) {
                assertThat(f.get().identification().winner().lastName).isEqualTo("Crowd");
            }
            pool.shutdown();
            assertThat(searches() - before).isEqualTo(1);
        } finally {
            faults("{}");
        }
    }

    @Test
    void aWriteForAnotherCallerDoesNotKeepASearchOutOfTheCacheButAWriteForThisOneDoes() throws Exception {
        contact("Busy", "+41 79 606 06 06");
        contact("Other", "+41 79 606 06 07");
        CallerIdentifier id = identifier(settings());
        try {
            faults("{\"latencyMs\": 300}");
            CompletableFuture<Identification> mine = CompletableFuture.supplyAsync(() -> identifyNow(id, "+41796060606"));
            CompletableFuture<Identification> written = CompletableFuture.supplyAsync(() -> identifyNow(id, "+41796060607"));
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> searches() >= 2);
            id.touch("+41790000000");
            id.invalidate("+41790000001");
            id.invalidate("+41796060607");
            assertThat(mine.get().found()).isTrue();
            assertThat(written.get().found()).isTrue();
        } finally {
            faults("{}");
        }
        long before = searches();
        assertThat(id.identifyNow("+41796060606", true).found()).isTrue();
        assertThat(searches()).as("the answer read while others were written is cached").isEqualTo(before);
        assertThat(id.identifyNow("+41796060607", true).found()).isTrue();
        assertThat(searches()).as("the answer read while this number was written is not").isEqualTo(before + 1);
    }

    private static Identification identifyNow(CallerIdentifier id, String e164) {
        try {
            return id.identifyNow(e164, true);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theCacheIsBoundedBySize() throws Exception {
        IdentifySettings small = new IdentifySettings(Duration.ofSeconds(2), Duration.ofMinutes(10), Duration.ofMinutes(1),
                Duration.ofDays(1), 5, Duration.ofSeconds(5), Duration.ofMinutes(1), MatchPolicy.DEFAULT, "fr", Duration.ofSeconds(1));
        CallerIdentifier id = identifier(small);
        for (int i = 10; i < 30; i++) {
            id.identify("+417950505" + i, System.nanoTime());
        }
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> {
            id.cleanUp();
            return id.size() <= 5;
        });
    }

    @Test
    void numbersSearchedTogetherWhosePageCannotHoldEveryMatchAreSearchedAgainOneByOne() throws Exception {
        String lone = contact("Lone", "+41 79 707 07 07");
        for (int start = 0; start < 201; start += 100) {
            com.fasterxml.jackson.databind.node.ObjectNode body = Events.JSON.createObjectNode();
            com.fasterxml.jackson.databind.node.ArrayNode inputs = body.putArray("inputs");
            for (int i = start; i < Math.min(201, start + 100); i++) {
                inputs.addObject().putObject("properties").put("lastname", "Crowd" + i).put("phone", "+41 79 707 07 08");
            }
            assertThat(Events.send(HttpRequest.newBuilder(URI.create(sandbox.baseUrl("hubspot") + "/crm/v3/objects/contacts/batch/create"))
                    .header("Authorization", "Bearer " + HubSpotFixture.TOKEN).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build()).statusCode()).isEqualTo(201);
        }
        HubSpotCallerSearch search = new HubSpotCallerSearch(http, sandbox.baseUrl("hubspot"),
                CrmAuth.fixed(Map.of("Authorization", "Bearer " + HubSpotFixture.TOKEN), sandbox.baseUrl("hubspot")), null, Set.of("lead"));
        long before = searches();
        List<io.callbridge.crm.Candidate> found = search.candidates(List.of("+41797070708", "+41797070707"), new PhoneFormats("CH"))
                .get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(searches()).as("the shared page of 200 (the lone contact, the oldest, not on it), then one search a number")
                .isEqualTo(before + 3);
        assertThat(found).extracting(c -> c.id).as("the lone contact found after all").contains(lone);
        assertThat(found).filteredOn(c -> c.lastName.startsWith("Crowd")).isNotEmpty();
    }
}
