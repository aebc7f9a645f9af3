package io.callbridge.sandbox.zoho;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Set;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callbridge.sandbox.Json;

/**
 * Zoho's two API limits for the org: credits per rolling 24 hours (a call costs its credits at the moment it is
 * made and they come back 24 hours later, not at midnight) and requests in flight at once (concurrency). Both are
 * answered with the same 429 TOO_MANY_REQUESTS, as Zoho does not tell them apart.
 *
 * <p>A call is refused when its cost is more than the credits left (no partial spending). Concurrency counts a
 * request from its arrival to its answer, latency injected by the sandbox included.
 */
final class ZohoCredits {

    static final long WINDOW_MILLIS = 24L * 60 * 60 * 1000;

    /** The state after one call: allowed or not and the usage in the rolling window. */
    record Usage(boolean allowed, long limit, long used) {
        long remaining() {
            return Math.max(0, limit - used);
        }

        /** Zoho sends {@code X-API-CREDITS-REMAINING} once half of the credits are used. */
        boolean reportRemaining() {
            return used * 2 >= limit;
        }
    }

    private record Spent(long atMillis, long credits) { }

    private final Clock clock;
    private final long defaultLimit;
    private final int defaultConcurrency;
    private final Deque<Spent> spent = new ArrayDeque<>();
    private final Set<Object> inFlight = Collections.newSetFromMap(new IdentityHashMap<>());
    private long limit;
    private int concurrency;

    ZohoCredits(Clock clock, long limit, int concurrency) {
        if (limit <= 0 || concurrency <= 0) throw new IllegalArgumentException("credits and concurrency must be positive");
        this.clock = clock;
        this.defaultLimit = limit;
        this.defaultConcurrency = concurrency;
        this.limit = limit;
        this.concurrency = concurrency;
    }

    synchronized Usage trySpend(long cost) {
        long used = used();
        if (used + cost > limit) return new Usage(false, limit, used);
        spent.addLast(new Spent(clock.millis(), cost));
        return new Usage(true, limit, used + cost);
    }

    synchronized Usage peek() {
        long used = used();
        return new Usage(used < limit, limit, used);
    }

    /** Makes {@code remaining} credits left now (the rest counted as spent now, so they come back in 24 hours). */
    synchronized void setRemaining(long remaining) {
        spent.clear();
        long used = Math.max(0, limit - Math.max(0, remaining));
        if (used > 0) spent.addLast(new Spent(clock.millis(), used));
    }

    synchronized void setLimit(long newLimit) {
        if (newLimit <= 0) throw new IllegalArgumentException("the credit limit must be positive");
        limit = newLimit;
    }

    synchronized void setConcurrency(int newConcurrency) {
        if (newConcurrency <= 0) throw new IllegalArgumentException("concurrency must be positive");
        concurrency = newConcurrency;
    }

    /** Admits a request into flight, or answers false when {@code concurrency} are already in flight. */
    synchronized boolean enter(Object request) {
        if (inFlight.size() >= concurrency) return false;
        inFlight.add(request);
        return true;
    }

    synchronized void leave(Object request) {
        inFlight.remove(request);
    }

    /** Back to the configured limits with nothing spent; requests in flight stay counted until they are answered. */
    synchronized void reset() {
        spent.clear();
        limit = defaultLimit;
        concurrency = defaultConcurrency;
    }

    synchronized ObjectNode state() {
        long used = used();
        ObjectNode o = Json.object();
        o.put("limit", limit).put("used", used).put("remaining", Math.max(0, limit - used)).put("windowHours", 24);
        if (!spent.isEmpty()) o.put("nextRecoveryAt", Instant.ofEpochMilli(spent.peekFirst().atMillis() + WINDOW_MILLIS).toString());
        o.putObject("concurrency").put("limit", concurrency).put("inFlight", inFlight.size());
        return o;
    }

    private long used() {
        long horizon = clock.millis() - WINDOW_MILLIS;
        while (!spent.isEmpty() && spent.peekFirst().atMillis() <= horizon) spent.pollFirst();
        long sum = 0;
        for (Spent s : spent) sum += s.credits();
        return sum;
    }
}
