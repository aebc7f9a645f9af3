package io.callbridge.identify;

import java.time.Duration;

import io.callbridge.config.Settings;

/** The {@code callbridge.identify.*} settings (README, configuration table). */
public record IdentifySettings(Duration deadline, Duration positiveTtl, Duration negativeTtl, Duration staleTtl, long maxEntries,
        Duration crmTimeout, Duration warmupMaxAge, String matchPolicy, String greetingLanguage) {

    public static IdentifySettings from(Settings s) {
        return new IdentifySettings(
                Duration.ofMillis(s.getLong("callbridge.identify.deadline-ms", 150)),
                Duration.ofMillis(s.getLong("callbridge.identify.positive-ttl-ms", 600_000)),
                Duration.ofMillis(s.getLong("callbridge.identify.negative-ttl-ms", 60_000)),
                Duration.ofMillis(s.getLong("callbridge.identify.stale-ttl-ms", 86_400_000)),
                s.getLong("callbridge.identify.max-entries", 100_000),
                Duration.ofMillis(s.getLong("callbridge.identify.crm-timeout-ms", 5000)),
                Duration.ofMillis(s.getLong("callbridge.identify.warmup-max-age-ms", 60_000)),
                s.get("callbridge.identify.match-policy", MatchPolicy.DEFAULT),
                s.get("callbridge.identify.greeting-language", "fr"));
    }

    public static IdentifySettings defaults() {
        return new IdentifySettings(Duration.ofMillis(150), Duration.ofMinutes(10), Duration.ofMinutes(1), Duration.ofDays(1),
                100_000, Duration.ofSeconds(5), Duration.ofMinutes(1), MatchPolicy.DEFAULT, "fr");
    }

    public IdentifySettings withDeadline(Duration d) {
        return new IdentifySettings(d, positiveTtl, negativeTtl, staleTtl, maxEntries, crmTimeout, warmupMaxAge, matchPolicy,
                greetingLanguage);
    }
}
