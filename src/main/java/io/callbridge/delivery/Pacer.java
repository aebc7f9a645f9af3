package io.callbridge.delivery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

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
    private volatile TopicPartition retryPartition;
    private volatile long retryOffset = -1;

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
     * consumer thread, just before the consumer learns the record failed.
     *
     * @param attempt how often this command has failed so far (1 for the first failure)
     */
    public Duration retryLater(CrmFailure failure, int attempt) {
        int failures = consecutiveFailures.incrementAndGet();
        if ((failures >= policy.breakerThreshold() || failure.quotaExhausted()) && !breakerOpen) {
            breakerOpen = true;
            breakerOpenings.incrementAndGet();
            LOG.warn("{}: {} failure(s) in a row{}, circuit breaker open; probing every {} s", crm, failures,
                    failure.quotaExhausted() ? " (quota exhausted)" : "", policy.probeInterval().toSeconds());
        }
        Duration wait = breakerOpen ? policy.probeInterval() : backoff(attempt);
        if (failure.retryAfter() != null && failure.retryAfter().compareTo(wait) > 0) {
            wait = failure.retryAfter();
        }
        resumeAt.set(clock.millis() + wait.toMillis());
        return wait;
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
        if (!result.isFailed()) {
            return true;
        }
        Consumer<?, ?> consumer = getConsumer();
        retryPartition = new TopicPartition(result.getTopic(), result.getPartition());
        retryOffset = result.getOffset();
        rewind(consumer, consumer.assignment());
        consumer.pause(consumer.assignment());
        paused = true;
        pauses.incrementAndGet();
        LOG.debug("{}: paused until {}", crm, Instant.ofEpochMilli(resumeAt.get()));
        return false;
    }

    @Override
    public boolean afterConsume(Object ignored) {
        if (!paused) {
            return true;
        }
        Consumer<?, ?> consumer = getConsumer();
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

    /** Every partition back to its committed offset, the failed one to the failed record. */
    private void rewind(Consumer<?, ?> consumer, Set<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(partitions);
        for (TopicPartition tp : partitions) {
            if (tp.equals(retryPartition) && retryOffset >= 0) {
                consumer.seek(tp, retryOffset);
            } else if (committed.get(tp) != null) {
                consumer.seek(tp, committed.get(tp).offset());
            } else {
                consumer.seekToBeginning(Set.of(tp));
            }
        }
    }
}
