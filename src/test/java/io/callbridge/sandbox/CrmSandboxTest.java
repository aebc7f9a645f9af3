package io.callbridge.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import io.callbridge.sandbox.SandboxHttp.Resp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shared mechanism: server, admin API, fault injection and rate-limit windows, over real HTTP. */
class CrmSandboxTest {

    static MutableClock clock = new MutableClock(Instant.parse("2026-11-28T09:00:00Z"));
    static CrmSandbox sandbox;

    @BeforeAll
    static void start() {
        sandbox = CrmSandbox.start(SandboxSettings.builder().port(0).seed(1234).clock(clock).crm("salesforce").build());
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    @BeforeEach
    void reset() {
        assertEquals(204, SandboxHttp.json("POST", sandbox.adminUrl() + "/reset", null, null).status());
    }

    private static String admin(String path) {
        return sandbox.adminUrl() + "/salesforce" + path;
    }

    private static Resp versions() {
        return SandboxHttp.json("GET", sandbox.baseUrl("salesforce") + "/services/data/", null, null);
    }

    private static Resp put(String path, String json) {
        Resp r = SandboxHttp.json("PUT", admin(path), null, json);
        assertEquals(200, r.status(), r.body());
        return r;
    }

    @Test
    void baseUrlsAndAdminRoot() {
        assertTrue(sandbox.port() > 0);
        assertEquals("http://localhost:" + sandbox.port() + "/salesforce", sandbox.baseUrl("salesforce"));
        JsonNode root = SandboxHttp.json("GET", sandbox.adminUrl(), null, null).json();
        assertEquals("salesforce", root.get("crms").get(0).get("name").asText());
        assertEquals(sandbox.baseUrl("salesforce"), root.get("crms").get(0).get("baseUrl").asText());
        assertEquals(1234, root.get("seed").asLong());
        assertEquals(404, SandboxHttp.json("GET", sandbox.adminUrl() + "/hubspot/records", null, null).status());
        assertEquals(404, SandboxHttp.json("GET", "http://localhost:" + sandbox.port() + "/hubspot/crm/v3/objects/contacts", null, null).status());
        assertThrows(IllegalArgumentException.class, () -> sandbox.baseUrl("pipedrive"));
    }

    @Test
    void clientsOfferingAnH2cUpgradeGetHttp11Answers() throws Exception {
        // java.net.http's default client offers "Upgrade: h2c" on plain http; the sandbox answers in HTTP/1.1
        java.net.http.HttpClient h2 = java.net.http.HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        for (int i = 0; i < 20; i++) {
            java.net.http.HttpResponse<String> r = h2.send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(sandbox.baseUrl("salesforce") + "/services/data/")).timeout(Duration.ofSeconds(10)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode());
            assertEquals(java.net.http.HttpClient.Version.HTTP_1_1, r.version());
            java.net.http.HttpResponse<String> p = h2.send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(sandbox.baseUrl("salesforce") + "/services/oauth2/token")).timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&client_id=x")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(400, p.statusCode());
        }
    }

    @Test
    void startFailsClearly() throws Exception {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> CrmSandbox.start(SandboxSettings.builder().port(0).crm("dynamics").build()));
        assertTrue(unknown.getMessage().contains("dynamics"));
        try (ServerSocket taken = new ServerSocket(0)) {
            IllegalStateException busy = assertThrows(IllegalStateException.class,
                    () -> CrmSandbox.start(SandboxSettings.builder().port(taken.getLocalPort()).crm("salesforce").build()));
            assertTrue(busy.getMessage().contains(String.valueOf(taken.getLocalPort())), busy.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> CrmSandbox.start(SandboxSettings.builder().port(0)
                .config("salesforce", "fault.error-rate", "7").build()));
    }

    @Test
    void settingsFromProperties() {
        Map<String, String> props = Map.of("callbridge.sandbox.port", "0", "callbridge.sandbox.seed", "77",
                "callbridge.sandbox.salesforce.client-id", "from-props", "callbridge.sandbox.salesforce.rate-limit.quota", "5");
        SandboxSettings s = SandboxSettings.fromProperties(props::get, Set.of("salesforce"), Set.of("client-id", "rate-limit.quota", "client-secret"));
        assertEquals(0, s.port());
        assertEquals(77, s.seed());
        assertEquals(Map.of("client-id", "from-props", "rate-limit.quota", "5"), s.config("salesforce"));
        assertEquals(SandboxSettings.DEFAULT_PORT, SandboxSettings.fromProperties(k -> null, Set.of(), Set.of()).port());
        Map<String, String> more = Map.of("callbridge.sandbox.salesforce.refresh-token", "r", "callbridge.sandbox.salesforce.fault.latency-ms", "5",
                "callbridge.sandbox.salesforce.unknown", "x");
        assertEquals(Map.of("refresh-token", "r", "fault.latency-ms", "5"), SandboxSettings.fromProperties(more::get, Set.of("salesforce")).config("salesforce"));
        assertTrue(SandboxCrms.configKeys("salesforce").containsAll(Set.of("client-id", "jwt-certificate", "faults", "rate-limit.quota")));
    }

    @Test
    void seedListAndReset() {
        Resp seeded = SandboxHttp.json("POST", admin("/seed"), null, "{\"Account\":[{\"Name\":\"Dupont SA\"}],"
                + "\"Contact\":[{\"LastName\":\"Dupont\",\"Phone\":\"+41791234567\",\"CreatedDate\":\"2026-11-20T14:02:00Z\"}]}");
        assertEquals(201, seeded.status(), seeded.body());
        String contact = seeded.json().get("Contact").get(0).asText();
        assertTrue(contact.startsWith("003"));
        JsonNode contacts = SandboxHttp.json("GET", admin("/records/Contact"), null, null).json();
        assertEquals(1, contacts.size());
        assertEquals("+41791234567", contacts.get(0).get("Phone").asText());
        assertEquals("2026-11-20T14:02:00.000+0000", contacts.get(0).get("CreatedDate").asText());
        assertEquals(1, SandboxHttp.json("GET", admin("/records?type=Account"), null, null).json().size());
        JsonNode all = SandboxHttp.json("GET", admin("/records"), null, null).json();
        assertTrue(all.has("Account") && all.has("Contact") && all.has("User"), all.toString());

        // seeding goes through validation and is all-or-nothing
        Resp bad = SandboxHttp.json("POST", admin("/seed"), null, "{\"Contact\":[{\"LastName\":\"Ok\"},{\"FirstName\":\"NoLast\"}]}");
        assertEquals(400, bad.status());
        assertTrue(bad.json().get("error").asText().startsWith("REQUIRED_FIELD_MISSING"), bad.body());
        assertEquals(1, SandboxHttp.json("GET", admin("/records/Contact"), null, null).json().size());
        assertEquals(400, SandboxHttp.json("POST", admin("/seed"), null, "{\"Widget\":[{}]}").status());
        assertEquals(400, SandboxHttp.json("POST", admin("/seed"), null, "not json").status());
        assertEquals(404, SandboxHttp.json("GET", admin("/records/Widget"), null, null).status());

        assertEquals(204, SandboxHttp.json("POST", admin("/reset"), null, null).status());
        assertEquals(0, SandboxHttp.json("GET", admin("/records/Contact"), null, null).json().size());
    }

    @Test
    void errorRateIsSeededSoARunReplays() {
        List<Integer> first = statuses("{\"errorRate\":0.5,\"errorStatuses\":[500,503],\"seed\":99}", 30);
        List<Integer> second = statuses("{\"errorRate\":0.5,\"errorStatuses\":[500,503],\"seed\":99}", 30);
        assertEquals(first, second);
        assertTrue(first.contains(200) && first.contains(500) && first.contains(503), first.toString());
        List<Integer> other = statuses("{\"errorRate\":0.5,\"errorStatuses\":[500,503],\"seed\":100}", 30);
        assertNotEquals(first, other);
        // the CRM's own error body for the injected status
        put("/faults", "{\"errorRate\":1,\"errorStatuses\":[500]}");
        Resp r = versions();
        assertEquals(500, r.status());
        assertEquals("UNKNOWN_EXCEPTION", r.json().get(0).get("errorCode").asText());
        assertTrue(r.header("Sforce-Limit-Info").startsWith("api-usage="));
        JsonNode state = SandboxHttp.json("GET", admin("/faults"), null, null).json();
        assertEquals(1, state.get("injected").asInt());
        assertEquals(200, SandboxHttp.json("DELETE", admin("/faults"), null, null).status());
        assertEquals(200, versions().status());
    }

    private List<Integer> statuses(String faults, int n) {
        put("/faults", faults);
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < n; i++) out.add(versions().status());
        return out;
    }

    @Test
    void scriptedSequenceWithBodiesHeadersMatchAndRepeat() {
        put("/faults", """
                {"script": [
                  {"status": 503, "headers": {"Retry-After": "2"}},
                  {"status": 0},
                  {"status": 429, "body": {"custom": true}, "headers": {"X-Test": "a"}, "repeat": 2},
                  {"status": 401, "match": "^POST /services/oauth2/token$"},
                  {"status": 502, "body": "<html>Bad gateway</html>"}
                ]}""");
        Resp r1 = versions();
        assertEquals(503, r1.status());
        assertEquals("2", r1.header("Retry-After"));
        assertEquals("SERVER_UNAVAILABLE", r1.json().get(0).get("errorCode").asText());
        assertEquals(200, versions().status());
        for (int i = 0; i < 2; i++) {
            Resp r = versions();
            assertEquals(429, r.status());
            assertTrue(r.json().get("custom").asBoolean());
            assertEquals("a", r.header("X-Test"));
        }
        // the next entry waits for a matching request: other requests pass
        assertEquals(200, versions().status());
        Resp token = SandboxHttp.form(sandbox.baseUrl("salesforce") + "/services/oauth2/token", Map.of("grant_type", "client_credentials"));
        assertEquals(401, token.status());
        Resp html = versions();
        assertEquals(502, html.status());
        assertEquals("<html>Bad gateway</html>", html.body());
        assertEquals(200, versions().status());
        // appended entries
        assertEquals(200, SandboxHttp.json("POST", admin("/faults/script"), null, "[{\"status\":500}]").status());
        assertEquals(500, versions().status());
        assertEquals(0, SandboxHttp.json("GET", admin("/faults"), null, null).json().get("script").size());
    }

    @Test
    void addedLatency() {
        put("/faults", "{\"latencyMs\":300,\"latencyJitterMs\":50}");
        long t0 = System.nanoTime();
        assertEquals(200, versions().status());
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms >= 300, "took " + ms + " ms");
        put("/faults", "{\"latencyMs\":1500,\"match\":\"^POST \"}");
        t0 = System.nanoTime();
        assertEquals(200, versions().status());
        assertTrue((System.nanoTime() - t0) / 1_000_000 < 1500, "GET is not matched");
    }

    @Test
    void lateAnswersComeAfterTheWorkIsDone() throws Exception {
        String t = SandboxHttp.form(sandbox.baseUrl("salesforce") + "/services/oauth2/token", Map.of("grant_type", "client_credentials",
                "client_id", io.callbridge.sandbox.salesforce.SalesforceSandbox.DEFAULT_CLIENT_ID, "client_secret",
                io.callbridge.sandbox.salesforce.SalesforceSandbox.DEFAULT_CLIENT_SECRET)).json().get("access_token").asText();
        put("/faults", "{\"lateRate\":1.0,\"lateMs\":1500,\"match\":\"^POST /services/data\"}");
        java.util.concurrent.CompletableFuture<Resp> answer = java.util.concurrent.CompletableFuture.supplyAsync(() -> SandboxHttp.json("POST",
                sandbox.baseUrl("salesforce") + "/services/data/v60.0/sobjects/Lead", t, "{\"LastName\":\"Late\",\"Company\":\"L\"}"));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(1)).until(() ->
                SandboxHttp.json("GET", admin("/records/Lead"), null, null).json().size() == 1);
        assertTrue(!answer.isDone(), "the record exists before the answer is sent");
        assertEquals(201, answer.get(5, java.util.concurrent.TimeUnit.SECONDS).status());
        assertEquals(1, SandboxHttp.json("GET", admin("/faults"), null, null).json().get("injected").asInt());
    }

    @Test
    void outageWindow() {
        put("/faults", "{\"outage\":{\"startsInMs\":1000,\"durationMs\":5000}}");
        assertEquals(200, versions().status());
        clock.advance(Duration.ofMillis(1500));
        Resp down = versions();
        assertEquals(503, down.status());
        assertEquals("SERVER_UNAVAILABLE", down.json().get(0).get("errorCode").asText());
        assertTrue(SandboxHttp.json("GET", admin("/faults"), null, null).json().get("outage").get("active").asBoolean());
        clock.advance(Duration.ofSeconds(5));
        assertEquals(200, versions().status());

        Instant now = clock.instant();
        put("/faults", "{\"outage\":{\"from\":\"" + now + "\",\"until\":\"" + now.plusSeconds(60) + "\",\"mode\":\"reset\"}}");
        assertThrows(UncheckedIOException.class, CrmSandboxTest::versions);
        clock.advance(Duration.ofSeconds(61));
        assertEquals(200, versions().status());
    }

    @Test
    void rateLimitWindowAndQuota() {
        put("/rate-limit", "{\"windowSeconds\":10,\"quota\":2}");
        String t = SandboxHttp.form(sandbox.baseUrl("salesforce") + "/services/oauth2/token", Map.of("grant_type", "client_credentials",
                "client_id", io.callbridge.sandbox.salesforce.SalesforceSandbox.DEFAULT_CLIENT_ID, "client_secret", io.callbridge.sandbox.salesforce.SalesforceSandbox.DEFAULT_CLIENT_SECRET)).json().get("access_token").asText();
        String url = sandbox.baseUrl("salesforce") + "/services/data/v60.0/limits";
        assertEquals(200, SandboxHttp.json("GET", url, t, null).status());
        assertEquals(200, SandboxHttp.json("GET", url, t, null).status());
        assertEquals(403, SandboxHttp.json("GET", url, t, null).status());
        JsonNode state = SandboxHttp.json("GET", admin("/rate-limit"), null, null).json();
        assertEquals(2, state.get("used").asInt());
        assertEquals(10.0, state.get("windowSeconds").asDouble());
        clock.advance(Duration.ofSeconds(10));
        Resp again = SandboxHttp.json("GET", url, t, null);
        assertEquals(200, again.status());
        assertEquals("api-usage=1/2", again.header("Sforce-Limit-Info"));
        assertEquals(400, SandboxHttp.json("PUT", admin("/rate-limit"), null, "{\"windowSeconds\":10}").status());
        assertEquals(400, SandboxHttp.json("PUT", admin("/rate-limit"), null, "{\"windowSeconds\":0,\"quota\":1}").status());
    }

    @Test
    void invalidFaultControlsAreRefused() {
        for (String bad : List.of("{\"errorRate\":2}", "{\"errorStatuses\":[42]}", "{\"latencyMs\":-1}", "{\"match\":\"([\"}",
                "{\"outage\":{\"startsInMs\":0}}", "{\"outage\":{\"durationMs\":10,\"mode\":\"explode\"}}", "{\"script\":[{\"body\":{}}]}",
                "{\"errorRat\":0.1}", "[]")) {
            Resp r = SandboxHttp.json("PUT", admin("/faults"), null, bad);
            assertEquals(400, r.status(), bad + " -> " + r.body());
            assertTrue(r.json().has("error"));
        }
        assertEquals(405, SandboxHttp.json("POST", admin("/faults"), null, "{}").status());
        assertEquals(405, SandboxHttp.json("GET", admin("/tokens/expire"), null, null).status());
    }

    @Test
    void aSimulatorWithoutRefreshTokensSaysSoWhenAskedToRevokeOne() {
        try (CrmSandbox monday = CrmSandbox.start(SandboxSettings.builder().port(0).crm("monday").build())) {
            String tokens = monday.adminUrl() + "/monday/tokens";
            Resp r = SandboxHttp.json("POST", tokens + "/revoke", null, null);
            assertEquals(404, r.status(), r.body());
            assertTrue(r.body().contains("monday has no refresh token to revoke"), r.body());
            assertEquals(404, SandboxHttp.json("POST", tokens + "/restore", null, null).status());
            assertEquals(404, SandboxHttp.json("POST", tokens + "/forget", null, null).status());
            assertEquals(405, SandboxHttp.json("GET", tokens + "/revoke", null, null).status());
        }
    }

    @Test
    void faultsFromConfiguration() {
        try (CrmSandbox s = CrmSandbox.start(SandboxSettings.builder().port(0).config("salesforce",
                Map.of("fault.error-rate", "1", "fault.error-statuses", "502", "fault.match", "^GET /services/data/$")).build())) {
            assertEquals(502, SandboxHttp.json("GET", s.baseUrl("salesforce") + "/services/data/", null, null).status());
            assertEquals(200, SandboxHttp.json("GET", s.baseUrl("salesforce") + "/services/data", null, null).status());
        }
        // the whole JSON spec as one key: scripted answers and outages from configuration too
        try (CrmSandbox s = CrmSandbox.start(SandboxSettings.builder().port(0).config("salesforce",
                Map.of("faults", "{\"script\":[{\"status\":503,\"headers\":{\"Retry-After\":\"1\"}}],\"outage\":{\"startsInMs\":3600000,\"durationMs\":1000}}")).build())) {
            Resp r = SandboxHttp.json("GET", s.baseUrl("salesforce") + "/services/data/", null, null);
            assertEquals(503, r.status());
            assertEquals("1", r.header("Retry-After"));
            assertEquals(200, SandboxHttp.json("GET", s.baseUrl("salesforce") + "/services/data/", null, null).status());
            assertTrue(SandboxHttp.json("GET", s.adminUrl() + "/salesforce/faults", null, null).json().has("outage"));
        }
    }

    @Test
    void journalKeepsNoQueryStringsOrBodies() {
        versions();
        SandboxHttp.json("GET", sandbox.baseUrl("salesforce") + "/services/data/v56.0/query?q=SELECT+Id+FROM+Contact+WHERE+Phone='%2B41791234567'", "secret-token", null);
        put("/faults", "{\"script\":[{\"status\":500}]}");
        versions();
        JsonNode j = SandboxHttp.json("GET", admin("/requests"), null, null).json();
        assertEquals(3, j.size(), j.toString());
        assertEquals("/services/data/v56.0/query", j.get(1).get("path").asText());
        assertEquals(401, j.get(1).get("status").asInt());
        assertTrue(j.get(2).get("injected").asBoolean());
        assertEquals(3, j.get(2).get("seq").asLong(), "the newest entry's seq counts every request since the last clear");
        assertTrue(!j.toString().contains("4179") && !j.toString().contains("secret"), j.toString());
        assertEquals(204, SandboxHttp.json("DELETE", admin("/requests"), null, null).status());
        assertEquals(0, SandboxHttp.json("GET", admin("/requests"), null, null).json().size());
        versions();
        assertEquals(1, SandboxHttp.json("GET", admin("/requests"), null, null).json().get(0).get("seq").asLong());
        assertNull(SandboxHttp.json("GET", admin("/requests"), null, null).header("Sforce-Limit-Info"));
    }
}
