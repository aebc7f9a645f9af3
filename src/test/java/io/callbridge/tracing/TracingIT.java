package io.callbridge.tracing;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callbridge.support.CallbridgeApp;
import io.callbridge.support.CrmFixture;
import io.callbridge.support.CrmSandboxes;
import io.callbridge.support.Events;
import io.callbridge.support.MappingsCopy;
import io.callbridge.support.Samples;
import io.callbridge.support.TestBroker;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One call event's trace, from the assistant's POST (its W3C traceparent header, or the event's CloudEvents traceparent
 * attribute) through Kafka and the delivery core to the HubSpot request, as an OTLP exporter would receive it (here: in
 * memory).
 */
class TracingIT {

    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String CALLERS_SPAN = "00f067aa0ba902b7";

    private final InMemorySpanExporter spans = InMemorySpanExporter.create();
    private final OpenTelemetrySdk otel = OpenTelemetrySdk.builder()
            .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
            .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance())).build();
    private final CrmFixture hubspot = CrmFixture.of("hubspot");
    private CrmSandboxes crms;
    private CallbridgeApp app;

    @BeforeEach
    void start() {
        crms = CrmSandboxes.start(11, true, List.of(hubspot));
        CallbridgeApp.Builder builder = CallbridgeApp.on(TestBroker.shared())
                .with("callbridge.mappings.dir", MappingsCopy.logCallOnly().dir().toString())
                .with("callbridge.api-keys", "agent-trace-key:agent").bind("openTelemetry", otel);
        crms.settings().forEach(builder::with);
        app = builder.start();
    }

    @AfterEach
    void stop() {
        app.close();
        crms.close();
        otel.close();
    }

    @Test
    void theIntakeRequestsTraceReachesTheHubSpotRequest() {
        ObjectNode event = Samples.shortCall("traced-1", "+41 79 630 00 01");
        assertThat(Events.post(app.uri("/v1/call-events"), "application/json", Events.bytes(event),
                "traceparent", "00-" + TRACE_ID + "-" + CALLERS_SPAN + "-01").statusCode()).isEqualTo(202);

        SpanData intake = awaitTraceToHubSpot("traced-1");

        // a lookup's span carries no number, nor does any span of the call
        assertThat(Events.send(java.net.http.HttpRequest.newBuilder(app.uri("/v1/callers/+41796300001"))
                .header("Authorization", "Bearer agent-trace-key").GET().build()).statusCode()).isIn(200, 404);
        await().atMost(Duration.ofSeconds(10)).until(() -> spans.getFinishedSpanItems().stream()
                .anyMatch(s -> s.getKind() == SpanKind.SERVER && s.getAttributes().asMap().values().stream()
                        .anyMatch(v -> String.valueOf(v).contains("/v1/callers/"))));
        assertThat(describe(spans.getFinishedSpanItems())).doesNotContain("796300001");
        assertThat(intake.getAttributes().asMap().values().toString()).contains("/v1/call-events");
    }

    @Test
    void anEventsCloudEventsTraceparentIsContinuedWhenTheRequestHasNone() {
        ObjectNode event = Samples.shortCall("traced-2", "+41 79 630 00 02");
        event.put("traceparent", "00-" + TRACE_ID + "-" + CALLERS_SPAN + "-01");
        assertThat(Events.post(app.uri("/v1/call-events"), "application/cloudevents+json", Events.bytes(event)).statusCode())
                .isEqualTo(202);

        awaitTraceToHubSpot("traced-2");
    }

    /** The call's spans: intake continues the caller's span, the Kafka write, and each HubSpot request below them. */
    private SpanData awaitTraceToHubSpot(String eventId) {
        await().atMost(Duration.ofSeconds(30)).until(() -> crms.callsByCommandId(hubspot).containsKey(eventId + ":log-call:0"));
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> inTrace(spans).stream().anyMatch(TracingIT::isHubSpotCallRequest));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("no HubSpot request in the call's trace; the spans:\n" + describe(spans.getFinishedSpanItems()), e);
        }
        List<SpanData> trace = inTrace(spans);
        SpanData intake = trace.stream().filter(s -> s.getKind() == SpanKind.SERVER && s.getParentSpanId().equals(CALLERS_SPAN))
                .findFirst().orElseThrow(() -> new AssertionError("no intake span continues the caller's: " + describe(trace)));
        assertThat(trace).as(describe(trace)).anyMatch(s -> s.getKind() == SpanKind.PRODUCER
                && s.getName().contains("callbridge.call-events"));
        assertThat(trace.stream().filter(TracingIT::isHubSpotCallRequest))
                .as("each HubSpot request of the call (the caller's contact, the call) descends from the intake request")
                .allMatch(r -> ancestors(r, trace).contains(intake.getSpanId()));
        return intake;
    }

    private static List<SpanData> inTrace(InMemorySpanExporter spans) {
        return spans.getFinishedSpanItems().stream().filter(s -> s.getTraceId().equals(TRACE_ID)).toList();
    }

    /** camel-http's span names the endpoint (the CRM's base URL), not the path its headers chose. */
    private static boolean isHubSpotCallRequest(SpanData s) {
        return s.getKind() == SpanKind.CLIENT && "POST".equals(s.getName()) && s.getAttributes().asMap().values().stream()
                .anyMatch(v -> String.valueOf(v).contains("/hubspot"));
    }

    private static List<String> ancestors(SpanData span, List<SpanData> trace) {
        List<String> up = new java.util.ArrayList<>();
        String parent = span.getParentSpanId();
        while (parent != null && !parent.equals("0000000000000000")) {
            up.add(parent);
            String p = parent;
            parent = trace.stream().filter(s -> s.getSpanId().equals(p)).map(SpanData::getParentSpanId).findFirst().orElse(null);
        }
        return up;
    }

    private static String describe(List<SpanData> trace) {
        return trace.stream().map(s -> s.getKind() + " " + s.getName() + " " + s.getTraceId() + " " + s.getSpanId() + "<-" + s.getParentSpanId() + " "
                + s.getAttributes().asMap()).collect(Collectors.joining("\n"));
    }
}
