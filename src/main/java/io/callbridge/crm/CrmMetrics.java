package io.callbridge.crm;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * Every request Callbridge sends to a CRM, as operators see it on {@code /observe/metrics}: counted by operation and
 * the CRM's HTTP status ({@code none} when no answer came), timed in buckets the alerts read (2 s is the guide's limit),
 * the 429s, the budget the CRM's headers say is left and how long its credentials last. Labels are bounded: CRM
 * names, a handful of operations, status codes; never a number, a name or a record id.
 */
public final class CrmMetrics {

    /** Operations: a caller search of delivery, a read, a write, a batch write, a token request, a readiness probe, a caller lookup. */
    public static final String SEARCH = "search";
    public static final String READ = "read";
    public static final String WRITE = "write";
    public static final String BATCH = "batch";
    public static final String TOKEN = "token";
    public static final String PROBE = "probe";
    public static final String LOOKUP = "lookup";

    private static final Duration[] BUCKETS = {Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
            Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5),
            Duration.ofSeconds(10)};

    private final MeterRegistry meters;
    /** The meters of each crm, operation and status, built once: a request costs one map lookup, not a builder. */
    private final Map<String, Counter> requests = new ConcurrentHashMap<>();
    private final Map<String, Timer> durations = new ConcurrentHashMap<>();
    private final Map<String, Counter> refusals = new ConcurrentHashMap<>();

    public CrmMetrics(MeterRegistry meters) {
        this.meters = meters;
    }

    /** Counts into a registry nobody reads: for code run outside Callbridge (tools, unit tests). */
    public static CrmMetrics none() {
        return new CrmMetrics(new SimpleMeterRegistry());
    }

    /** One request and its answer; {@code status} null when the CRM did not answer. */
    public void request(String crm, String operation, Integer status, long nanos) {
        String code = status == null || status == 0 ? "none" : String.valueOf(status);
        requests.computeIfAbsent(crm + '|' + operation + '|' + code, k -> Counter.builder("callbridge.crm.requests")
                .description("requests sent to the CRM, by operation and the CRM's HTTP status")
                .tags("crm", crm, "operation", operation, "status", code).register(meters)).increment();
        durations.computeIfAbsent(crm + '|' + operation, k -> Timer.builder("callbridge.crm.request.duration")
                .description("time from sending a request to the CRM's answer").serviceLevelObjectives(BUCKETS)
                .tags("crm", crm, "operation", operation).register(meters)).record(nanos, TimeUnit.NANOSECONDS);
        if (status != null && status == 429) {
            refusals.computeIfAbsent(crm, k -> Counter.builder("callbridge.crm.rate.limited").description("requests the CRM refused with 429")
                    .tag("crm", crm).register(meters)).increment();
        }
    }

    /** The requests left in the CRM's window, as its answers' headers last said (negative until one did: not shown). */
    public <T> void rateLimitRemaining(String crm, T window, ToDoubleFunction<T> remaining) {
        Gauge.builder("callbridge.crm.rate.limit.remaining", window, w -> {
                    double left = remaining.applyAsDouble(w);
                    return left < 0 ? Double.NaN : left;
                }).description("requests left in the CRM's rate-limit window, from its headers").tag("crm", crm).register(meters);
    }

    /** How long each credential of the CRM lasts, and its renewals the CRM refused. */
    public void credentials(String crm, CrmAuth auth, Clock clock) {
        for (String credential : auth.expiring()) {
            Gauge.builder("callbridge.crm.credential.expiry", auth, a -> {
                        Instant at = a.expiries().get(credential);
                        return at == null ? Double.NaN : Duration.between(clock.instant(), at).toMillis() / 1000.0;
                    }).baseUnit("seconds").description("seconds until the credential expires")
                    .tags("crm", crm, "credential", credential).register(meters);
        }
        FunctionCounter.builder("callbridge.crm.credential.refresh.failures", auth, a -> a.refusedRenewals())
                .description("logins and token refreshes that failed").tag("crm", crm).register(meters);
    }
}
