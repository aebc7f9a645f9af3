package io.callbridge.crm.pipedrive;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callbridge.crm.CallerListing;
import io.callbridge.crm.Candidate;
import io.callbridge.crm.CrmAuth;
import io.callbridge.crm.CrmException;
import io.callbridge.crm.CrmHttp;
import io.callbridge.crm.CrmMetrics;
import io.callbridge.sandbox.CrmSandbox;
import io.callbridge.sandbox.SandboxSettings;
import io.callbridge.support.Events;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Pipedrive's persons as a caller directory reads them (the sandbox, over HTTP, 501 persons): pages of 500 on by
 * {@code next_cursor}, changed persons read again by id with the deleted left out, each parsed as the search parses
 * its results, never read again to complete them, and a refused request a failure.
 */
class PipedriveCallerListingTest {

    private static final int PERSONS = 501;

    private static CrmSandbox sandbox;
    private static PipedriveFixture.Account account;
    private static CrmHttp http;
    private static PipedriveCallerSearch search;

    @BeforeAll
    static void start() {
        sandbox = CrmSandbox.start(SandboxSettings.builder().port(0).seed(5)
                .config("pipedrive", Map.of("api-token", PipedriveFixture.TOKEN)).build());
        account = new PipedriveFixture.Account(sandbox, PipedriveFixture.TOKEN);
        http = new CrmHttp(Duration.ofSeconds(5), CrmMetrics.none());
        search = new PipedriveCallerSearch(http, account.baseUrl(), auth(PipedriveFixture.TOKEN));
        ObjectNode seed = Events.JSON.createObjectNode();
        ArrayNode persons = seed.putArray("persons");
        for (int i = 0; i < PERSONS; i++) {
            ObjectNode p = persons.addObject().put("name", "Caller N" + i);
            p.putArray("phones").addObject().put("value", "079 000 " + String.format("%04d", i)).put("primary", true);
        }
        HttpResponse<String> seeded = Events.send(HttpRequest.newBuilder(URI.create(sandbox.adminUrl() + "/pipedrive/seed"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(seed.toString())).build());
        assertThat(seeded.statusCode()).as(seeded.body()).isBetween(200, 201);
    }

    @AfterAll
    static void stop() {
        http.close();
        account.close();
    }

    private static CrmAuth auth(String token) {
        return CrmAuth.fixed(Map.of("x-api-token", token), account.baseUrl());
    }

    private static long requests(String path) {
        JsonNode journal = Events.parse(Events.send(HttpRequest.newBuilder(URI.create(sandbox.adminUrl() + "/pipedrive/requests")).GET()
                .build()).body().getBytes());
        long n = 0;
        for (JsonNode e : journal) {
            if (e.path("path").asText().endsWith(path)) n++;
        }
        return n;
    }

    @Test
    void everyPersonIsReadInPagesOfFiveHundred() throws Exception {
        CallerListing listing = search.listing();
        List<JsonNode> all = new ArrayList<>();
        CallerListing.Page page = listing.page(null).get();
        assertThat(page.records()).hasSize(500);
        assertThat(page.next()).isNotNull();
        all.addAll(page.records());
        page = listing.page(page.next()).get();
        assertThat(page.next()).as("the last page").isNull();
        all.addAll(page.records());
        assertThat(all).hasSize(PERSONS);
        assertThat(all.stream().map(listing::id).distinct()).hasSize(PERSONS);

        Candidate c = listing.candidate(all.get(7));
        assertThat(c.id).isEqualTo(all.get(7).get("id").asText());
        assertThat(c.displayName).isEqualTo("Caller N7");
        assertThat(c.firstName).isEqualTo("Caller");
        assertThat(c.lastName).isEqualTo("N7");
        assertThat(c.phones).containsExactly("079 000 0007");
        assertThat(c.ownerId).isNotNull();
        assertThat(c.lastModified).isNotNull();
        assertThat(c.recordComplete).isTrue();
    }

    @Test
    void changedPersonsAreReadAgainByIdAndThoseDeletedAreNotAnswered() throws Exception {
        long kept = account.json("POST", "/api/v2/persons", Events.parse("{\"name\":\"Kept Here\",\"phones\":[{\"value\":\"+41 79 111 00 01\"}]}"
                .getBytes())).at("/data/id").asLong();
        long gone = account.json("POST", "/api/v2/persons", Events.parse("{\"name\":\"Gone Soon\"}".getBytes())).at("/data/id").asLong();
        assertThat(account.call("DELETE", "/api/v2/persons/" + gone, null).statusCode()).isEqualTo(200);

        CallerListing listing = search.listing();
        List<JsonNode> read = listing.read(List.of(String.valueOf(kept), String.valueOf(gone))).get();
        assertThat(read).extracting(listing::id).containsExactly(String.valueOf(kept));
        assertThat(listing.candidate(read.get(0)).phones).containsExactly("+41 79 111 00 01");
        assertThat(listing.readsPerRequest()).as("Pipedrive's ids take up to 100").isEqualTo(100);

        List<String> hundred = new ArrayList<>();
        for (int i = 1; i <= 100; i++) hundred.add(String.valueOf(i));
        assertThat(listing.read(hundred).get()).hasSize(100);
    }

    @Test
    void aPersonTheListAnsweredIsNotReadAgainToCompleteIt() throws Exception {
        CallerListing listing = search.listing();
        List<Candidate> found = new ArrayList<>();
        listing.page(null).get().records().subList(0, 2).forEach(r -> found.add(listing.candidate(r)));
        long before = requests("/api/v2/persons");
        assertThat(before).as("the page just read is in the journal").isPositive();
        assertThat(search.complete(found, true).get()).hasSize(2);
        assertThat(requests("/api/v2/persons")).isEqualTo(before);
    }

    @Test
    void aRefusedRequestFails() {
        CallerListing refused = new PipedriveCallerSearch(http, account.baseUrl(), auth("not-the-token")).listing();
        assertThatThrownBy(() -> refused.page(null).get()).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(CrmException.class);
        assertThatThrownBy(() -> refused.read(List.of("1")).get()).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(CrmException.class);
    }
}
