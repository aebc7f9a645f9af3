package io.callbridge.crm;

import java.util.List;

import io.callbridge.mapping.Command;

/**
 * The delivery core's side of a CRM. Batch-shaped: it hands over a list of commands (one caller's in
 * order, several callers side by side) and gets one outcome per command, in the same order.
 */
public interface CrmConnector {

    /**
     * A command to deliver; {@code checkFirst}: it may have reached the CRM before a crash, ask before writing it again;
     * {@code traceparent}: the call's trace ({@link TraceContext}), null when it has none.
     */
    record Delivery(Command command, boolean checkFirst, String traceparent) {

        public Delivery(Command command, boolean checkFirst) {
            this(command, checkFirst, null);
        }
    }

    List<Outcome> deliver(List<Delivery> deliveries);

    /**
     * Whether one caller's updates of the same rule action in one batch may be coalesced to the newest call's: true for a
     * CRM that keeps records (the newest call wins anyway); a sink that passes every command on (a webhook) says false.
     */
    default boolean coalescesUpdates() {
        return true;
    }

    /**
     * Whether the CRM answers at all: the HTTP status of a cheap authenticated request, 500 or more
     * when it cannot be used (down, quota spent, login refused). It tells a poison command from an outage.
     */
    int probe();
}
