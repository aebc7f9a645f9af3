package io.callbridge.crm;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connector whose work is a route of the CRM's route file: each command goes through
 * {@code direct:crm-<name>} in an exchange of its own (properties {@link CrmKeys}), and the answer
 * becomes its outcome: done (with {@link CrmKeys#RECORD_ID} when the route set it), or what
 * {@link Outcome#of} makes of the failure. The probe is {@code direct:probe-<name>}, whose body is the
 * HTTP status the CRM answered. Commands are sent one after the other, in order.
 */
public class RouteConnector implements CrmConnector {

    private static final Logger LOG = LoggerFactory.getLogger(RouteConnector.class);

    private final String crm;
    private final Producer producer;
    private final Clock clock;

    public RouteConnector(String crm, CamelContext camel, Clock clock) {
        this.crm = crm;
        this.producer = new Producer(camel);
        this.clock = clock;
    }

    @Override
    public List<Outcome> deliver(List<Delivery> deliveries) {
        List<Outcome> outcomes = new ArrayList<>(deliveries.size());
        for (Delivery d : deliveries) {
            Exchange done = producer.template().send("direct:crm-" + crm, e -> {
                e.setProperty(CrmKeys.COMMAND, d.command());
                e.setProperty(CrmKeys.CRM, crm);
                e.setProperty(CrmKeys.CHECK_FIRST, d.checkFirst());
                e.getMessage().setHeader(CrmKeys.COMMAND_ID, d.command().commandId());
            });
            outcomes.add(done.getException() != null ? Outcome.of(done.getException(), clock)
                    : new Outcome.Done(done.getProperty(CrmKeys.RECORD_ID, String.class)));
        }
        return outcomes;
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
