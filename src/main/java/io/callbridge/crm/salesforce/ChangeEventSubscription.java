package io.callbridge.crm.salesforce;

import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.component.salesforce.SalesforceComponent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the routes that consume Salesforce's change events (from the template {@value #TEMPLATE} in
 * {@code routes/crm-salesforce.yaml}) once Camel runs, in the background, and again after a growing pause while Salesforce
 * cannot be reached. camel-salesforce's streaming consumer refuses a component that logs in lazily and waits up to two
 * minutes for its handshake when it starts, while Callbridge's start-up must not depend on Salesforce answering (the
 * connector logs in on first use): so the session is made first, here, and the consumers only then.
 */
final class ChangeEventSubscription {

    static final String TEMPLATE = "salesforce-changes-refresh-callers";
    /** The change events subscribed to, by the route each gets. */
    static final Map<String, String> ROUTES = Map.of(
            "salesforce-contact-changes-refresh-callers", "ContactChangeEvent",
            "salesforce-lead-changes-refresh-callers", "LeadChangeEvent");
    private static final Logger LOG = LoggerFactory.getLogger(ChangeEventSubscription.class);
    private static final long FIRST_RETRY_MS = 5_000;
    private static final long LONGEST_RETRY_MS = 300_000;

    private final SalesforceComponent component;
    private final CamelContext camel;
    private volatile ScheduledExecutorService attempts;

    ChangeEventSubscription(SalesforceComponent component, CamelContext camel) {
        this.component = component;
        this.camel = camel;
    }

    /** Subscribes in the background once Camel has started every route (Camel shuts the thread down with the context). */
    void startOnceCamelRuns() {
        StartupListener listener = new StartupListener() {
            @Override
            public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
                // the routes are not all started yet: the consumer subscribes once they are
            }

            @Override
            public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
                attempts = camel.getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "salesforce-change-events");
                attempts.execute(() -> attempt(FIRST_RETRY_MS));
            }
        };
        try {
            camel.addStartupListener(listener);
        } catch (Exception e) {
            throw new IllegalStateException("Salesforce change events cannot wait for Camel to start", e);
        }
    }

    private void attempt(long nextRetryMs) {
        try {
            // the session exists before the consumer asks for it, so the component may stop logging in lazily: the
            // connector's requests find a session either way
            component.getSession().login(null);
            component.getLoginConfig().setLazyLogin(false);
            for (Map.Entry<String, String> route : ROUTES.entrySet()) {
                if (camel.getRoute(route.getKey()) == null) {
                    camel.addRouteFromTemplate(route.getKey(), TEMPLATE, Map.of("changeEvent", route.getValue()));
                } else {
                    // made by an earlier attempt whose consumer failed to start
                    camel.getRouteController().startRoute(route.getKey());
                }
            }
            LOG.info("Salesforce: subscribed to Change Data Capture on Contact and Lead; changed callers are looked up again");
        } catch (Exception e) {
            if (!camel.isStarted() || attempts.isShutdown()) {
                return;
            }
            LOG.warn("Salesforce: cannot subscribe to Change Data Capture yet ({}); trying again in {} s", e.getMessage(),
                    nextRetryMs / 1000);
            attempts.schedule(() -> attempt(Math.min(nextRetryMs * 2, LONGEST_RETRY_MS)), nextRetryMs, TimeUnit.MILLISECONDS);
        }
    }
}
