package io.callbridge.crm;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;

import io.callbridge.mapping.MappingException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What a CRM's answer means for the command: done, rejected, retryable (and not before when) or deferred. */
class OutcomeTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-28T10:00:00Z"), ZoneOffset.UTC);

    @Test
    void aRateLimitResetHeaderOnlyDelaysARetryAfterA429() {
        Map<String, String> pipedriveHeaders = Map.of("x-ratelimit-limit", "80", "x-ratelimit-remaining", "79", "x-ratelimit-reset", "2");
        assertThat(notBefore(Outcome.ofStatus(429, "{}", pipedriveHeaders, false, CLOCK))).isEqualTo(Duration.ofSeconds(2));
        assertThat(((Outcome.Retryable) Outcome.ofStatus(500, "{}", pipedriveHeaders, false, CLOCK)).notBefore())
                .as("a 500 is retried after the backoff, not after the window").isNull();
    }

    @Test
    void retryAfterWinsOverTheResetHeaderWhateverTheOrder() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("x-ratelimit-reset", "2");
        headers.put("Retry-After", "7");
        assertThat(notBefore(Outcome.ofStatus(429, "{}", headers, false, CLOCK))).isEqualTo(Duration.ofSeconds(7));
        assertThat(notBefore(Outcome.ofStatus(503, "{}", Map.of("Retry-After", "Sat, 28 Nov 2026 10:00:30 GMT"), false, CLOCK)))
                .isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void aRefusedTokenRefreshIsRetryableWhateverItsStatusAndSaysSoInItsCodeOnly() {
        Outcome o = Outcome.of(new java.util.concurrent.ExecutionException(
                CrmException.credentialsRefused("hubspot", 400, "token refresh", "BAD_REFRESH_TOKEN")), CLOCK);
        assertThat(o).isEqualTo(new Outcome.Retryable(400, "hubspot: token refresh answered 400 BAD_REFRESH_TOKEN", null, false, true));
        assertThat(Outcome.of(CrmException.failed("hubspot", 401, "token refresh", "x"), CLOCK))
                .as("a plain 401 is no refused refresh").isEqualTo(new Outcome.Retryable(401, "token refresh answered 401 x", null, false));
    }

    @Test
    void aRequestWhoseRouteStoppedFirstWasNeverSentAndCountsNoAttempt() {
        // Camel's own exception, from a connector's route stopped before the batch in flight ended (shutdown)
        Outcome o = Outcome.of(new org.apache.camel.CamelExecutionException("send failed", null,
                new org.apache.camel.component.direct.DirectConsumerNotAvailableException("No consumers available on endpoint", null)),
                CLOCK);
        assertThat(o).isInstanceOf(Outcome.Deferred.class);
        assertThat(((Outcome.Deferred) o).notBefore()).isEqualTo(CLOCK.instant());
    }

    @Test
    void serverErrorsThrottlingAndExpiredTokensAreRetriedOtherRefusalsAreNot() {
        for (int status : new int[] {500, 502, 503, 401, 408, 429}) {
            assertThat(Outcome.ofStatus(status, "", Map.of(), false, CLOCK)).as("HTTP %d", status).isInstanceOf(Outcome.Retryable.class);
        }
        for (int status : new int[] {400, 403, 404, 422}) {
            assertThat(Outcome.ofStatus(status, "{\"message\":\"refused\"}", Map.of(), false, CLOCK)).as("HTTP %d", status)
                    .isEqualTo(new Outcome.Rejected(status, "{\"message\":\"refused\"}", false));
        }
        assertThat(Outcome.ofStatus(403, "REQUEST_LIMIT_EXCEEDED", Map.of(), true, CLOCK)).as("a quota")
                .isInstanceOf(Outcome.Retryable.class);
    }

    @Test
    void everyFailureIsClassifiedOnceWhateverThrewIt() {
        assertThat(Outcome.of(new RuntimeException("wrapped", CrmException.answered("x", 422, "bad field", Map.of(), false)), CLOCK))
                .as("the CRM's refusal, however deep").isEqualTo(new Outcome.Rejected(422, "bad field", false));
        assertThat(Outcome.of(new MappingException("mappings/x/log-call.jsonata", 3, "broken"), CLOCK))
                .as("a template that fails").isInstanceOf(Outcome.Rejected.class)
                .extracting(o -> ((Outcome.Rejected) o).errorClass()).isEqualTo("invalid");
        assertThat(Outcome.of(new IOException("connection reset"), CLOCK)).isInstanceOf(Outcome.Retryable.class);
        assertThat(Outcome.of(new IllegalStateException("anything else"), CLOCK)).isInstanceOf(Outcome.Retryable.class);
    }

    @Test
    void aSpentRateLimitBudgetDefersTheCommandItIsNotAFailure() {
        Outcome o = Outcome.of(CrmException.deferred("x", Duration.ofSeconds(4), "window spent"), CLOCK);
        assertThat(o).isEqualTo(new Outcome.Deferred(CLOCK.instant().plusSeconds(4), "x: window spent"));
    }

    private static Duration notBefore(Outcome o) {
        return Duration.between(CLOCK.instant(), ((Outcome.Retryable) o).notBefore());
    }
}
