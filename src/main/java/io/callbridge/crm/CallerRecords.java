package io.callbridge.crm;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A connector's view of caller identification in its CRM: the caller's record in the shape templates
 * read ({@code {id, type: contact|lead, ownerId, record: {raw CRM fields}}}), and what to tell the cache
 * after a write. Same search, confirmation, policy and cache as {@code GET /v1/callers}.
 */
public interface CallerRecords {

    /** The caller's record, or null when nobody has the number; CRM failures are thrown ({@link CrmException}). */
    JsonNode find(String e164) throws Exception;

    /** Whether {@link #find} would answer from the cache without asking the CRM (to pace the lookups that reach it). */
    boolean cached(String e164);

    /**
     * Starts looking up the numbers a wave of commands is about to {@link #find}, without waiting, so that the CRM is
     * asked for them together (as many in one search as it allows) rather than one search after the other.
     */
    default void prefetch(java.util.Collection<String> e164s) {
    }

    /** Callbridge wrote {@code action} for the number: a contact write drops the cached caller, any other outdates its profile. */
    void written(String action, String e164);

    /**
     * Callbridge changed these fields of the caller's record (the CRM's answer to a contact write): the cached record
     * takes them, so the next command needs no lookup; if the cache does not hold that record, it forgets the number.
     */
    void updated(String e164, String recordId, JsonNode fields);

    /** Drops what is cached about the number: its record changed or is gone. */
    void invalidate(String e164);
}
