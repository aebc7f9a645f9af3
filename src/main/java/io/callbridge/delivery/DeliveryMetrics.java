package io.callbridge.delivery;

import java.util.Collection;
import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * Delivery on {@code /observe/metrics}: commands finished per CRM and action (delivered or set aside, and why), each
 * CRM's backlog, its breaker and its pauses, so an outage, its recovery and a growing backlog are visible.
 */
public final class DeliveryMetrics {

    private final MeterRegistry meters;

    public DeliveryMetrics(MeterRegistry meters) {
        this.meters = meters;
    }

    /** Counts into a registry nobody reads: for a delivery core run outside Callbridge (tools, unit tests). */
    public static DeliveryMetrics none() {
        return new DeliveryMetrics(new SimpleMeterRegistry());
    }

    void delivered(String crm, String action) {
        commands(crm, action, "done").increment();
    }

    /** A command set aside on the CRM's dead-letter topic; {@code reason} is its error class (invalid, rejected, retryable). */
    void deadLettered(String crm, String action, String reason) {
        commands(crm, action, "dead_letter").increment();
        Counter.builder("callbridge.delivery.dead.letters").description("commands set aside on the CRM's dead-letter topic")
                .tags("crm", crm, "reason", reason).register(meters).increment();
    }

    private Counter commands(String crm, String action, String outcome) {
        return Counter.builder("callbridge.delivery.commands").description("commands the CRM's consumer finished")
                .tags("crm", crm, "action", action, "outcome", outcome).register(meters);
    }

    /** Records on the CRM's topic its consumer has not committed yet. */
    public <T> void backlog(String crm, T source, ToDoubleFunction<T> records) {
        Gauge.builder("callbridge.delivery.consumer.lag", source, records).baseUnit("records")
                .description("records on the CRM's topic not yet committed by its consumer").tag("crm", crm).register(meters);
    }

    public void pacers(Collection<Pacer> pacers) {
        for (Pacer pacer : pacers) {
            Gauge.builder("callbridge.delivery.breaker.open", pacer, p -> p.breakerOpen() ? 1 : 0)
                    .description("1 while the CRM's circuit breaker is open").tag("crm", pacer.crm()).register(meters);
            FunctionCounter.builder("callbridge.delivery.breaker.openings", pacer, Pacer::breakerOpenings)
                    .description("times the CRM's circuit breaker opened").tag("crm", pacer.crm()).register(meters);
            Gauge.builder("callbridge.delivery.consumer.paused", pacer, p -> p.isPaused() ? 1 : 0)
                    .description("1 while the CRM's consumer is paused for a retry").tag("crm", pacer.crm()).register(meters);
            FunctionCounter.builder("callbridge.delivery.retries", pacer, Pacer::pauses)
                    .description("commands the CRM's consumer paused to retry").tag("crm", pacer.crm()).register(meters);
        }
    }
}
