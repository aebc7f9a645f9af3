package io.callbridge.delivery;

import java.util.Collection;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;

/** Breaker and pause state per CRM on {@code /observe/metrics}, so an outage and its recovery are visible. */
public final class DeliveryMetrics {

    private DeliveryMetrics() {
    }

    public static void publish(CamelContext context, Collection<Pacer> pacers) {
        MeterRegistry meters = context.getRegistry().findSingleByType(MeterRegistry.class);
        if (meters == null) {
            return;
        }
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
