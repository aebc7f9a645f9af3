package io.callbridge.crm.rest;

import io.callbridge.crm.RateWindow;
import java.util.List;
import java.util.Locale;

import io.callbridge.config.Setting;
import io.callbridge.config.Settings;

/**
 * The settings of a plain-REST CRM's connector: the keys every such CRM has, and its two rate-limit
 * windows, declared per CRM with the vendor's defaults ({@link #limits}).
 */
public record RestSettings(String baseUrl, RateWindow general, RateWindow search, UnknownCaller unknownCaller, long maxWaitMs,
        long createdContactMemoryMs, int maxInFlight) {

    public static final Setting UNKNOWN_CALLER = Setting.perCrm("unknown-caller", "create", "plain-REST CRMs: a caller the "
            + "CRM does not know: `create` a contact (a person) once per number, or `log-unlinked` (records without "
            + "association; contact updates skipped)");
    public static final Setting MAX_WAIT_MS = Setting.perCrm("max-wait-ms", "300", "plain-REST CRMs: longest wait for a "
            + "rate-limit slot on the sending thread (at least the even pace's turn of the requests in flight: max-in-flight × "
            + "the window's interval); a longer one pauses the consumer instead");
    public static final Setting CREATED_CONTACT_MEMORY_MS = Setting.perCrm("created-contact-memory-ms", "600000",
            "plain-REST CRMs: how long a contact Callbridge created is remembered for its number while the CRM's search "
                    + "does not show it yet");

    public static final List<Setting> DECLARED = List.of(UNKNOWN_CALLER, MAX_WAIT_MS, CREATED_CONTACT_MEMORY_MS);

    /** What to do when the caller is not in the CRM. */
    public enum UnknownCaller {
        CREATE, LOG_UNLINKED;

        static UnknownCaller parse(Setting key, String value) {
            return switch (value.trim().toLowerCase(Locale.ROOT)) {
                case "create" -> CREATE;
                case "log-unlinked" -> LOG_UNLINKED;
                default -> throw new IllegalStateException(key.key() + " must be create or log-unlinked, not '" + value + "'");
            };
        }
    }

    /** A vendor's rate-limit window: at most {@code max} requests per {@code windowMs}, {@code reserve} of them left unused. */
    public record Limit(String name, long max, long windowMs, long reserve, String unit) {

        public Limit(String name, long max, long windowMs, long reserve) {
            this(name, max, windowMs, reserve, "requests");
        }
    }

    /** The keys of one window of one CRM ({@code callbridge.crm.<crm>.<name>.max}, {@code .window-ms}, {@code .reserve}). */
    public static List<Setting> limits(String crm, Limit limit, String what) {
        String p = "callbridge.crm." + crm + "." + limit.name() + ".";
        return List.of(Setting.of(p + "max", String.valueOf(limit.max()), what + ": " + limit.unit() + " per window (the CRM's own headers "
                        + "replace max and window when they differ)"),
                Setting.of(p + "window-ms", String.valueOf(limit.windowMs()), what + ": the window, in milliseconds"),
                Setting.of(p + "reserve", String.valueOf(limit.reserve()), what + ": " + limit.unit() + " per window left unused (for "
                        + "lookups, other tools)"));
    }

    /** @param baseUrl the CRM's API, or null when its login answers it ({@link io.callbridge.crm.CrmAuth.Credentials#apiUrl}) */
    /** @param search the search window's limit, or null when searches count in the general window */
    static RestSettings from(Settings s, String crm, String baseUrl, Limit general, Limit search) {
        RateWindow generalWindow = window(s, crm, general, "general");
        return new RestSettings(baseUrl == null ? null : baseUrl.replaceAll("/+$", ""), generalWindow,
                search == null ? generalWindow : window(s, crm, search, "search"),
                UnknownCaller.parse(UNKNOWN_CALLER.of(crm), s.get(UNKNOWN_CALLER.of(crm))), s.getLong(MAX_WAIT_MS.of(crm)),
                s.getLong(CREATED_CONTACT_MEMORY_MS.of(crm)), s.getInt(io.callbridge.crm.CrmSettings.MAX_IN_FLIGHT.of(crm)));
    }

    private static RateWindow window(Settings s, String crm, Limit limit, String kind) {
        List<Setting> keys = limits(crm, limit, kind);
        return new RateWindow(crm + " " + kind, s.getLong(keys.get(1)), s.getLong(keys.get(0)), s.getLong(keys.get(2)), 0,
                System::currentTimeMillis);
    }
}
