package io.callbridge.identify;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callbridge.crm.CallerSearch;
import io.callbridge.crm.Candidate;
import io.callbridge.crm.CrmAuth;
import io.callbridge.crm.CrmHttp;
import io.callbridge.crm.hubspot.HubSpotCallerSearch;
import io.callbridge.crm.hubspot.HubSpotFixture;
import io.callbridge.phone.PhoneFormats;
import io.callbridge.sandbox.CrmSandbox;
import io.callbridge.sandbox.SandboxSettings;
import io.callbridge.support.Events;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The caller directory against a real CRM (the HubSpot sandbox, over HTTP, a fresh one per test): read whole in pages,
 * it answers known and unknown numbers however they were typed without a search; a number in doubt is searched until
 * its records are read again; changed records are read again, gone ones dropped; a CRM too large keeps none; a failed
 * read is tried again.
 */
class CallerDirectoryTest {

    private static final PhoneFormats FORMATS = new PhoneFormats("CH");
    /** A deadline no busy machine misses: what is measured here is who answers, not how fast. */
    private static final IdentifySettings SETTINGS = IdentifySettings.defaults().withDeadline(Duration.ofSeconds(5));

    private CrmSandbox sandbox;
    private CrmHttp http;
    private CallerDirectory directory;

    @BeforeEach
    void start() {
        sandbox = CrmSandbox.start(SandboxSettings.builder().port(0).seed(31)
                .config("hubspot", Map.of("search-rate-limit.quota", "1000", "rate-limit.quota", "100000")).build());
        http = new CrmHttp(Duration.ofSeconds(5), io.callbridge.crm.CrmMetrics.none());
    }

    @AfterEach
    void stop() {
        if (directory != null) {
            directory.close();
        }
        http.close();
        sandbox.close();
    }

    private CallerSearch search() {
        return new HubSpotCallerSearch(http, sandbox.baseUrl("hubspot"),
                CrmAuth.fixed(Map.of("Authorization", "Bearer " + HubSpotFixture.TOKEN), sandbox.baseUrl("hubspot")), null, Set.of("lead"));
    }

    private CallerDirectory directory(CallerSearch search, long maxRecords) {
        directory = new CallerDirectory("hubspot", search.listing(), null, FORMATS,
                new CallerDirectory.Options(true, maxRecords, Duration.ofHours(6)));
        directory.start();
        return directory;
    }

    /** The i-th seeded contact's number, typed in one of the ways people type numbers. */
    private static String typed(int i) {
        String n = String.format("%07d", i);
        String digits = "79" + n;
        return switch (i % 5) {
            case 0 -> "+41" + digits;
            case 1 -> "0" + digits.substring(0, 2) + " " + digits.substring(2, 5) + " " + digits.substring(5, 7) + " " + digits.substring(7);
            case 2 -> "+41 (0)" + digits;
            case 3 -> "0041 " + digits;
            default -> "+41 " + digits + " ext. 12";
        };
    }

    private static String e164(int i) {
        return "+4179" + String.format("%07d", i);
    }

    /** Creates contacts {@code from} to {@code to} (exclusive), 100 per batch request as the vendor allows. */
    private void seed(int from, int to) {
        for (int start = from; start < to; start += 100) {
            ObjectNode body = CrmHttp.JSON.createObjectNode();
            ArrayNode inputs = body.putArray("inputs");
            for (int i = start; i < Math.min(to, start + 100); i++) {
                inputs.addObject().putObject("properties").put("firstname", "Caller").put("lastname", "N" + i)
                        .put(i % 2 == 0 ? "phone" : "mobilephone", typed(i));
            }
            assertThat(hubspot("POST", "/crm/v3/objects/contacts/batch/create", body.toString()).statusCode()).isEqualTo(201);
        }
    }

    private HttpResponse<String> hubspot(String method, String path, String body) {
        return Events.send(HttpRequest.newBuilder(URI.create(sandbox.baseUrl("hubspot") + path))
                .header("Authorization", "Bearer " + HubSpotFixture.TOKEN).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private String create(String last, String phone) {
        HttpResponse<String> r = hubspot("POST", "/crm/v3/objects/contacts",
                "{\"properties\":{\"lastname\":\"" + last + "\",\"phone\":\"" + phone + "\"}}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return Events.parse(r.body().getBytes()).get("id").asText();
    }

    private long requests(String pathEnd) {
        JsonNode journal = Events.parse(Events.send(HttpRequest.newBuilder(URI.create(sandbox.adminUrl() + "/hubspot/requests")).GET()
                .build()).body().getBytes());
        long n = 0;
        for (JsonNode e : journal) {
            if (e.path("path").asText().endsWith(pathEnd)) n++;
        }
        return n;
    }

    private static List<String> names(List<Candidate> candidates) {
        return candidates == null ? null : candidates.stream().map(c -> c.lastName).toList();
    }

    @Test
    void readWholeItAnswersKnownAndUnknownNumbersHoweverTypedWithoutASearch() throws Exception {
        seed(0, 250);
        CallerSearch search = search();
        CallerDirectory d = directory(search, 100_000);
        await().atMost(Duration.ofSeconds(10)).until(() -> d.state() == CallerDirectory.State.LIVE);
        assertThat(d.size()).isEqualTo(250);
        assertThat(requests("/crm/v3/objects/contacts")).as("three pages of HubSpot's largest, 100").isEqualTo(3);

        CallerIdentifier identifier = new CallerIdentifier(search, d, FORMATS, SETTINGS);
        try {
            for (int i = 0; i < 250; i += 7) {
                Identification found = identifier.identify(e164(i), System.nanoTime()).identification();
                assertThat(found.found()).as("%s typed %s", e164(i), typed(i)).isTrue();
                assertThat(found.winner().lastName).isEqualTo("N" + i);
                assertThat(found.matches()).isEqualTo(1);
            }
            for (int i = 250; i < 290; i++) {
                assertThat(identifier.identify(e164(i), System.nanoTime()).identification().found()).isFalse();
            }
            assertThat(identifier.identify("+33612345678", System.nanoTime()).identification().found()).isFalse();
            assertThat(requests("/search")).as("no search").isZero();
        } finally {
            identifier.close();
        }
    }

    @Test
    void aNumberInDoubtIsSearchedUntilTheRecordsTheSearchFoundAreReadAgain() throws Exception {
        String id = create("Before", "+41 79 555 01 01");
        CallerSearch search = search();
        CallerDirectory d = directory(search, 100_000);
        await().atMost(Duration.ofSeconds(10)).until(() -> d.state() == CallerDirectory.State.LIVE);
        assertThat(names(d.candidates("+41795550101"))).containsExactly("Before");

        assertThat(hubspot("PATCH", "/crm/v3/objects/contacts/" + id, "{\"properties\":{\"lastname\":\"After\"}}").statusCode())
                .isEqualTo(200);
        d.doubt("+41795550101");
        assertThat(d.candidates("+41795550101")).as("in doubt: the CRM is searched").isNull();

        CallerIdentifier identifier = new CallerIdentifier(search, d, FORMATS, SETTINGS);
        try {
            long searches = requests("/search");
            assertThat(identifier.identify("+41795550101", System.nanoTime()).identification().winner().lastName).isEqualTo("After");
            assertThat(requests("/search")).isEqualTo(searches + 1);
            await().atMost(Duration.ofSeconds(5)).until(() -> d.candidates("+41795550101") != null);
            assertThat(names(d.candidates("+41795550101"))).as("read again after the search").containsExactly("After");

            String created = create("New", "+41 79 555 02 02");
            d.doubt("+41795550202");
            assertThat(identifier.identify("+41795550202", System.nanoTime()).identification().winner().id).isEqualTo(created);
            await().atMost(Duration.ofSeconds(5)).until(() -> d.candidates("+41795550202") != null);
            assertThat(names(d.candidates("+41795550202"))).as("a record the directory did not hold, learnt from the search")
                    .containsExactly("New");
        } finally {
            identifier.close();
        }
    }

    @Test
    void aChangedRecordIsReadAgainAndAGoneOneDropped() {
        String moving = create("Moving", "+41 79 555 03 03");
        CallerDirectory d = directory(search(), 100_000);
        await().atMost(Duration.ofSeconds(10)).until(() -> d.state() == CallerDirectory.State.LIVE);

        String created = create("Created", "+41 79 555 04 04");
        assertThat(d.candidates("+41795550404")).as("not told yet").isEmpty();
        d.changed(created, List.of());
        await().atMost(Duration.ofSeconds(5)).until(() -> !d.candidates("+41795550404").isEmpty());
        assertThat(names(d.candidates("+41795550404"))).containsExactly("Created");

        assertThat(hubspot("PATCH", "/crm/v3/objects/contacts/" + moving, "{\"properties\":{\"phone\":\"+41 79 555 05 05\"}}")
                .statusCode()).isEqualTo(200);
        d.changed(moving, List.of("+41795550505"));
        await().atMost(Duration.ofSeconds(5)).until(() -> d.candidates("+41795550303") != null && d.candidates("+41795550505") != null);
        assertThat(d.candidates("+41795550303")).as("the number it no longer holds").isEmpty();
        assertThat(names(d.candidates("+41795550505"))).containsExactly("Moving");

        assertThat(hubspot("DELETE", "/crm/v3/objects/contacts/" + created, null).statusCode()).isEqualTo(204);
        d.changed(created, List.of());
        assertThat(d.candidates("+41795550404")).as("in doubt until read again").isNull();
        await().atMost(Duration.ofSeconds(5)).until(() -> d.candidates("+41795550404") != null);
        assertThat(d.candidates("+41795550404")).isEmpty();
        assertThat(d.size()).isEqualTo(1);
    }

    @Test
    void aCrmWithMoreRecordsThanTheBoundKeepsNoDirectoryAndItsNumbersAreSearched() throws Exception {
        seed(0, 150);
        CallerSearch search = search();
        CallerDirectory d = directory(search, 120);
        await().atMost(Duration.ofSeconds(10)).until(() -> d.state() == CallerDirectory.State.TOO_LARGE);
        assertThat(d.size()).isEqualTo(-1);
        assertThat(d.candidates(e164(3))).isNull();
        CallerIdentifier identifier = new CallerIdentifier(search, d, FORMATS, SETTINGS);
        try {
            assertThat(identifier.identify(e164(3), System.nanoTime()).identification().winner().lastName).isEqualTo("N3");
            assertThat(requests("/search")).isEqualTo(1);
        } finally {
            identifier.close();
        }
    }

    @Test
    void aReadTheCrmFailedIsTriedAgain() {
        create("Patient", "+41 79 555 06 06");
        Events.send(HttpRequest.newBuilder(URI.create(sandbox.adminUrl() + "/hubspot/faults")).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"outage\": {\"startsInMs\": 0, \"durationMs\": 2000, \"mode\": \"status\", "
                        + "\"status\": 503}}")).build());
        CallerDirectory d = directory(search(), 100_000);
        await().atMost(Duration.ofSeconds(5)).until(() -> d.state() == CallerDirectory.State.FAILED);
        assertThat(d.candidates("+41795550606")).isNull();
        await().atMost(Duration.ofSeconds(15)).until(() -> d.state() == CallerDirectory.State.LIVE);
        assertThat(names(d.candidates("+41795550606"))).containsExactly("Patient");
    }

    @Test
    void aRecordReadAgainUnchangedKeepsTheCachedAnswerAChangedOneDropsIt() throws Exception {
        String id = create("Steady", "+41 79 555 07 07");
        CallerSearch search = search();
        CallerDirectory d = directory(search, 100_000);
        await().atMost(Duration.ofSeconds(10)).until(() -> d.state() == CallerDirectory.State.LIVE);
        CallerIdentifier identifier = new CallerIdentifier(search, d, FORMATS, SETTINGS);
        try {
            identifier.identify("+41795550707", System.nanoTime());
            assertThat(identifier.identify("+41795550707", System.nanoTime()).source()).isEqualTo(CallerIdentifier.Source.HIT);

            d.changed(id, List.of()); // a change told back that changed nothing (Callbridge's own write, say)
            await().atMost(Duration.ofSeconds(5)).until(() -> d.candidates("+41795550707") != null);
            assertThat(identifier.identify("+41795550707", System.nanoTime()).source()).isEqualTo(CallerIdentifier.Source.HIT);

            assertThat(hubspot("PATCH", "/crm/v3/objects/contacts/" + id, "{\"properties\":{\"lastname\":\"Moved\"}}").statusCode())
                    .isEqualTo(200);
            d.changed(id, List.of());
            await().atMost(Duration.ofSeconds(5)).until(() -> d.candidates("+41795550707") != null);
            CallerIdentifier.Lookup after = identifier.identify("+41795550707", System.nanoTime());
            assertThat(after.source()).isEqualTo(CallerIdentifier.Source.MISS);
            assertThat(after.identification().winner().lastName).isEqualTo("Moved");
            assertThat(requests("/search")).as("answered by the directory each time").isZero();
        } finally {
            identifier.close();
        }
    }
}
