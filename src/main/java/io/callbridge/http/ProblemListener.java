package io.callbridge.http;

import org.apache.camel.Exchange;

/**
 * Told of every problem answer the routes' shared error handling gives, before it is sent: the audit trail records the
 * refused and failed admin actions this way, whichever step refused them, without each exception clause naming it.
 */
@FunctionalInterface
public interface ProblemListener {

    /** Must not throw: the answer is the problem, whatever the listener makes of it. */
    void answered(Exchange exchange, Problem problem);
}
