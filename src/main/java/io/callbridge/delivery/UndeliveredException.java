package io.callbridge.delivery;

import io.callbridge.crm.Outcome;

/** A command its connector did not deliver; the outcome says why, the delivery route's error handling what follows. */
final class UndeliveredException extends Exception {

    private final transient Outcome outcome;

    UndeliveredException(String crm, String commandId, Outcome outcome) {
        super(crm + " " + commandId + ": " + outcome.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT), null, false, false);
        this.outcome = outcome;
    }

    Outcome outcome() {
        return outcome;
    }
}
