package io.callbridge.delivery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import io.callbridge.crm.Outcome;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The breaker: after failures in a row, at once for a spent quota or refused credentials; which of them readiness shows. */
class PacerTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-28T10:00:00Z"), ZoneOffset.UTC);
    private final Pacer pacer = new Pacer("hubspot", new Pacer.Policy(Duration.ofMillis(200), Duration.ofSeconds(5), 0.2, 3,
            Duration.ofSeconds(5), 5), CLOCK, 1);

    @Test
    void plainFailuresOpenTheBreakerAfterTheThreshold() {
        Outcome.Retryable outage = new Outcome.Retryable(503, "down", null, false);
        pacer.retryLater(outage, 1);
        pacer.retryLater(outage, 1);
        assertThat(pacer.breakerOpen()).isFalse();
        assertThat(pacer.retryLater(outage, 1)).as("then a probe every interval").isEqualTo(Duration.ofSeconds(5));
        assertThat(pacer.breakerOpen()).isTrue();
        assertThat(pacer.credentialsRefused()).isFalse();
        assertThat(pacer.credentialsRefusal()).isNull();
    }

    @Test
    void aRefusedTokenRefreshOpensTheBreakerAtOnceAndIsNamedUntilACommandGoesThrough() {
        pacer.retryLater(new Outcome.Retryable(400, "hubspot: token refresh answered 400 BAD_REFRESH_TOKEN", null, false, true), 1);
        assertThat(pacer.breakerOpen()).isTrue();
        assertThat(pacer.credentialsRefused()).isTrue();
        assertThat(pacer.credentialsRefusal()).isEqualTo("hubspot: token refresh answered 400 BAD_REFRESH_TOKEN");

        pacer.retryLater(new Outcome.Retryable(503, "down", null, false), 2);
        assertThat(pacer.credentialsRefused()).as("the last failure was an outage").isFalse();
        pacer.retryLater(new Outcome.Retryable(400, "hubspot: token refresh answered 400 BAD_REFRESH_TOKEN", null, false, true), 3);
        pacer.succeeded();
        assertThat(pacer.breakerOpen()).isFalse();
        assertThat(pacer.credentialsRefused()).isFalse();
        assertThat(pacer.credentialsRefusal()).isNull();
    }

    @Test
    void a401AfterTheThresholdStillCountsAsRefusedCredentials() {
        Outcome.Retryable refused = new Outcome.Retryable(401, "{\"category\":\"INVALID_AUTHENTICATION\"}", null, false);
        for (int i = 0; i < 3; i++) {
            pacer.retryLater(refused, 1);
        }
        assertThat(pacer.credentialsRefused()).isTrue();
        assertThat(pacer.credentialsRefusal()).as("the CRM's own body is never shown").isNull();
    }
}
