package io.callbridge.delivery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

import io.callbridge.crm.Outcome;
import org.apache.camel.component.kafka.consumer.errorhandler.KafkaConsumerListener;
import org.apache.camel.component.kafka.consumer.support.ProcessingResult;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Paces one CRM's consumer. When a command must be retried, the consumer is paused (it keeps polling,
 * so it stays in its group: no rebalance, however long the wait), every partition is put back to its
 * first unprocessed record, and it resumes once the backoff, the CRM's Retry-After or the circuit
 * breaker's probe interval has passed. Never sleeps on the consumer thread.
 *
 * <p>Plugged into the delivery route with Camel's {@code pausable} EIP, as consumer listener and check.
 */
public final class Pacer extends KafkaConsumerListener implements Predicate<Object> {

    private static final Logger LOG = LoggerFactory.getLogger(Pacer.class);

    /** Backoff and breaker settings ({@code callbridge.delivery.*}). */
    public record Policy(Duration initialBackoff, Duration maxBackoff, double jitter, int breakerThreshold,
            Duration probeInterval, int maxAttempts) {
    }

    private final String crm;
    private final Policy policy;
    private final Clock clock;
    private final Random random;
    private final AtomicLong resumeAt = new AtomicLong();
    private final AtomicInteger consecutiveFailures = new AtomicInteger();
    private final AtomicLong breakerOpenings = new AtomicLong();
    private final AtomicLong pauses = new AtomicLong();
    private volatile boolean breakerOpen;
    private volatile boolean paused;
    /**
     * Per partition, the first record that failed and has not been delivered since. With
     * breakOnFirstError=false Camel records a failed record as processed and commits past it right after
     * {@link #afterProcess}; these offsets put the committed position back at the next poll, and no
     * rewind ever goes beyond them (else a later failure on another partition would skip the record).
     */
    private final Map<TopicPartition, Long> undelivered = new ConcurrentHashMap<>();
    private final Set<TopicPartition> committedPastFailure = ConcurrentHashMap.newKeySet();

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
        if (breakerOpen) {
            breakerOpen = false;
            LOG.info("{}: the CRM answers again, circuit breaker closed", crm);
        }
    }

    /**
     * A command must be tried again: decides when. Called from the route's error handling, on the
     * consumer thread, just before the consumer learns the record failed. A deferred command (the CRM's
     * rate-limit budget is spent) waits for the budget only: it is no failure of the CRM.
     *
     * @param attempt how often this command has failed so far (1 for the first failure)
     */
    public Duration retryLater(Outcome outcome, int attempt) {
        Duration wait;
        if (outcome instanceof Outcome.Deferred deferred) {
            wait = until(deferred.notBefore());
        } else {
            Outcome.Retryable failure = (Outcome.Retryable) outcome;
            int failures = consecutiveFailures.incrementAndGet();
            if ((failures >= policy.breakerThreshold() || failure.quotaExhausted()) && !breakerOpen) {
                breakerOpen = true;
                breakerOpenings.incrementAndGet();
                LOG.warn("{}: {} failure(s) in a row{}, circuit breaker open; probing every {} s", crm, failures,
                        failure.quotaExhausted() ? " (quota exhausted)" : "", policy.probeInterval().toSeconds());
            }
            wait = breakerOpen ? policy.probeInterval() : backoff(attempt);
            Duration asked = until(failure.notBefore());
            if (asked.compareTo(wait) > 0) {
                wait = asked;
            }
        }
        resumeAt.set(clock.millis() + wait.toMillis());
        return wait;
    }

    private Duration until(Instant notBefore) {
        if (notBefore == null) {
            return Duration.ZERO;
        }
        Duration d = Duration.between(clock.instant(), notBefore);
        return d.isNegative() ? Duration.ofMillis(1) : d;
    }

    public boolean breakerOpen() {
        return breakerOpen;
    }

    public long breakerOpenings() {
        return breakerOpenings.get();
    }

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

    /** Resumable once the wait is over ({@code untilCheck} of the pausable EIP). */
    @Override
    public boolean test(Object ignored) {
        return clock.millis() >= resumeAt.get();
    }

    @Override
    public boolean afterProcess(ProcessingResult result) {
        TopicPartition partition = new TopicPartition(result.getTopic(), result.getPartition());
        if (!result.isFailed()) {
            undelivered.computeIfPresent(partition, (tp, first) -> result.getOffset() >= first ? null : first);
            return true;
        }
        Consumer<?, ?> consumer = getConsumer();
        undelivered.merge(partition, result.getOffset(), Math::min);
        committedPastFailure.add(partition);
        rewind(consumer, consumer.assignment());
        consumer.pause(consumer.assignment());
        paused = true;
        pauses.incrementAndGet();
        LOG.debug("{}: paused until {}", crm, Instant.ofEpochMilli(resumeAt.get()));
        return false;
    }

    @Override
    public boolean afterConsume(Object ignored) {
        Consumer<?, ?> consumer = getConsumer();
        uncommitFailures(consumer);
        if (!paused) {
            return true;
        }
        if (test(null)) {
            consumer.resume(consumer.assignment());
            paused = false;
            LOG.debug("{}: resumed", crm);
            return true;
        }
        // a rebalance while paused hands out partitions unpaused: what this poll returned for them is
        // dropped, so put them back to their first unprocessed record and pause them too
        Set<TopicPartition> unpaused = new HashSet<>(consumer.assignment());
        unpaused.removeAll(consumer.paused());
        if (!unpaused.isEmpty()) {
            rewind(consumer, unpaused);
            consumer.pause(unpaused);
        }
        return false;
    }

    /** Puts the committed position of partitions Camel committed past a failed record back on that record. */
    private void uncommitFailures(Consumer<?, ?> consumer) {
        if (committedPastFailure.isEmpty()) {
            return;
        }
        Set<TopicPartition> assigned = consumer.assignment();
        undelivered.keySet().retainAll(assigned);
        Map<TopicPartition, OffsetAndMetadata> back = new java.util.HashMap<>();
        for (TopicPartition tp : committedPastFailure) {
            Long first = undelivered.get(tp);
            if (first != null) {
                back.put(tp, new OffsetAndMetadata(first));
            }
        }
        committedPastFailure.clear();
        if (!back.isEmpty()) {
            consumer.commitSync(back);
        }
    }

    /** Every partition back to its first unprocessed record: the committed offset, or an undelivered failed record before it. */
    private void rewind(Consumer<?, ?> consumer, Set<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(partitions);
        for (TopicPartition tp : partitions) {
            Long first = undelivered.get(tp);
            OffsetAndMetadata c = committed.get(tp);
            if (first != null && (c == null || first < c.offset())) {
                consumer.seek(tp, first);
            } else if (c != null) {
                consumer.seek(tp, c.offset());
            } else {
                consumer.seekToBeginning(Set.of(tp));
            }
        }
    }
}
