package io.callbridge.crm;

import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;

/**
 * A connector's way into its own routes: one {@link ProducerTemplate}, created on first use rather than
 * while Callbridge is wired, before the Camel context has started.
 */
public final class Producer {

    private final CamelContext camel;
    private volatile ProducerTemplate template;

    public Producer(CamelContext camel) {
        this.camel = camel;
    }

    public ProducerTemplate template() {
        ProducerTemplate t = template;
        if (t == null) {
            synchronized (this) {
                if (template == null) {
                    template = camel.createProducerTemplate();
                }
                t = template;
            }
        }
        return t;
    }
}
