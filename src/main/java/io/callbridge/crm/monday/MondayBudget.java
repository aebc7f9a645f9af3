package io.callbridge.crm.monday;

import java.time.Clock;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The complexity budget as a caller directory's listing sees it. The general window counts requests, but monday counts
 * complexity points (an items page of 500 with its column values costs tens of thousands): so the listing reads the
 * {@code complexity} every answer carries, and once less than the reserve is left, its next request waits for the
 * budget's reset rather than spend what lookups, delivery and other tools on the same token need.
 */
final class MondayBudget {

    private final long reserve;
    private final Clock clock;
    private long left = -1;
    private long resetsAt;

    MondayBudget(long reserve, Clock clock) {
        this.reserve = reserve;
        this.clock = clock;
    }

    /** What an answer said of the budget ({@code data.complexity.after} and {@code reset_in_x_seconds}). */
    synchronized void observe(JsonNode answer) {
        JsonNode c = answer.path("data").path("complexity");
        if (c.path("after").canConvertToLong()) {
            left = c.get("after").asLong();
            resetsAt = clock.millis() + Math.max(1, c.path("reset_in_x_seconds").asLong(60)) * 1000;
        }
    }

    /** How long the next listing request waits: until the reset when less than the reserve was left, else nothing. */
    synchronized Duration pause() {
        if (left < 0 || left >= reserve) {
            return Duration.ZERO;
        }
        long ms = resetsAt - clock.millis();
        if (ms <= 0) {
            left = -1; // reset since: monday's next answer tells again
            return Duration.ZERO;
        }
        return Duration.ofMillis(ms);
    }
}
