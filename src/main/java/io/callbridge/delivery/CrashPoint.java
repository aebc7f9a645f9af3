package io.callbridge.delivery;

import java.util.Set;

/**
 * A named point of delivery where a test can make the JVM die on the spot, as a SIGKILL or a power cut would
 * ({@code callbridge.test.crash-at}): no shutdown hook runs, nothing is committed. The crash tests use it to stop
 * Callbridge exactly between two steps whose order the delivery guarantees depend on. Unset, it does nothing.
 */
final class CrashPoint {

    /** After a wave's {@code pending} entries are on the broker, before the CRM is called. */
    static final String AFTER_PENDING = "after-pending";
    /** After the CRM answered a wave, before any {@code done} is recorded. */
    static final String AFTER_ANSWER = "after-answer";
    /** After a dead letter and its {@code dead} entry are on the broker, before the consumer commits. */
    static final String AFTER_DEAD_LETTER = "after-dead-letter";
    static final Set<String> ALL = Set.of(AFTER_PENDING, AFTER_ANSWER, AFTER_DEAD_LETTER);

    private final String at;

    CrashPoint(String at) {
        this.at = at == null ? "" : at.trim();
        if (!this.at.isEmpty() && !ALL.contains(this.at)) {
            throw new IllegalStateException(DeliverySettings.CRASH_AT.key() + " must be one of " + ALL + ", not '" + at + "'");
        }
    }

    void reached(String point) {
        if (at.equals(point)) {
            System.err.println("callbridge: crash point " + point + " reached, halting");
            System.err.flush();
            Runtime.getRuntime().halt(137);
        }
    }
}
