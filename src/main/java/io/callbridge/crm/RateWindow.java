package io.callbridge.crm;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Paces the requests one Callbridge instance sends into one of a CRM's rate-limit windows ("at most
 * {@code max} requests per {@code windowMs}"), so the CRM's 429s stay rare.
 *
 * <p>A token bucket sized so that no interval of {@code windowMs} can hold more than
 * {@code max - reserve} requests: a small burst, then an even pace. The reserve leaves room for what
 * else uses the same credentials (caller lookups, probes, another tool) and for clock skew. The CRM's
 * own headers correct it: the window and maximum it announces replace the configured ones, and when
 * it says almost nothing remains, nothing more is sent until its window resets (the reset it
 * announces, or one whole window when it announces none).
 *
 * <p>{@link #acquire()} never blocks: it books the next free slot and answers how long to wait for it.
 */
public final class RateWindow {

    private final String name;
    private final LongSupplier clock;
    private long windowMs;
    private long max;
    private final long reserveFloor;
    private final double reserveShare;
    private double tokens;
    private double capacity;
    private double perMs;
    private long lastRefill;
    private long blockedUntil;
    private long blocks;
    private volatile long announcedRemaining = -1;

    /**
     * @param reserveFloor  requests per window always left unused
     * @param reserveShare  share of the window left unused (the larger of the two applies)
     */
    public RateWindow(String name, long windowMs, long max, long reserveFloor, double reserveShare, LongSupplier clock) {
        this.name = name;
        this.clock = clock;
        this.reserveFloor = reserveFloor;
        this.reserveShare = reserveShare;
        this.lastRefill = clock.getAsLong();
        configure(windowMs, max);
        this.tokens = capacity;
    }

    public String name() {
        return name;
    }

    private void configure(long windowMs, long max) {
        this.windowMs = Math.max(1, windowMs);
        this.max = Math.max(1, max);
        long usable = Math.max(1, this.max - Math.max(reserveFloor, (long) Math.ceil(this.max * reserveShare)));
        // two at least where the window allows it: a slot a background search may not take is then still free for a caller
        this.capacity = usable >= 4 ? Math.max(2, Math.min(5, usable / 10)) : 1;
        double steady = Math.max(1, usable - capacity);
        this.perMs = steady / this.windowMs;
        this.tokens = Math.min(tokens, capacity);
    }

    /** Books a slot; the answer is how long to wait before sending (zero: send now). */
    public synchronized Duration acquire() {
        long now = clock.getAsLong();
        refill(now);
        long wait = Math.max(0, blockedUntil - now);
        tokens -= 1;
        if (tokens < 0) {
            wait = Math.max(wait, (long) Math.ceil(-tokens / perMs));
        }
        return Duration.ofMillis(wait);
    }

    /**
     * Books a slot only if one is free now and another stays free after it, so that what cannot wait (a caller on the
     * line) still finds one; answers whether it booked. A window too small to hold two (Notion's three a second) books
     * its one free slot.
     */
    public synchronized boolean tryAcquireLeavingOne() {
        long now = clock.getAsLong();
        refill(now);
        if (blockedUntil > now || tokens < Math.min(2, capacity)) {
            return false;
        }
        tokens -= 1;
        return true;
    }

    /** Gives back a slot booked by {@link #acquire()} whose request was not sent after all. */
    public synchronized void cancel() {
        tokens = Math.min(capacity, tokens + 1);
    }

    /** What the next {@link #acquire()} would have to wait, without booking. */
    public synchronized Duration peek() {
        long now = clock.getAsLong();
        refill(now);
        long wait = Math.max(0, blockedUntil - now);
        if (tokens < 1) {
            wait = Math.max(wait, (long) Math.ceil((1 - tokens) / perMs));
        }
        return Duration.ofMillis(wait);
    }

    /**
     * What the CRM said about this window in its answer.
     *
     * @param announcedMax    the window's maximum, or -1
     * @param announcedWindow the window's length in ms, or -1
     * @param remaining       requests left in the CRM's current window, or -1
     * @param resetMs         ms until the CRM's window resets, or -1 when it does not say
     */
    public synchronized void observe(long announcedMax, long announcedWindow, long remaining, long resetMs) {
        if (remaining >= 0) {
            announcedRemaining = remaining;
        }
        if ((announcedMax > 0 && announcedMax != max) || (announcedWindow > 0 && announcedWindow != windowMs)) {
            configure(announcedWindow > 0 ? announcedWindow : windowMs, announcedMax > 0 ? announcedMax : max);
        }
        if (remaining >= 0 && remaining <= Math.max(1, reserveFloor / 2)) {
            long now = clock.getAsLong();
            long until = now + (resetMs >= 0 ? resetMs : windowMs);
            if (until > blockedUntil) {
                blockedUntil = until;
                blocks++;
            }
            tokens = Math.min(tokens, 0);
        }
    }

    /** The requests left in the CRM's window as its last answer with the header said; -1 before any did. */
    public long announcedRemaining() {
        return announcedRemaining;
    }

    /** The CRM answered 429 for this window: nothing until it allows again. */
    public synchronized void refused(Duration retryAfter) {
        long now = clock.getAsLong();
        long until = now + (retryAfter != null && !retryAfter.isNegative() ? retryAfter.toMillis() : windowMs / 2);
        if (until > blockedUntil) {
            blockedUntil = until;
            blocks++;
        }
        tokens = Math.min(tokens, 0);
    }

    /** How often the CRM's own headers (or a 429) stopped this window. */
    public synchronized long blocks() {
        return blocks;
    }

    /** The even pace's interval between two requests, in ms. */
    public synchronized long intervalMs() {
        return (long) Math.ceil(1 / perMs);
    }

    public synchronized long max() {
        return max;
    }

    public synchronized long windowMs() {
        return windowMs;
    }

    private void refill(long now) {
        if (now > lastRefill) {
            tokens = Math.min(capacity, tokens + (now - lastRefill) * perMs);
            lastRefill = now;
        }
    }

    @Override
    public synchronized String toString() {
        return name + " " + max + "/" + windowMs + "ms";
    }
}
