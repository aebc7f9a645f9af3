package io.callbridge.crm;

import java.util.Map;

import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;

/**
 * The W3C trace context a call event brings (the {@code traceparent} of its intake request), carried in the Kafka
 * headers of every command made from it, so each CRM request continues the call's trace. Made current on the
 * connector's thread while it sends a command: Camel's OpenTelemetry tracer parents its spans on the current context.
 */
public final class TraceContext {

    public static final String TRACEPARENT = "traceparent";
    public static final String TRACESTATE = "tracestate";

    private static final TextMapGetter<Map<String, String>> GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };

    private TraceContext() {
    }

    /** Work that may fail with {@code E}. */
    public interface Work<T, E extends Exception> {
        T run() throws E;
    }

    /** Runs {@code work} within the trace of {@code traceparent}; as it is when there is none. */
    public static <T, E extends Exception> T within(String traceparent, Work<T, E> work) throws E {
        if (traceparent == null || traceparent.isBlank()) {
            return work.run();
        }
        Context context = W3CTraceContextPropagator.getInstance().extract(Context.root(), Map.of(TRACEPARENT, traceparent), GETTER);
        try (Scope ignored = context.makeCurrent()) {
            return work.run();
        }
    }
}
