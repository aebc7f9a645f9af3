package io.callbridge.sandbox;

import java.time.Clock;
import java.util.Map;
import java.util.Random;

/**
 * What the mechanism gives one simulated CRM: its configuration, its base URL, the seeded random
 * source (so a failing test replays), its rate-limit window and the clock.
 */
public final class SandboxContext {

    private final String name;
    private final Map<String, String> config;
    private final Clock clock;
    private final RateLimiter rateLimiter;
    private final long seed;
    private volatile String baseUrl;
    private Random random;

    SandboxContext(String name, Map<String, String> config, Clock clock, long seed) {
        this.name = name;
        this.config = Map.copyOf(config);
        this.clock = clock;
        this.seed = seed;
        this.random = new Random(seed);
        this.rateLimiter = new RateLimiter(clock);
    }

    public String name() {
        return name;
    }

    /** Per-CRM configuration ({@code callbridge.sandbox.<crm>.<key>} without the prefix). */
    public Map<String, String> config() {
        return config;
    }

    public String config(String key, String defaultValue) {
        String v = config.get(key);
        return v == null || v.isBlank() ? defaultValue : v.trim();
    }

    public long configLong(String key, long defaultValue) {
        String v = config.get(key);
        return v == null || v.isBlank() ? defaultValue : Long.parseLong(v.trim());
    }

    public Clock clock() {
        return clock;
    }

    /** {@code http://host:port/<crm>}, known once the server listens. */
    public String baseUrl() {
        return baseUrl;
    }

    void baseUrl(String url) {
        this.baseUrl = url;
    }

    public RateLimiter rateLimiter() {
        return rateLimiter;
    }

    /** The CRM's seeded random source; callers synchronise on the returned object. */
    public synchronized Random random() {
        return random;
    }

    synchronized void reseed(Long newSeed) {
        this.random = new Random(newSeed == null ? seed : newSeed);
    }

    public long seed() {
        return seed;
    }
}
