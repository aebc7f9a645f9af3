package io.callbridge.tracing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.callbridge.crm.TraceContext;
import org.apache.camel.Exchange;
import org.apache.camel.Route;
import org.apache.camel.support.RoutePolicySupport;

/**
 * CloudEvents' distributed-tracing extension: an event posted without a W3C {@code traceparent} header but with the
 * extension attribute {@code traceparent} continues that trace. A route policy of the intake route, so it runs before
 * the tracer's own (a route's policies come before those of policy factories) and the tracer finds the header when it
 * opens the request's span. The header wins when both are there; a batch's events are one request, one span. With
 * tracing off it does nothing: reading the body again would be work on every event for nobody.
 */
public final class CloudEventTraceParent extends RoutePolicySupport {

    private final boolean tracing;

    public CloudEventTraceParent(boolean tracing) {
        this.tracing = tracing;
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final java.util.regex.Pattern W3C = java.util.regex.Pattern.compile("[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");

    @Override
    public void onExchangeBegin(Route route, Exchange exchange) {
        if (!tracing || exchange.getMessage().getHeader(TraceContext.TRACEPARENT) != null) {
            return;
        }
        try {
            byte[] body = exchange.getMessage().getBody(byte[].class);
            JsonNode event = body == null || body.length == 0 ? null : JSON.readTree(body);
            String traceparent = event != null && event.isObject() ? event.path("traceparent").asText("") : "";
            if (W3C.matcher(traceparent).matches()) {
                exchange.getMessage().setHeader(TraceContext.TRACEPARENT, traceparent);
                String tracestate = event.path("tracestate").asText("");
                if (!tracestate.isEmpty()) {
                    exchange.getMessage().setHeader(TraceContext.TRACESTATE, tracestate);
                }
            }
        } catch (java.io.IOException e) {
            // not JSON: intake refuses it with its own answer; there is no trace to continue
        }
    }
}
