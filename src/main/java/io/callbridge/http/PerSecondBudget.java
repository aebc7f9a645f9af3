package io.callbridge.http;

/** A token bucket: {@code perSecond} requests a second, bursts up to as many; a request over it is refused, not queued. */
public final class PerSecondBudget {

    private final double perSecond;
    private double tokens;
    private long refilledAt = System.nanoTime();

    public PerSecondBudget(double perSecond) {
        this.perSecond = perSecond;
        this.tokens = perSecond;
    }

    /** Takes one request's token; false when none is left. */
    public synchronized boolean take() {
        long now = System.nanoTime();
        tokens = Math.min(perSecond, tokens + (now - refilledAt) / 1e9 * perSecond);
        refilledAt = now;
        if (tokens < 1) {
            return false;
        }
        tokens -= 1;
        return true;
    }

    /** The whole seconds until a refused request may try again. */
    public int retryAfterSeconds() {
        return (int) Math.max(1, Math.ceil(1 / perSecond));
    }
}
