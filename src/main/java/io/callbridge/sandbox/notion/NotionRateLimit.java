package io.callbridge.sandbox.notion;

import java.time.Clock;

/**
 * Notion's classic limit: an average of {@code ratePerSecond} requests per second with bursts, as a token bucket of
 * {@code burst} tokens refilled continuously. (Notion's 2026 page describes per-plan budgets per 60-s window whose
 * numbers are unconfirmed; the bucket is the documented average.) A refused request answers after how many whole
 * seconds one token is back.
 */
final class NotionRateLimit {

    private final Clock clock;
    private final double ratePerSecond;
    private final double burst;
    private double tokens;
    private long last = Long.MIN_VALUE;

    NotionRateLimit(Clock clock, double ratePerSecond, double burst) {
        if (ratePerSecond <= 0 || burst < 1) throw new IllegalArgumentException("rate-per-second must be > 0 and burst ≥ 1");
        this.clock = clock;
        this.ratePerSecond = ratePerSecond;
        this.burst = burst;
        this.tokens = burst;
    }

    synchronized void reset() {
        tokens = burst;
        last = Long.MIN_VALUE;
    }

    /** 0 when the request may go, else the Retry-After seconds (≥ 1). */
    synchronized long acquire() {
        long now = clock.millis();
        if (last != Long.MIN_VALUE && now > last) tokens = Math.min(burst, tokens + (now - last) / 1000.0 * ratePerSecond);
        last = Math.max(last, now);
        if (tokens >= 1) {
            tokens -= 1;
            return 0;
        }
        return Math.max(1, (long) Math.ceil((1 - tokens) / ratePerSecond));
    }

    synchronized double tokens() {
        return tokens;
    }
}
