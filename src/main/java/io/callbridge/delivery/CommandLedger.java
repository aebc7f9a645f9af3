package io.callbridge.delivery;

import java.time.Clock;
import java.time.Instant;

import io.callbridge.state.KafkaBackedStore;

/**
 * The delivery state of every command, per CRM, on a compacted topic: {@code pending} is written before
 * the CRM is called and {@code done} once it acknowledged; {@code dead} when it was set aside. A command
 * found {@code done} is skipped; one found {@code pending} may have reached the CRM just before a crash,
 * so the connector checks the CRM before writing it again.
 */
public final class CommandLedger {

    public enum State { ABSENT, PENDING, DONE, DEAD }

    private final KafkaBackedStore store;
    private final java.util.function.UnaryOperator<String> subjectKey;
    private final Clock clock;

    /**
     * @param subjectKey how a caller's number appears in a key of the ledger: their pseudonym when topics are sealed,
     *            so the compacted topic holds no number
     */
    public CommandLedger(KafkaBackedStore store, Clock clock, java.util.function.UnaryOperator<String> subjectKey) {
        this.subjectKey = subjectKey;
        this.store = store;
        this.clock = clock;
    }

    public State state(String crm, String commandId) {
        String v = store.get(key(crm, commandId));
        if (v == null) {
            return State.ABSENT;
        }
        return switch (v.substring(0, v.indexOf(':'))) {
            case "done" -> State.DONE;
            case "pending" -> State.PENDING;
            case "dead" -> State.DEAD;
            default -> State.ABSENT;
        };
    }

    public void pending(String crm, String commandId) {
        store.put(key(crm, commandId), "pending:" + Instant.now(clock));
    }

    /** Records a batch's commands pending, acknowledged by the broker together (one round trip). */
    public void pending(String crm, java.util.Collection<String> commandIds) {
        String value = "pending:" + Instant.now(clock);
        java.util.Map<String, String> entries = new java.util.LinkedHashMap<>();
        commandIds.forEach(id -> entries.put(key(crm, id), value));
        store.putAll(entries);
    }

    /**
     * Not waited for: only {@code pending} must be durable before the CRM call. A {@code done} lost in a
     * crash leaves the command pending, and the redelivery checks the CRM instead of writing twice.
     */
    public void done(String crm, String commandId) {
        store.putLater(key(crm, commandId), "done:" + Instant.now(clock));
    }

    /**
     * The command was certainly not sent (its rate-limit budget was spent before the request): it is as if it had
     * never been pending, so its next attempt needs no check. Not waited for: lost in a crash, the command stays
     * pending and is checked, as before.
     */
    public void notSent(String crm, String commandId) {
        store.putLater(key(crm, commandId), "unsent:" + Instant.now(clock));
    }

    public void dead(String crm, String commandId) {
        store.put(key(crm, commandId), "dead:" + Instant.now(clock));
    }

    /** The time of the newest call applied to a record by an action that overwrites (update-contact, set-field). */
    public String lastApplied(String crm, String customer, String action) {
        String v = store.get(appliedKey(crm, action, customer));
        return v == null ? null : v;
    }

    public void applied(String crm, String customer, String action, String callAt) {
        String previous = lastApplied(crm, customer, action);
        if (previous == null || Instant.parse(normalise(previous)).isBefore(Instant.parse(normalise(callAt)))) {
            store.put(appliedKey(crm, action, customer), callAt);
        }
    }

    /**
     * Erasure: tombstones the entries of the caller {@code key} (their pseudonym when sealing, else their number) (the newest call applied per CRM and action); command entries hold
     * event ids and rule names only, and stay. Answers how many were removed.
     */
    public int forgetCaller(String key) {
        String suffix = "|" + key;
        java.util.List<String> keys = store.keys(k -> k.startsWith("applied|") && k.endsWith(suffix));
        store.removeAll(keys);
        return keys.size();
    }

    private String appliedKey(String crm, String action, String customer) {
        return "applied|" + crm + "|" + action + "|" + subjectKey.apply(customer);
    }

    static String normalise(String iso) {
        return java.time.OffsetDateTime.parse(iso).toInstant().toString();
    }

    private static String key(String crm, String commandId) {
        return crm + "|" + commandId;
    }
}
