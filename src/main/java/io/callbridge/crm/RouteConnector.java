package io.callbridge.crm;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connector whose work is a route of the CRM's route file: each command goes through
 * {@code direct:crm-<name>} in an exchange of its own (properties {@link CrmKeys}), and the answer
 * becomes its outcome: done (with {@link CrmKeys#RECORD_ID} when the route set it), or what
 * {@link Outcome#of} makes of the failure. The probe is {@code direct:probe-<name>}, whose body is the
 * HTTP status the CRM answered. A wave's commands (one per caller) go through the route side by side, up to
 * {@code callbridge.crm.<name>.max-in-flight} at once.
 */
public class RouteConnector implements CrmConnector {

    private static final Logger LOG = LoggerFactory.getLogger(RouteConnector.class);

    private final String crm;
    private final Producer producer;
    private final Clock clock;
    private final InFlight inFlight;
    private final CrmMetrics metrics;

    public RouteConnector(String crm, CrmContext context) {
        this.crm = crm;
        this.metrics = context.metrics();
        this.producer = new Producer(context.camel());
        this.clock = context.clock();
        this.inFlight = new InFlight(crm, context.settings().getInt(CrmSettings.MAX_IN_FLIGHT.of(crm)));
    }

    @Override
    public List<Outcome> deliver(List<Delivery> deliveries) {
        Outcome[] outcomes = new Outcome[deliveries.size()];
        List<Runnable> sends = new ArrayList<>(deliveries.size());
        for (int i = 0; i < deliveries.size(); i++) {
            int index = i;
            Delivery d = deliveries.get(i);
            sends.add(() -> outcomes[index] = send(d));
        }
        inFlight.runAll(sends);
        return Outcome.ofWave(outcomes);
    }

    /** One command through the CRM's route, counted as a write with the status its HTTP endpoint answered. */
    private Outcome send(Delivery d) {
        long started = System.nanoTime();
        Exchange done = through("direct:crm-" + crm, d);
        Integer status = done.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        if (status == null && done.getException() instanceof CrmException failed && failed.status() > 0) {
            status = failed.status();
        }
        metrics.request(crm, CrmMetrics.WRITE, status, System.nanoTime() - started);
        return done.getException() != null ? Outcome.of(done.getException(), clock)
                : new Outcome.Done(done.getProperty(CrmKeys.RECORD_ID, String.class));
    }

    /** The command through one of the CRM's routes, in an exchange of its own (properties {@link CrmKeys}). */
    protected Exchange through(String endpoint, Delivery d) {
        return TraceContext.within(d.traceparent(), () -> producer.template().send(endpoint, e -> {
            e.setProperty(CrmKeys.COMMAND, d.command());
            e.setProperty(CrmKeys.CRM, crm);
            e.setProperty(CrmKeys.CHECK_FIRST, d.checkFirst());
            e.getMessage().setHeader(CrmKeys.COMMAND_ID, d.command().commandId());
        }));
    }

    protected Producer producer() {
        return producer;
    }

    protected Clock clock() {
        return clock;
    }

    protected InFlight inFlight() {
        return inFlight;
    }

    /** A route's CRM may be a sink that passes every command on: each update is sent. */
    @Override
    public boolean coalescesUpdates() {
        return false;
    }

    @Override
    public int probe() {
        try {
            Integer status = producer.template().requestBody("direct:probe-" + crm, (Object) "", Integer.class);
            return status == null ? 503 : status;
        } catch (RuntimeException e) {
            LOG.debug("{} probe failed: {}", crm, e.getClass().getSimpleName());
            return 503;
        }
    }
}
