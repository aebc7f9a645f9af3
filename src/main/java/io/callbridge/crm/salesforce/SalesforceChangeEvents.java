package io.callbridge.crm.salesforce;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import io.callbridge.crm.ChangeNotifications.RecordChange;
import io.callbridge.crm.CrmHttp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Change Data Capture event on Contact or Lead, as camel-salesforce's streaming consumer hands it over (the Bayeux
 * message, {@code rawPayload}), read as one change per record it names: {@code ChangeEventHeader.changeType} gives the kind,
 * the fields beside the header the values (those of an update only: a creation's are every field, and none differs from
 * a cache that cannot hold the record yet), the phone fields the numbers the record holds now.
 */
public final class SalesforceChangeEvents {

    static final String BEAN = "salesforceChangeEvents";
    private static final Logger LOG = LoggerFactory.getLogger(SalesforceChangeEvents.class);
    /** The fields caller lookups search (SalesforceCallerSearch): a number there is a number the record can be found by. */
    private static final Set<String> PHONES = Set.of("Phone", "MobilePhone", "HomePhone", "OtherPhone", "AssistantPhone");
    /** Salesforce's bookkeeping, changed by every write: left out, so that a change Callbridge made itself and already holds is recognised. */
    private static final Set<String> BOOKKEEPING = Set.of("LastModifiedDate", "LastModifiedById", "SystemModstamp");

    /** The changes one event tells of; none for an event that names no record (a {@code GAP_OVERFLOW}). */
    public List<RecordChange> read(String message) throws IOException {
        JsonNode payload = CrmHttp.JSON.readTree(message).path("data").path("payload");
        JsonNode header = payload.path("ChangeEventHeader");
        String type = header.path("changeType").asText("");
        String kind = switch (type) {
            case "CREATE", "UNDELETE", "GAP_CREATE", "GAP_UNDELETE" -> "created";
            case "DELETE", "GAP_DELETE" -> "deleted";
            case "UPDATE", "GAP_UPDATE" -> "updated";
            default -> null;
        };
        if (kind == null || !header.path("recordIds").isArray() || header.path("recordIds").isEmpty()) {
            // Salesforce sends GAP_OVERFLOW without record ids when one transaction changed too many records to tell
            LOG.warn("Salesforce: a {} change event on {} names no record; the cached callers of its records expire by their TTL",
                    type, header.path("entityName").asText("?"));
            return List.of();
        }
        Map<String, String> values = new HashMap<>();
        List<String> numbers = new ArrayList<>();
        payload.fields().forEachRemaining(f -> {
            if (f.getKey().equals("ChangeEventHeader")) {
                return;
            }
            if (f.getValue().isObject()) {
                // a compound field: Name {FirstName, LastName}, MailingAddress {Street, City}; the record's own fields are
                // FirstName, MailingStreet, MailingCity
                String prefix = f.getKey().endsWith("Address") ? f.getKey().substring(0, f.getKey().length() - "Address".length()) : "";
                f.getValue().fields().forEachRemaining(c -> field(prefix + c.getKey(), c.getValue(), values, numbers));
            } else {
                field(f.getKey(), f.getValue(), values, numbers);
            }
        });
        Map<String, String> changed = kind.equals("updated") ? values : Map.of();
        Instant at = header.has("commitTimestamp") ? Instant.ofEpochMilli(header.get("commitTimestamp").asLong()) : Instant.now();
        List<RecordChange> changes = new ArrayList<>();
        header.path("recordIds").forEach(id -> changes.add(new RecordChange(id.asText(), kind, changed, numbers, at)));
        return changes;
    }

    private static void field(String name, JsonNode value, Map<String, String> values, List<String> numbers) {
        if (BOOKKEEPING.contains(name)) {
            return;
        }
        String text = value.isNull() ? null : value.asText();
        values.put(name, text);
        if (PHONES.contains(name) && text != null && !text.isBlank()) {
            numbers.add(text);
        }
    }
}
