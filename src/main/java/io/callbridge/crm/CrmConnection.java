package io.callbridge.crm;

import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * An enabled CRM's working parts, built once at start-up. Caller identification is wired from
 * {@link #callerSearch()} first; the connector then gets the caller records it needs.
 */
public interface CrmConnection {

    /** How to look a number up in this CRM; empty when it cannot be searched (the webhook). */
    Optional<CallerSearch> callerSearch();

    /**
     * The connector, given the caller records of this CRM (null when it has no caller search);
     * {@code routeBeans} binds the beans its routes ({@code routes/crm-<name>.yaml}) call by name.
     */
    CrmConnector connector(CallerRecords callers, BiConsumer<String, Object> routeBeans);

    /** How the CRM deletes a person's record when an admin erases the person; empty when Callbridge cannot ask it to. */
    default Optional<PersonDeletion> personDeletion() {
        return Optional.empty();
    }

    /** How the CRM tells Callbridge that its contacts changed; empty when it does not (or is not set up to). */
    default Optional<ChangeNotifications> changeNotifications() {
        return Optional.empty();
    }

    /**
     * Whether the CRM tells of changed contacts over a stream Callbridge subscribes to itself (no webhook, so no
     * {@link #changeNotifications()}): its changes reach caller identification all the same, so it may keep a caller
     * directory.
     */
    default boolean streamsChanges() {
        return false;
    }

    /** Builds the connector once caller identification is wired. */
    @FunctionalInterface
    interface ConnectorFactory {
        CrmConnector connector(CallerRecords callers, BiConsumer<String, Object> routeBeans);
    }

    /** A connection with this caller search (null: the CRM cannot be searched) and connector. */
    static CrmConnection of(CallerSearch search, ConnectorFactory connector) {
        return of(search, null, connector);
    }

    /** The same, with how the CRM deletes a person (null: it cannot be asked to). */
    static CrmConnection of(CallerSearch search, PersonDeletion deletion, ConnectorFactory connector) {
        return of(search, deletion, null, connector);
    }

    /** The same, with how the CRM tells of changed contacts (null: it does not). */
    static CrmConnection of(CallerSearch search, PersonDeletion deletion, ChangeNotifications changes, ConnectorFactory connector) {
        return of(search, deletion, changes, false, connector);
    }

    /** The same, {@code streamsChanges}: the CRM tells of changes over a stream of its own ({@link #streamsChanges()}). */
    static CrmConnection of(CallerSearch search, PersonDeletion deletion, ChangeNotifications changes, boolean streamsChanges,
            ConnectorFactory connector) {
        return new CrmConnection() {
            @Override
            public boolean streamsChanges() {
                return streamsChanges;
            }

            @Override
            public Optional<ChangeNotifications> changeNotifications() {
                return Optional.ofNullable(changes);
            }

            @Override
            public Optional<PersonDeletion> personDeletion() {
                return Optional.ofNullable(deletion);
            }

            @Override
            public Optional<CallerSearch> callerSearch() {
                return Optional.ofNullable(search);
            }

            @Override
            public CrmConnector connector(CallerRecords callers, BiConsumer<String, Object> routeBeans) {
                return connector.connector(callers, routeBeans);
            }
        };
    }
}
