package io.callbridge.intake;

import java.util.List;

import io.callbridge.config.Setting;

/** The settings of intake: signatures of posted events and how long accepted ids are remembered. */
public final class IntakeSettings {

    public static final Setting WEBHOOK_SECRET = Setting.of("callbridge.webhook.secret", null,
            "intake signing secret(s), comma separated; unset = unsigned events accepted (logged at start)");
    public static final Setting WEBHOOK_TOLERANCE_SECONDS = Setting.of("callbridge.webhook.tolerance-seconds", "300",
            "maximum age of a signature");
    public static final Setting DEDUP_RETENTION_MS = Setting.of("callbridge.intake.dedup-retention-ms", "604800000",
            "how long an accepted event id is remembered (7 days)");
    public static final Setting DEDUP_MAX_ENTRIES = Setting.of("callbridge.intake.dedup-max-entries", "1000000",
            "accepted event ids kept in memory");

    public static final Setting BATCH_MAX_EVENTS = Setting.of("callbridge.intake.batch-max-events", "1000",
            "most events one `application/cloudevents-batch+json` request may carry (also bounded by `callbridge.http.max-body-bytes`)");

    public static final List<Setting> DECLARED = List.of(WEBHOOK_SECRET, WEBHOOK_TOLERANCE_SECONDS, DEDUP_RETENTION_MS, DEDUP_MAX_ENTRIES,
            BATCH_MAX_EVENTS);

    private IntakeSettings() {
    }
}
