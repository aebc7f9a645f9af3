package io.callbridge.audit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The audit trail on {@code /observe/metrics}: records written by action and outcome (a status for a refusal), and
 * what was not written: refusals beyond a key's budget ({@code left_out}) and records the broker did not acknowledge
 * ({@code unavailable}, each one an admin action refused or an outcome missing). Both of the latter exist from the
 * start, at zero, so an alert on them needs no first failure to see the series.
 */
public final class AuditMetrics {

    private final MeterRegistry meters;
    private final Counter leftOut;
    private final Counter unavailable;

    public AuditMetrics(MeterRegistry meters) {
        this.meters = meters;
        this.leftOut = unrecorded(meters, "left_out");
        this.unavailable = unrecorded(meters, "unavailable");
    }

    void recorded(AuditRecord record) {
        Counter.builder("callbridge.audit.records").description("audit records written, by action and outcome")
                .tags("action", record.action(), "outcome", record.outcome()).register(meters).increment();
    }

    void leftOut() {
        leftOut.increment();
    }

    void unavailable() {
        unavailable.increment();
    }

    private static Counter unrecorded(MeterRegistry meters, String reason) {
        return Counter.builder("callbridge.audit.unrecorded").description("audit records not written: left out by the refusal "
                + "budget, or not acknowledged by the broker").tags("reason", reason).register(meters);
    }
}
