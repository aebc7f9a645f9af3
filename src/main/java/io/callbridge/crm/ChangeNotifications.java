package io.callbridge.crm;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
     * A request that is the CRM checking the URL rather than telling of changes (monday's challenge, Notion's
     * verification request): the JSON to answer it with (200). Empty for a notification, which {@link #read} then takes.
     */
    default Optional<String> handshake(Notification notification) throws Refused {
        return Optional.empty();
    }

    /**
     * Asks the CRM to send its notifications to {@code url} (Zoho's {@code actions/watch}, monday's {@code create_webhook}),
     * at start and again before the subscription ends; a CRM set up in its own console asks nothing. Answers how long the
     * subscription lasts (null: until cancelled).
     */
    default Duration subscribe(String url) throws Exception {
        return null;
    }

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
