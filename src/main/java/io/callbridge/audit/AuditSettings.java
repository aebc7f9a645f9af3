package io.callbridge.audit;

import java.util.List;

import io.callbridge.config.Setting;

/** The {@code callbridge.audit.*} settings (README, configuration table). */
public final class AuditSettings {

    private static final String P = "callbridge.audit.";

    public static final Setting RETENTION_DAYS = Setting.of(P + "retention-days", "365",
            "how long `callbridge.audit` keeps the audit trail (set when Callbridge creates the topic; an existing topic keeps its own)");
    public static final Setting REFUSALS_PER_MINUTE = Setting.of(P + "refusals-per-minute", "60",
            "refused or failed admin requests recorded per key (and for all requests without a known key) per minute; "
                    + "beyond, they are counted and the next recorded one says how many were left out");

    public static final List<Setting> DECLARED = List.of(RETENTION_DAYS, REFUSALS_PER_MINUTE);

    private AuditSettings() {
    }
}
