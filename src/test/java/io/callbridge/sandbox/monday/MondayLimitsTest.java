package io.callbridge.sandbox.monday;

import com.fasterxml.jackson.databind.JsonNode;
import io.callbridge.sandbox.SandboxHttp.Resp;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The complexity budget per 60-second window, the complexity field, the daily call limit, and injected faults. */
class MondayLimitsTest extends MondayTestSupport {

    /** boards: 1 × (1 + items_page: 25 × (1 + cursor 1 + items (1 + id 1 + name 1))) = 126. */
    private static final String PAGE = "{ complexity { before after query reset_in_x_seconds } boards(ids: [1000000001]) "
            + "{ items_page(limit: 25) { cursor items { id name } } } }";

    private static JsonNode limits(String body) {
        Resp r = body == null ? adminCall("GET", "/limits", null) : adminCall("POST", "/limits", body);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    @Test
    void theComplexityFieldReportsTheBudgetBeforeAndAfterTheQuery() {
        JsonNode c = data(PAGE).get("complexity");
        assertThat(c.get("query").asInt()).isEqualTo(126);
        assertThat(c.get("before").asInt()).isEqualTo(10_000_000);
        assertThat(c.get("after").asInt()).isEqualTo(10_000_000 - 126);
        assertThat(c.get("reset_in_x_seconds").asInt()).isEqualTo(60);
        clock.advance(Duration.ofSeconds(20));
        JsonNode second = data("{ complexity { before after query reset_in_x_seconds } me { id } }").get("complexity");
        assertThat(second.get("query").asInt()).as("me { id }: 1 + 1").isEqualTo(2);
        assertThat(second.get("before").asInt()).isEqualTo(10_000_000 - 126);
        assertThat(second.get("after").asInt()).isEqualTo(10_000_000 - 128);
        assertThat(second.get("reset_in_x_seconds").asInt()).as("the window started with the first call").isEqualTo(40);
        JsonNode mutation = data("mutation { complexity { query before } create_item(board_id: 1000000001, item_name: \"x\") { id } }")
                .get("complexity");
        assertThat(mutation.get("query").asInt()).isEqualTo(10_001);
        assertThat(limits(null).at("/complexity/used").asLong()).isEqualTo(126 + 2 + 10_001);
    }

    @Test
    void theComplexitySpentSinceResetAddsUpEveryWindow() {
        data(PAGE);
        clock.advance(Duration.ofSeconds(61));
        data(PAGE);
        assertThat(limits(null).at("/complexity/used").asLong()).as("this window").isEqualTo(126);
        assertThat(limits(null).at("/complexity/spentSinceReset").asLong()).as("both windows").isEqualTo(252);
    }

    @Test
    void anExhaustedBudgetAnswers429WithRetryInSecondsAndRecoversWhenTheWindowEnds() {
        JsonNode set = limits("{\"complexity\":{\"limit\":20000}}");
        assertThat(set.at("/complexity/limit").asLong()).isEqualTo(20_000);
        String create = "mutation { create_item(board_id: 1000000001, item_name: \"x\") { id } }";
        assertThat(data(create).at("/create_item/id").asText()).isNotBlank();
        clock.advance(Duration.ofSeconds(15));
        Resp refused = gql(create);
        JsonNode e = error(refused, 429, "COMPLEXITY_BUDGET_EXHAUSTED");
        assertThat(e.get("message").asText()).isEqualTo("Complexity budget exhausted");
        assertThat(e.at("/extensions/retry_in_seconds").asInt()).isEqualTo(45);
        assertThat(e.at("/extensions/complexity").asInt()).isEqualTo(10_001);
        assertThat(e.at("/extensions/complexity_budget_left").asInt()).isEqualTo(20_000 - 10_001);
        assertThat(e.at("/extensions/complexity_budget_limit").asInt()).isEqualTo(20_000);
        assertThat(e.at("/extensions/status_code").asInt()).isEqualTo(429);
        assertThat(refused.header("Retry-After")).isEqualTo("45");
        assertThat(refused.json().has("data")).isFalse();
        assertThat(records(CONTACTS)).as("a refused mutation does nothing").hasSize(1);
        assertThat(data("{ me { id } }").at("/me/id").asText()).as("a cheap query still fits").isEqualTo("60000001");
        clock.advance(Duration.ofSeconds(44));
        error(gql(create), 429, "COMPLEXITY_BUDGET_EXHAUSTED");
        clock.advance(Duration.ofSeconds(1));
        assertThat(data(create).at("/create_item/id").asText()).as("a new window").isNotBlank();
        assertThat(records(CONTACTS)).hasSize(2);
    }

    @Test
    void aTestCanSpendTheBudgetThroughTheAdminApi() {
        limits("{\"complexity\":{\"used\":10000000}}");
        Resp r = gql("{ me { id } }");
        error(r, 429, "COMPLEXITY_BUDGET_EXHAUSTED");
        assertThat(r.header("RateLimit")).contains("\"complexity\";r=0;t=60");
        sandbox.reset("monday");
        assertThat(limits(null).at("/complexity/used").asLong()).isZero();
        assertThat(gql("{ me { id } }").status()).isEqualTo(200);
    }

    @Test
    void aQueryAboveFiveMillionPointsIsRefusedWhateverTheBudget() {
        String q = "{ boards(limit: 100) { items_page(limit: 500) { items { updates(limit: 100) { id body } column_values { id text value } } } } }";
        JsonNode e = error(gql(q), 200, "maxComplexityExceeded");
        assertThat(e.at("/extensions/complexity").asLong()).isGreaterThan(5_000_000);
        assertThat(limits(null).at("/complexity/used").asLong()).isZero();
    }

    @Test
    void theDailyLimitCountsEveryCallAndResetsAtMidnightUtc() {
        assertThat(limits(null).at("/daily/limit").asLong()).as("the default").isEqualTo(10_000);
        limits("{\"daily\":{\"limit\":3}}");
        assertThat(gql("{ me { id } }").status()).isEqualTo(200);
        assertThat(gql("{ me { nope } }").status()).as("a failed call").isEqualTo(200);
        assertThat(gql("{ me { id } }").status()).isEqualTo(200);
        JsonNode state = limits(null);
        assertThat(state.at("/daily/used").asLong()).isEqualTo(3);
        Instant midnight = clock.instant().atZone(ZoneOffset.UTC).toLocalDate().plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        assertThat(state.at("/daily/resetsAt").asText()).isEqualTo(midnight.toString());
        Resp refused = gql("{ me { id } }");
        JsonNode e = error(refused, 429, "DAILY_LIMIT_EXCEEDED");
        long toMidnight = Duration.between(clock.instant(), midnight).toSeconds();
        assertThat(e.at("/extensions/retry_in_seconds").asLong()).isEqualTo(toMidnight);
        assertThat(refused.header("Retry-After")).isEqualTo(Long.toString(toMidnight));
        assertThat(refused.json().get("account_id").asLong()).isEqualTo(MondaySandbox.ACCOUNT_ID);
        assertThat(post(Map.of("Authorization", "wrong"), "{\"query\":\"{ me { id } }\"}").status()).as("no account, no count").isEqualTo(401);
        clock.advance(Duration.ofSeconds(toMidnight - 1));
        error(gql("{ me { id } }"), 429, "DAILY_LIMIT_EXCEEDED");
        clock.advance(Duration.ofSeconds(1));
        assertThat(gql("{ me { id } }").status()).as("a new day").isEqualTo(200);
        assertThat(limits(null).at("/daily/used").asLong()).isEqualTo(1);
    }

    @Test
    void theAdminLimitsResourceRefusesNonsense() {
        assertThat(adminCall("POST", "/limits", "[]").status()).isEqualTo(400);
        assertThat(adminCall("POST", "/limits", "{\"daily\":{\"limit\":0}}").status()).isEqualTo(400);
        assertThat(adminCall("DELETE", "/limits", null).status()).isEqualTo(405);
    }

    @Test
    void injectedFaultsAnswerInMondaysShape() {
        assertThat(adminCall("POST", "/faults/script", "[{\"status\":429},{\"status\":500},{\"status\":401}]").status()).isEqualTo(200);
        Resp limited = gql("{ me { id } }");
        JsonNode e = error(limited, 429, "RATE_LIMIT_EXCEEDED");
        assertThat(e.get("message").asText()).isEqualTo("Rate Limit Exceeded");
        assertThat(limited.header("Retry-After")).isEqualTo("60");
        error(gql("{ me { id } }"), 500, "INTERNAL_SERVER_ERROR");
        error(gql("{ me { id } }"), 401, "UNAUTHENTICATED");
        assertThat(gql("{ me { id } }").status()).isEqualTo(200);
    }
}
