package io.callbridge.delivery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.callbridge.crm.Outcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides when one CRM's unfinished commands are tried again: exponential backoff with jitter per
 * command, the CRM's own Retry-After, and a circuit breaker that opens after failures in a row (or a spent
 * quota) and then probes every {@code probe-interval}. A deferred command waits for the CRM's rate-limit
 * budget only: no failure counts. The delivery consumer pauses the CRM's partitions until then; nothing
 * sleeps.
 */
public final class Pacer {

    private static final Logger LOG = LoggerFactory.getLogger(Pacer.class);

    /** Backoff and breaker settings ({@code callbridge.delivery.*}). */
    public record Policy(Duration initialBackoff, Duration maxBackoff, double jitter, int breakerThreshold,
            Duration probeInterval, int maxAttempts) {
    }

    private final String crm;
    private final Policy policy;
    private final Clock clock;
    private final Random random;
    private final AtomicInteger consecutiveFailures = new AtomicInteger();
    private final AtomicLong breakerOpenings = new AtomicLong();
    private final AtomicLong pauses = new AtomicLong();
    private volatile boolean breakerOpen;
    private volatile int lastFailureStatus;
    private volatile String refusal;
    private volatile boolean paused;

    public Pacer(String crm, Policy policy, Clock clock, long seed) {
        this.crm = crm;
        this.policy = policy;
        this.clock = clock;
        this.random = new Random(seed);
    }

    public String crm() {
        return crm;
    }

    public Policy policy() {
        return policy;
    }

    /** A command went through: the CRM is healthy. */
    public void succeeded() {
        consecutiveFailures.set(0);
        refusal = null;
        if (breakerOpen) {
            breakerOpen = false;
            LOG.info("{}: the CRM answers again, circuit breaker closed", crm);
        }
    }

    /**
     * A command must be tried again: answers how long to wait.
     *
     * @param attempt how often this command has failed so far (1 for the first failure)
     */
    public Duration retryLater(Outcome outcome, int attempt) {
        if (outcome instanceof Outcome.Deferred deferred) {
            return until(deferred.notBefore());
        }
        Outcome.Retryable failure = (Outcome.Retryable) outcome;
        lastFailureStatus = failure.httpStatus() == null ? 0 : failure.httpStatus();
        refusal = failure.credentialsRefused() ? failure.reason() : null;
        int failures = consecutiveFailures.incrementAndGet();
        // a spent quota or refused credentials will not pass by retrying now: the breaker opens at once
        if ((failures >= policy.breakerThreshold() || failure.quotaExhausted() || failure.credentialsRefused()) && !breakerOpen) {
            breakerOpen = true;
            breakerOpenings.incrementAndGet();
            LOG.warn("{}: {} failure(s) in a row{}, circuit breaker open; probing every {} s", crm, failures,
                    failure.quotaExhausted() ? " (quota exhausted)" : failure.credentialsRefused() ? " (credentials refused)" : "",
                    policy.probeInterval().toSeconds());
        }
        Duration wait = breakerOpen ? policy.probeInterval() : backoff(attempt);
        Duration asked = until(failure.notBefore());
        return asked.compareTo(wait) > 0 ? asked : wait;
    }

    /** The consumer paused the CRM's partitions ({@code true}) or resumed them. */
    public void paused(boolean now) {
        if (now && !paused) {
            pauses.incrementAndGet();
        }
        paused = now;
    }

    public boolean breakerOpen() {
        return breakerOpen;
    }

    /**
     * The breaker is open because the CRM refuses Callbridge's credentials: its failures end in 401 or 403, or it refused
     * the login or token refresh itself.
     */
    public boolean credentialsRefused() {
        int status = lastFailureStatus;
        return breakerOpen && (refusal != null || status == 401 || status == 403);
    }

    /**
     * How the CRM refused Callbridge's login or token refresh (e.g. {@code hubspot: token refresh answered 400
     * BAD_REFRESH_TOKEN}: its status and error code, never a credential), while the breaker is open for it; else null.
     */
    public String credentialsRefusal() {
        String why = refusal;
        return breakerOpen ? why : null;
    }

    public long breakerOpenings() {
        return breakerOpenings.get();
    }

    /** How often the consumer paused to retry. */
    public long pauses() {
        return pauses.get();
    }

    public boolean isPaused() {
        return paused;
    }

    private Duration backoff(int attempt) {
        double base = policy.initialBackoff().toMillis() * Math.pow(2, Math.max(0, attempt - 1));
        double capped = Math.min(base, policy.maxBackoff().toMillis());
        double jittered = capped * (1 + policy.jitter() * (2 * random.nextDouble() - 1));
        return Duration.ofMillis((long) Math.max(1, jittered));
    }

    private Duration until(Instant notBefore) {
        if (notBefore == null) {
            return Duration.ZERO;
        }
        Duration d = Duration.between(clock.instant(), notBefore);
        return d.isNegative() ? Duration.ofMillis(1) : d;
    }
}
