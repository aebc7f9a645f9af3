package io.callbridge.identify;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * Caller lookups on {@code /observe/metrics}: how long each answer took (the buckets around the guide's 200 ms
 * promise), what it was (found, unknown, unavailable: the 503s) and whether the cache answered.
 */
public final class LookupMetrics {

    private static final Duration[] BUCKETS = {Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
            Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(500), Duration.ofSeconds(1),
            Duration.ofSeconds(2), Duration.ofSeconds(5)};

    private final MeterRegistry meters;
    private final Timer duration;

    public LookupMetrics(MeterRegistry meters) {
        this.meters = meters;
        this.duration = Timer.builder("callbridge.lookup.duration").description("time to answer GET /v1/callers/{phone}")
                .serviceLevelObjectives(BUCKETS).register(meters);
    }

    /** Counts into a registry nobody reads: lookups run outside Callbridge (tools, unit tests). */
    public static LookupMetrics none() {
        return new LookupMetrics(new SimpleMeterRegistry());
    }

    /** The records a CRM's caller directory holds; -1 while it does not answer (not read yet, or the CRM too large). */
    void directory(CallerDirectory directory) {
        io.micrometer.core.instrument.Gauge.builder("callbridge.caller.directory.records", directory, CallerDirectory::size)
                .description("caller records the CRM's directory holds, -1 while it does not answer").tag("crm", directory.crm())
                .register(meters);
    }

    /** One answer: {@code answer} found, unknown or unavailable; {@code cache} hit, miss or stale, null when not asked. */
    void answered(String answer, String cache, long startedNanos) {
        duration.record(System.nanoTime() - startedNanos, TimeUnit.NANOSECONDS);
        Counter.builder("callbridge.lookups").description("caller lookups answered, by answer").tag("answer", answer)
                .register(meters).increment();
        if (cache != null) {
            Counter.builder("callbridge.lookup.cache").description("caller lookups the cache answered (hit, stale) or not (miss)")
                    .tag("result", cache).register(meters).increment();
        }
    }
}
