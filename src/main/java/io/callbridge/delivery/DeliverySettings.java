package io.callbridge.delivery;

import java.time.Duration;
import java.util.List;

import io.callbridge.config.Setting;
import io.callbridge.config.Settings;

/** The {@code callbridge.delivery.*} settings: backoff, circuit breaker, poison detection, ledger size. */
public final class DeliverySettings {

    private static final String P = "callbridge.delivery.";

    static final Setting RETRY_INITIAL_MS = Setting.of(P + "retry.initial-ms", "1000", "exponential backoff between retries of one "
            + "command: the first wait");
    static final Setting RETRY_MAX_MS = Setting.of(P + "retry.max-ms", "60000", "backoff between retries: the longest wait");
    static final Setting RETRY_JITTER = Setting.of(P + "retry.jitter", "0.2", "backoff between retries: the share of each wait drawn at random");
    static final Setting BREAKER_FAILURE_THRESHOLD = Setting.of(P + "breaker.failure-threshold", "5",
            "failures in a row that open a CRM's circuit breaker");
    static final Setting BREAKER_PROBE_INTERVAL_MS = Setting.of(P + "breaker.probe-interval-ms", "5000",
            "while open, how often the head command is tried again");
    static final Setting MAX_ATTEMPTS = Setting.of(P + "max-attempts", "5",
            "attempts before a command that fails while the CRM answers a probe is set aside");
    public static final Setting LEDGER_MAX_ENTRIES = Setting.of(P + "ledger-max-entries", "2000000",
            "delivery states kept in memory");
    static final Setting BATCH_MAX_RECORDS = Setting.of(P + "batch.max-records", "500",
            "commands one CRM's consumer takes per poll: one batch, delivered in waves of one command per caller");

    static final Setting CORE_BATCH_MAX_EVENTS = Setting.of("callbridge.core.batch.max-events", "500",
            "call events the core consumer takes per poll: validated, planned and their commands published together");

    static final Setting CRASH_AT = Setting.of("callbridge.test.crash-at", "", "crash tests only: the JVM halts, as if killed, "
            + "the first time delivery reaches this point (`after-pending`, `after-answer`, `after-dead-letter`); never set it in production");

    public static final List<Setting> DECLARED = List.of(RETRY_INITIAL_MS, RETRY_MAX_MS, RETRY_JITTER, BREAKER_FAILURE_THRESHOLD,
            BREAKER_PROBE_INTERVAL_MS, MAX_ATTEMPTS, LEDGER_MAX_ENTRIES, BATCH_MAX_RECORDS, CORE_BATCH_MAX_EVENTS, CRASH_AT);

    private DeliverySettings() {
    }

    public static Pacer.Policy policy(Settings s) {
        return new Pacer.Policy(Duration.ofMillis(s.getLong(RETRY_INITIAL_MS)), Duration.ofMillis(s.getLong(RETRY_MAX_MS)),
                s.getDouble(RETRY_JITTER), s.getInt(BREAKER_FAILURE_THRESHOLD), Duration.ofMillis(s.getLong(BREAKER_PROBE_INTERVAL_MS)),
                s.getInt(MAX_ATTEMPTS));
    }
}
