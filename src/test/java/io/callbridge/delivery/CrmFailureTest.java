package io.callbridge.delivery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What a CRM's answer means for the retry: retryable or not, and how long the CRM asked us to wait. */
class CrmFailureTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-28T10:00:00Z"), ZoneOffset.UTC);

    @Test
    void aRateLimitResetHeaderOnlyDelaysARetryAfterA429() {
        Map<String, String> pipedriveHeaders = Map.of("x-ratelimit-limit", "80", "x-ratelimit-remaining", "79", "x-ratelimit-reset", "2");
        assertThat(CrmFailure.fromStatus(429, "{}", pipedriveHeaders, false, CLOCK).retryAfter()).isEqualTo(Duration.ofSeconds(2));
        assertThat(CrmFailure.fromStatus(500, "{}", pipedriveHeaders, false, CLOCK).retryAfter())
                .as("a 500 is retried after the backoff, not after the window").isNull();
    }

    @Test
    void retryAfterWinsOverTheResetHeaderWhateverTheOrder() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("x-ratelimit-reset", "2");
        headers.put("Retry-After", "7");
        assertThat(CrmFailure.fromStatus(429, "{}", headers, false, CLOCK).retryAfter()).isEqualTo(Duration.ofSeconds(7));
        assertThat(CrmFailure.fromStatus(503, "{}", Map.of("Retry-After", "Sat, 28 Nov 2026 10:00:30 GMT"), false, CLOCK).retryAfter())
                .isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void serverErrorsThrottlingAndExpiredTokensAreRetriedOtherRefusalsAreNot() {
        for (int status : new int[] {500, 502, 503, 401, 408, 429}) {
            assertThat(CrmFailure.fromStatus(status, "", Map.of(), false, CLOCK).retryable()).as("HTTP %d", status).isTrue();
        }
        for (int status : new int[] {400, 403, 404, 422}) {
            assertThat(CrmFailure.fromStatus(status, "", Map.of(), false, CLOCK).retryable()).as("HTTP %d", status).isFalse();
        }
        assertThat(CrmFailure.fromStatus(403, "REQUEST_LIMIT_EXCEEDED", Map.of(), true, CLOCK).retryable()).as("a quota").isTrue();
    }
}
