package io.callbridge.sandbox.zoho;

import com.fasterxml.jackson.databind.JsonNode;
import io.callbridge.sandbox.SandboxHttp.Resp;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/** Credits per rolling 24 hours with X-API-CREDITS-REMAINING, the concurrency limit, and injected faults in Zoho's bodies. */
class ZohoLimitsTest extends ZohoTestSupport {

    private static final String READ = "/crm/v8/Contacts?fields=Last_Name";
    private static final String TOO_MANY = "{\"code\":\"TOO_MANY_REQUESTS\",\"details\":{},"
            + "\"message\":\"You have reached the API request limit. Please try again later.\",\"status\":\"error\"}";

    private static void tooMany(Resp r) {
        assertThat(r.status()).isEqualTo(429);
        assertThat(r.body()).isEqualTo(TOO_MANY);
        assertThat(r.header("Retry-After")).isNull();
    }

    private static JsonNode credits(String body) {
        Resp r = body == null ? adminCall("GET", "/credits", null) : adminCall("POST", "/credits", body);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    @Test
    void theRemainingCreditsHeaderAppearsOnceHalfAreUsed() {
        assertThat(credits(null).get("limit").asLong()).as("the default").isEqualTo(50_000);
        credits("{\"limit\":20}");
        for (int i = 1; i < 10; i++) {
            Resp r = call("GET", READ, null);
            assertThat(r.status()).isEqualTo(204);
            assertThat(r.header("X-API-CREDITS-REMAINING")).as("call " + i).isNull();
        }
        assertThat(call("GET", READ, null).header("X-API-CREDITS-REMAINING")).isEqualTo("10");
        assertThat(call("GET", READ, null).header("X-API-CREDITS-REMAINING")).isEqualTo("9");
    }

    @Test
    void writesCostACreditPerTenRecordsAndSpentCreditsAnswer429() {
        credits("{\"limit\":10}");
        StringBuilder b = new StringBuilder("{\"data\":[");
        for (int i = 0; i < 25; i++) b.append(i == 0 ? "" : ",").append("{\"Last_Name\":\"N").append(i).append("\"}");
        String batch = b.append("]}").toString();
        assertThat(call("POST", "/crm/v8/Contacts", batch).status()).isEqualTo(201);
        assertThat(credits(null).get("used").asLong()).isEqualTo(3);
        credits("{\"remaining\":2}");
        tooMany(call("POST", "/crm/v8/Contacts", batch));
        assertThat(adminCall("GET", "/records/Contacts/count", null).json().get("count").asInt()).as("a refused call does nothing").isEqualTo(25);
        assertThat(call("GET", READ, null).status()).isEqualTo(200);
        assertThat(call("GET", READ, null).header("X-API-CREDITS-REMAINING")).isEqualTo("0");
        Resp spent = call("GET", READ, null);
        tooMany(spent);
        assertThat(spent.header("X-API-CREDITS-REMAINING")).isEqualTo("0");
        // the token endpoint is the accounts server's: no credits there
        assertThat(refresh().json().has("access_token")).isTrue();
    }

    /** Moves the clock; the access token (an hour long) is refreshed as a client would. */
    private static void later(Duration d) {
        clock.advance(d);
        token = refresh().json().get("access_token").asText();
    }

    @Test
    void creditsComeBack24HoursAfterTheyWereSpentNotAtMidnight() {
        credits("{\"limit\":10}");
        for (int i = 0; i < 4; i++) assertThat(call("GET", READ, null).status()).isEqualTo(204);
        later(Duration.ofHours(12));
        for (int i = 0; i < 6; i++) assertThat(call("GET", READ, null).status()).isEqualTo(204);
        tooMany(call("GET", READ, null));
        later(Duration.ofHours(12).minusSeconds(1));
        tooMany(call("GET", READ, null));
        later(Duration.ofSeconds(1));
        assertThat(credits(null).get("remaining").asLong()).isEqualTo(4);
        for (int i = 0; i < 4; i++) assertThat(call("GET", READ, null).status()).isEqualTo(204);
        tooMany(call("GET", READ, null));
    }

    @Test
    void aTestCanSpendAndRestoreCredits() {
        JsonNode spent = credits("{\"remaining\":0}");
        assertThat(spent.get("remaining").asLong()).isZero();
        assertThat(spent.get("nextRecoveryAt").asText()).isNotBlank();
        tooMany(call("GET", READ, null));
        credits("{\"remaining\":50000}");
        assertThat(call("GET", READ, null).status()).isEqualTo(204);
        sandbox.reset("zoho");
        assertThat(credits(null).get("used").asLong()).as("a reset restores every credit").isZero();
    }

    @Test
    void requestsInFlightBeyondTheConcurrencyLimitAnswer429AtOnceInjectedLatencyIncluded() {
        credits("{\"concurrency\":2}");
        assertThat(adminCall("PUT", "/faults", "{\"latencyMs\":3000,\"match\":\"^GET /crm/v8/Contacts\"}").status()).isEqualTo(200);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        record Answer(HttpResponse<String> response, Duration took) { }
        List<CompletableFuture<Answer>> sent = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            long start = System.nanoTime();
            sent.add(client.sendAsync(HttpRequest.newBuilder(URI.create(base() + READ)).timeout(Duration.ofSeconds(20))
                    .header("Authorization", "Zoho-oauthtoken " + token).build(), HttpResponse.BodyHandlers.ofString())
                    .thenApply(r -> new Answer(r, Duration.ofNanos(System.nanoTime() - start))));
        }
        List<Integer> statuses = new ArrayList<>();
        for (CompletableFuture<Answer> f : sent) {
            Answer a = f.join();
            statuses.add(a.response().statusCode());
            if (a.response().statusCode() == 429) {
                assertThat(a.response().body()).isEqualTo(TOO_MANY);
                assertThat(a.took()).as("refused on arrival, not after the latency").isLessThan(Duration.ofMillis(2500));
            } else {
                assertThat(a.took()).as("admitted requests carry the injected latency").isGreaterThanOrEqualTo(Duration.ofMillis(3000));
            }
        }
        assertThat(statuses).containsExactlyInAnyOrder(204, 204, 429);
        assertThat(credits(null).at("/concurrency/inFlight").asInt()).isZero();
        adminCall("DELETE", "/faults", null);
        assertThat(call("GET", READ, null).status()).as("the slots are free again").isEqualTo(204);
    }

    @Test
    void injectedFaultsAnswerInZohosEnvelope() {
        adminCall("POST", "/faults/script", "[{\"status\":500},{\"status\":429},{\"status\":503},{\"status\":401}]");
        JsonNode internal = error(call("GET", READ, null), 500, "INTERNAL_ERROR");
        assertThat(internal.get("message").asText()).isEqualTo("Internal server error occurred.");
        tooMany(call("GET", READ, null));
        error(call("GET", READ, null), 503, "INTERNAL_ERROR");
        error(call("GET", READ, null), 401, "INVALID_TOKEN");
        assertThat(call("GET", READ, null).status()).isEqualTo(204);
    }
}
