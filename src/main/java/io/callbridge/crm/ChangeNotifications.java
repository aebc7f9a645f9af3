package io.callbridge.crm;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * How a CRM tells Callbridge that its contacts changed (its webhooks): what differs per CRM is how a notification is
 * verified (the vendor's signature) and read. Refreshing the caller cache and publishing the changes are shared
 * ({@code identify.CrmChanges}).
 */
public interface ChangeNotifications {

    /** The changes a notification tells of, once it is verified as the CRM's. */
    List<RecordChange> read(Notification notification) throws Refused;

    /**
     * One notification request as the CRM sent it: {@code url} as the CRM called it (its signature may cover it),
     * {@code header} by name in any case (null when absent), the body's bytes as they arrived.
     */
    record Notification(String method, String url, Function<String, String> header, byte[] body) {
    }

    /**
     * A change of one caller record: {@code kind} {@code created}, {@code updated} or {@code deleted}; the properties that
     * changed with their new values where the CRM says them (null where not; personal data, never published), and the
     * numbers the record holds now when the change says so.
     */
    record RecordChange(String recordId, String kind, Map<String, String> values, List<String> numbers, Instant occurredAt) {
    }

    /** Not the CRM's: unsigned, wrongly signed, too old, or not a notification at all. The message names which. */
    final class Refused extends Exception {
        public Refused(String reason) {
            super(reason);
        }
    }
}
