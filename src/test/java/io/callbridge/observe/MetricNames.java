package io.callbridge.observe;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The metrics Callbridge exposes on {@code /observe/metrics}, as the shared metrics contract names them: the one list
 * the alert rules and the dashboard are held to, and the one to compare with a real scrape. Names are base names:
 * a histogram's {@code _bucket}, {@code _sum}, {@code _count} and {@code _max} series are not listed, counters keep {@code _total}.
 */
public final class MetricNames {

    /** Each metric's labels; a histogram's {@code _bucket} series adds {@code le}. */
    public static final Map<String, Set<String>> LABELS = Map.ofEntries(
            Map.entry("callbridge_crm_requests_total", Set.of("crm", "operation", "status")),
            Map.entry("callbridge_crm_request_duration_seconds", Set.of("crm", "operation")),
            Map.entry("callbridge_crm_rate_limited_total", Set.of("crm")),
            Map.entry("callbridge_crm_rate_limit_remaining", Set.of("crm")),
            Map.entry("callbridge_crm_credential_expiry_seconds", Set.of("crm", "credential")),
            Map.entry("callbridge_crm_credential_refresh_failures_total", Set.of("crm")),
            Map.entry("callbridge_delivery_commands_total", Set.of("crm", "action", "outcome")),
            Map.entry("callbridge_delivery_dead_letters_total", Set.of("crm", "reason")),
            Map.entry("callbridge_delivery_consumer_lag_records", Set.of("crm")),
            Map.entry("callbridge_delivery_breaker_open", Set.of("crm")),
            Map.entry("callbridge_delivery_breaker_openings_total", Set.of("crm")),
            Map.entry("callbridge_delivery_consumer_paused", Set.of("crm")),
            Map.entry("callbridge_delivery_retries_total", Set.of("crm")),
            Map.entry("callbridge_intake_events_total", Set.of("outcome", "reason")),
            Map.entry("callbridge_lookup_duration_seconds", Set.of()),
            Map.entry("callbridge_lookups_total", Set.of("answer")),
            Map.entry("callbridge_lookup_cache_total", Set.of("result")),
            Map.entry("callbridge_audit_records_total", Set.of("action", "outcome")),
            Map.entry("callbridge_audit_unrecorded_total", Set.of("reason")));

    /** Every metric's base name. */
    public static final Set<String> NAMES = LABELS.keySet();

    /** The histograms among them: only these have {@code _bucket}, {@code _sum} and {@code _count} series. */
    public static final Set<String> HISTOGRAMS =
            Set.of("callbridge_crm_request_duration_seconds", "callbridge_lookup_duration_seconds");

    /** Micrometer's timers also expose their largest recent value as {@code _max}. */
    private static final String[] HISTOGRAM_SUFFIXES = {"_bucket", "_sum", "_count", "_max"};

    private MetricNames() {
    }

    /** The base name of a series name, or null when Callbridge exposes no such series. */
    public static String baseOf(String series) {
        if (NAMES.contains(series)) {
            return series;
        }
        for (String suffix : HISTOGRAM_SUFFIXES) {
            String base = series.endsWith(suffix) ? series.substring(0, series.length() - suffix.length()) : null;
            if (base != null && HISTOGRAMS.contains(base)) {
                return base;
            }
        }
        return null;
    }

    /** The labels a series of that name carries, or an empty set for an unknown one. */
    public static Set<String> labelsOf(String series) {
        String base = baseOf(series);
        if (base == null) {
            return Set.of();
        }
        if (series.endsWith("_bucket") && HISTOGRAMS.contains(base)) {
            Set<String> withLe = new HashSet<>(LABELS.get(base));
            withLe.add("le");
            return Set.copyOf(withLe);
        }
        return LABELS.get(base);
    }
}
