package io.callbridge.audit;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * How many refused or failed admin requests are recorded, per key: a flood of wrong keys must not fill a topic kept
 * for a year, nor hide one key's attempts behind another's. Every request without a known key shares one budget, so
 * there are as many budgets as configured keys, plus one. What is left out is counted and said by the next record.
 */
final class RefusalBudget {

    /** The budget of requests that presented no known key. */
    static final String ANONYMOUS = "";

    private final double perMinute;
    private final LongSupplier nanoTime;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    RefusalBudget(double perMinute, LongSupplier nanoTime) {
        this.perMinute = perMinute;
        this.nanoTime = nanoTime;
    }

    /** -1: leave this one out; otherwise record it, saying that this many were left out before it. */
    long admit(String keyId) {
        return buckets.computeIfAbsent(keyId == null ? ANONYMOUS : keyId, k -> new Bucket(nanoTime.getAsLong())).take();
    }

    /** A token bucket of {@code perMinute} tokens, refilled evenly, and the refusals it turned away since its last token. */
    private final class Bucket {
        private double tokens = perMinute;
        private long refilledAt;
        private long leftOut;

        Bucket(long now) {
            refilledAt = now;
        }

        synchronized long take() {
            long now = nanoTime.getAsLong();
            tokens = Math.min(perMinute, tokens + (now - refilledAt) / 60e9 * perMinute);
            refilledAt = now;
            if (tokens < 1) {
                leftOut++;
                return -1;
            }
            tokens -= 1;
            long said = leftOut;
            leftOut = 0;
            return said;
        }
    }
}
