package io.callbridge.sandbox.monday;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callbridge.sandbox.Json;

/**
 * monday's two account limits for the token: complexity points per window of 60 seconds that starts with the first
 * call after the previous window ended (monday: "resets 60 s after the first call"), and calls per day, reset at
 * midnight UTC, every authenticated call counting, refused ones included.
 */
final class MondayLimits {

    static final long WINDOW_MILLIS = 60_000;

    /** The budget as a query sees it: before it ran, its cost, and when the window resets. */
    record Budget(boolean allowed, long before, long cost, long limit, long resetInSeconds) {
        long after() {
            return allowed ? before - cost : before;
        }
    }

    private final Clock clock;
    private final long defaultBudget;
    private final long defaultDaily;
    private long budget;
    private long dailyLimit;
    private long windowStart = -1;
    private long used;
    private LocalDate day;
    private long calls;
    /** Complexity spent since the last reset, every window together (what a benchmark divides by its events). */
    private long spentTotal;

    MondayLimits(Clock clock, long budget, long dailyLimit) {
        if (budget <= 0 || dailyLimit <= 0) throw new IllegalArgumentException("complexity-per-minute and daily-limit must be positive");
        this.clock = clock;
        this.defaultBudget = budget;
        this.defaultDaily = dailyLimit;
        this.budget = budget;
        this.dailyLimit = dailyLimit;
    }

    /** Counts one call against the day; false when the day's calls were already spent. */
    synchronized boolean countCall() {
        rollDay();
        calls++;
        return calls <= dailyLimit;
    }

    /** Seconds until midnight UTC. */
    synchronized long secondsToMidnight() {
        Instant now = clock.instant();
        Instant midnight = now.atZone(ZoneOffset.UTC).toLocalDate().plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        return Math.max(1, (midnight.toEpochMilli() - now.toEpochMilli() + 999) / 1000);
    }

    /** Spends {@code cost} if the window's budget has it; a refused query spends nothing. */
    synchronized Budget trySpend(long cost) {
        roll();
        long left = budget - used;
        boolean ok = cost <= left;
        Budget b = new Budget(ok, left, cost, budget, resetInSeconds());
        if (ok) {
            used += cost;
            spentTotal += cost;
        }
        return b;
    }

    private long resetInSeconds() {
        return Math.max(1, (windowStart + WINDOW_MILLIS - clock.millis() + 999) / 1000);
    }

    private void roll() {
        long now = clock.millis();
        if (windowStart < 0 || now >= windowStart + WINDOW_MILLIS) {
            windowStart = now;
            used = 0;
        }
    }

    private void rollDay() {
        LocalDate today = clock.instant().atZone(ZoneOffset.UTC).toLocalDate();
        if (!today.equals(day)) {
            day = today;
            calls = 0;
        }
    }

    synchronized long dailyLimit() {
        return dailyLimit;
    }

    /** Admin: any of {@code complexity: {limit, used}} and {@code daily: {limit, used}}. */
    synchronized void set(Long complexityLimit, Long complexityUsed, Long daily, Long dailyUsed) {
        if (complexityLimit != null) {
            if (complexityLimit <= 0) throw new IllegalArgumentException("the complexity limit must be positive");
            budget = complexityLimit;
        }
        if (complexityUsed != null) {
            roll();
            used = Math.max(0, complexityUsed);
        }
        if (daily != null) {
            if (daily <= 0) throw new IllegalArgumentException("the daily limit must be positive");
            dailyLimit = daily;
        }
        if (dailyUsed != null) {
            rollDay();
            calls = Math.max(0, dailyUsed);
        }
    }

    synchronized void reset() {
        budget = defaultBudget;
        dailyLimit = defaultDaily;
        windowStart = -1;
        used = 0;
        day = null;
        calls = 0;
        spentTotal = 0;
    }

    synchronized ObjectNode state() {
        roll();
        rollDay();
        ObjectNode o = Json.object();
        o.putObject("complexity").put("limit", budget).put("used", used).put("remaining", Math.max(0, budget - used))
                .put("windowSeconds", WINDOW_MILLIS / 1000).put("resetInSeconds", resetInSeconds())
                .put("spentSinceReset", spentTotal);
        o.putObject("daily").put("limit", dailyLimit).put("used", calls).put("remaining", Math.max(0, dailyLimit - calls))
                .put("resetsAt", day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().toString());
        return o;
    }

    /** {@code RateLimit-Policy} (format unconfirmed: the IETF draft's structured fields). */
    synchronized String policyHeader() {
        return "\"complexity\";q=" + budget + ";w=60, \"daily\";q=" + dailyLimit + ";w=86400";
    }

    /** {@code RateLimit}: what is left in each and when it resets, in seconds. */
    synchronized String rateLimitHeader() {
        roll();
        rollDay();
        return "\"complexity\";r=" + Math.max(0, budget - used) + ";t=" + resetInSeconds()
                + ", \"daily\";r=" + Math.max(0, dailyLimit - calls) + ";t=" + secondsToMidnight();
    }
}
