package io.callbridge.sandbox;

import java.time.Clock;

/**
 * A fixed rate-limit window: at most {@code quota} requests per {@code windowMillis}, counted from
 * the first request of the window. Salesforce uses it as the daily API allocation, other CRMs as
 * their burst limit. A quota of 0 or less means unlimited.
 */
public final class RateLimiter {

    /** The state after one acquire: allowed or not, usage and when the window resets. */
    public record Usage(boolean allowed, long used, long quota, long windowMillis, long resetAtMillis) {
        public long remaining() {
            return Math.max(0, quota - used);
        }
    }

    private final Clock clock;
    private long windowMillis = 86_400_000L;
    private long quota = 0;
    private long windowStart = -1;
    private long used;
    private long defaultWindowMillis = 86_400_000L;
    private long defaultQuota = 0;

    /** A CRM with a second limit (search, daily budget) creates its own; resetting that one is the CRM's job. */
    public RateLimiter(Clock clock) {
        this.clock = clock;
    }

    public synchronized void configure(long windowMillis, long quota) {
        if (windowMillis <= 0) {
            throw new IllegalArgumentException("windowSeconds must be positive");
        }
        this.windowMillis = windowMillis;
        this.quota = quota;
        this.windowStart = -1;
        this.used = 0;
    }

    public synchronized void resetUsage() {
        windowStart = -1;
        used = 0;
    }

    /** Configures the window and makes it what {@link #restoreDefaults()} returns to. */
    public synchronized void configureDefault(long windowMillis, long quota) {
        configure(windowMillis, quota);
        defaultWindowMillis = windowMillis;
        defaultQuota = quota;
    }

    /** Back to the configured window and quota, with no usage (a sandbox reset). */
    public synchronized void restoreDefaults() {
        configure(defaultWindowMillis, defaultQuota);
    }

    /** Counts one request if the quota allows it. */
    public synchronized Usage tryAcquire() {
        roll();
        boolean allowed = quota <= 0 || used < quota;
        if (allowed) {
            used++;
        }
        return new Usage(allowed, used, quota, windowMillis, windowStart + windowMillis);
    }

    /** Current usage without counting. */
    public synchronized Usage peek() {
        roll();
        return new Usage(quota <= 0 || used < quota, used, quota, windowMillis, windowStart + windowMillis);
    }

    public synchronized long windowMillis() {
        return windowMillis;
    }

    public synchronized long quota() {
        return quota;
    }

    private void roll() {
        long now = clock.millis();
        if (windowStart < 0 || now >= windowStart + windowMillis) {
            windowStart = now;
            used = 0;
        }
    }
}
