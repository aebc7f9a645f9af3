package io.callbridge.tracing;

import io.callbridge.config.Setting;
import io.callbridge.config.Settings;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import org.apache.camel.CamelContext;
import org.apache.camel.opentelemetry.OpenTelemetryTracer;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Traces through Camel's OpenTelemetry module: the intake request's span continues its W3C {@code traceparent}, the
 * Kafka write carries the trace in its headers, the delivery core passes it on with each command
 * ({@link io.callbridge.crm.TraceContext}), and every CRM request is a span of the call's trace. Off unless an OTLP
 * endpoint is set, or an application embedding Callbridge binds its own {@link OpenTelemetry} in the registry.
 */
public final class Tracing {

    private static final Logger LOG = LoggerFactory.getLogger(Tracing.class);

    public static final Setting OTLP_ENDPOINT = Setting.of("callbridge.tracing.otlp-endpoint", null, "where traces are exported "
            + "(OTLP over HTTP, e.g. `http://otel-collector:4318/v1/traces`): each call from its intake request (W3C `traceparent`) "
            + "through Kafka to every CRM request; unset: no tracing");

    private Tracing() {
    }

    /** True when traces are made; false (and nothing installed) when tracing is off. */
    public static boolean install(CamelContext context, Settings settings) throws Exception {
        OpenTelemetry otel = context.getRegistry().findSingleByType(OpenTelemetry.class);
        if (otel == null) {
            String endpoint = settings.get(OTLP_ENDPOINT);
            if (endpoint == null || endpoint.isBlank()) {
                return false;
            }
            OpenTelemetrySdk sdk = exportingTo(endpoint);
            context.addService(new ServiceSupport() {
                @Override
                protected void doStop() {
                    sdk.close();
                }
            }, true, true);
            otel = sdk;
            LOG.info("Tracing: spans exported to {}", endpoint);
        }
        OpenTelemetryTracer tracer = new OpenTelemetryTracer();
        tracer.setTracer(otel.getTracer("callbridge"));
        tracer.setContextPropagators(otel.getPropagators());
        tracer.addDecorator(new MaskedSpans.Kafka());
        tracer.addDecorator(new MaskedSpans.PlatformHttp());
        tracer.init(context);
        return true;
    }

    private static OpenTelemetrySdk exportingTo(String endpoint) {
        SdkTracerProvider traces = SdkTracerProvider.builder()
                .setResource(Resource.getDefault().merge(Resource.create(Attributes.builder().put("service.name", "callbridge").build())))
                .addSpanProcessor(BatchSpanProcessor.builder(OtlpHttpSpanExporter.builder().setEndpoint(endpoint).build()).build())
                .build();
        return OpenTelemetrySdk.builder().setTracerProvider(traces)
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance())).build();
    }
}
