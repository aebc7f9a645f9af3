package io.callbridge.intake;

import io.callbridge.state.KafkaBackedStore;

/**
 * Event ids that intake already put on the broker. An id is recorded only after its event was
 * acknowledged, so a failed write never hides the client's retry. Two copies posted at the same
 * instant may both be written; the delivery core's per-command idempotency absorbs that.
 */
public final class AcceptedEventIds {

    private final KafkaBackedStore store;
    private final IntakeMetrics metrics;

    public AcceptedEventIds(KafkaBackedStore store, IntakeMetrics metrics) {
        this.store = store;
        this.metrics = metrics;
    }

    /** Asked once per posted event: a yes is counted as a duplicate (the client's retry). */
    public boolean isAccepted(String eventId) {
        boolean known = store.get(eventId) != null;
        if (known) {
            metrics.duplicate();
        }
        return known;
    }

    /** Not waited for: an id lost in a crash lets one retried copy through, which the ledger absorbs. */
    public void markAccepted(String eventId) {
        store.putLater(eventId, "accepted");
        metrics.accepted();
    }
}
