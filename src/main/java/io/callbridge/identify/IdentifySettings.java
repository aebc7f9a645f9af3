package io.callbridge.identify;

import java.time.Duration;
import java.util.List;

import io.callbridge.config.Setting;
import io.callbridge.config.Settings;

/** The {@code callbridge.identify.*} settings and the primary CRM (README, configuration table). */
public record IdentifySettings(Duration deadline, Duration positiveTtl, Duration negativeTtl, Duration staleTtl, long maxEntries,
        Duration crmTimeout, Duration warmupMaxAge, String matchPolicy, String greetingLanguage, Duration backgroundWait) {

    private static final String P = "callbridge.identify.";

    public static final Setting PRIMARY_CRM = Setting.of("callbridge.primary-crm", null,
            "the CRM that answers caller lookups; unset: the first enabled CRM that can be searched");
    static final Setting DEADLINE_MS = Setting.of(P + "deadline-ms", "150",
            "a lookup not answered by then is answered from the cache (even stale) or 503 + `Retry-After`");
    static final Setting POSITIVE_TTL_MS = Setting.of(P + "positive-ttl-ms", "600000",
            "how long a found caller is answered from the cache without asking the CRM");
    static final Setting NEGATIVE_TTL_MS = Setting.of(P + "negative-ttl-ms", "60000", "the same for \"nobody has this number\"");
    static final Setting STALE_TTL_MS = Setting.of(P + "stale-ttl-ms", "86400000",
            "how long an expired entry is kept to answer while the CRM is down or late");
    static final Setting MAX_ENTRIES = Setting.of(P + "max-entries", "100000", "size bound of the cache (per CRM)");
    public static final Setting CRM_TIMEOUT_MS = Setting.of(P + "crm-timeout-ms", "5000",
            "longest a CRM request of a lookup may run (a late answer still fills the cache)");
    static final Setting WARMUP_MAX_AGE_MS = Setting.of(P + "warmup-max-age-ms", "60000",
            "`call.started` events older than this do not warm the cache");
    static final Setting MATCH_POLICY = Setting.of(P + "match-policy", MatchPolicy.DEFAULT, "several records with the number: "
            + "criteria in order (`contact-first`, `lead-first`, `most-recent`, `least-recent`)");
    static final Setting BACKGROUND_WAIT_MS = Setting.of(P + "background-wait-ms", "1000", "longest a search for delivery or an "
            + "erasure waits behind caller lookups for a slot in the CRM's search window; then the command is deferred (its "
            + "consumer pauses) instead of holding its thread");
    static final Setting GREETING_LANGUAGE = Setting.of(P + "greeting-language", "fr", "language of `greetingContext` (`fr`, `de`, `en`)");

    public static final List<Setting> DECLARED = List.of(PRIMARY_CRM, DEADLINE_MS, POSITIVE_TTL_MS, NEGATIVE_TTL_MS, STALE_TTL_MS,
            MAX_ENTRIES, CRM_TIMEOUT_MS, WARMUP_MAX_AGE_MS, MATCH_POLICY, GREETING_LANGUAGE, BACKGROUND_WAIT_MS);

    public static IdentifySettings from(Settings s) {
        return new IdentifySettings(
                Duration.ofMillis(s.getLong(DEADLINE_MS)),
                Duration.ofMillis(s.getLong(POSITIVE_TTL_MS)),
                Duration.ofMillis(s.getLong(NEGATIVE_TTL_MS)),
                Duration.ofMillis(s.getLong(STALE_TTL_MS)),
                s.getLong(MAX_ENTRIES),
                Duration.ofMillis(s.getLong(CRM_TIMEOUT_MS)),
                Duration.ofMillis(s.getLong(WARMUP_MAX_AGE_MS)),
                s.get(MATCH_POLICY),
                s.get(GREETING_LANGUAGE),
                Duration.ofMillis(s.getLong(BACKGROUND_WAIT_MS)));
    }

    public static IdentifySettings defaults() {
        return new IdentifySettings(Duration.ofMillis(150), Duration.ofMinutes(10), Duration.ofMinutes(1), Duration.ofDays(1),
                100_000, Duration.ofSeconds(5), Duration.ofMinutes(1), MatchPolicy.DEFAULT, "fr", Duration.ofSeconds(1));
    }

    public IdentifySettings withDeadline(Duration d) {
        return new IdentifySettings(d, positiveTtl, negativeTtl, staleTtl, maxEntries, crmTimeout, warmupMaxAge, matchPolicy,
                greetingLanguage, backgroundWait);
    }
}
