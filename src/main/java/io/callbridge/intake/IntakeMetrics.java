package io.callbridge.intake;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.Exchange;

/**
 * Call events posted to intake on {@code /observe/metrics}: accepted, accepted again (a retry of an event already
 * on the broker) and refused by reason, per event. The intake route marks its exchanges ({@link #posted}) so that a
 * refusal answered by the shared HTTP error handling is counted for intake only, not for the dry run that validates
 * the same way.
 */
public final class IntakeMetrics {

    private static final String POSTED = "CallbridgeIntakePosted";
    /** The path of routes/ingest-http.yaml. */
    private static final String INTAKE_PATH = "/v1/call-events";

    private final MeterRegistry meters;

    public IntakeMetrics(MeterRegistry meters) {
        this.meters = meters;
    }

    /** First step of the intake route: what this exchange is refused for counts as refused events. */
    public void posted(Exchange exchange) {
        exchange.setProperty(POSTED, true);
    }

    void accepted() {
        count("accepted", "none", 1);
    }

    void duplicate() {
        count("duplicate", "none", 1);
    }

    /** Events of a batch refused one by one; the request's own refusal is then not counted again. */
    void refused(Exchange exchange, String reason, int events) {
        exchange.removeProperty(POSTED);
        count("refused", reason, events);
    }

    /** The refusal of a posted request (one event), by reason: invalid, unauthorized, unsupported_media_type, unavailable. */
    public void refused(Exchange exchange, String reason) {
        if (Boolean.TRUE.equals(exchange.getProperty(POSTED, Boolean.class))) {
            count("refused", reason, 1);
        }
    }

    /** A body refused by size before any route ran (Vert.x): counted when it was posted to intake. */
    public void refusedTooLarge(String path) {
        if (INTAKE_PATH.equals(path)) {
            count("refused", "too_large", 1);
        }
    }

    private void count(String outcome, String reason, int events) {
        if (events > 0) {
            Counter.builder("callbridge.intake.events").description("call events posted to intake, by outcome and reason")
                    .tags("outcome", outcome, "reason", reason).register(meters).increment(events);
        }
    }
}
