package io.callbridge.mapping;

import java.util.List;

/** What a rule can ask of a CRM. Each CRM maps each action in {@code mappings/<crm>/<action>.jsonata}. */
public final class Actions {

    public static final List<String> ALL = List.of("log-call", "update-contact", "create-contact", "create-deal",
            "create-case", "create-meeting", "create-task", "notify-owner", "set-field");

    private Actions() {
    }

    public static boolean known(String action) {
        return ALL.contains(action);
    }
}
