package io.callbridge.mapping;

import java.util.List;

import io.callbridge.config.Setting;

/** Where the rules and templates are, how often edits are looked for, and the time zone they write dates in. */
public final class MappingSettings {

    public static final Setting DIR = Setting.of("callbridge.mappings.dir", "mappings", "rules, templates, samples");
    public static final Setting RELOAD_INTERVAL_MS = Setting.of("callbridge.mappings.reload-interval-ms", "0",
            "how often edits under `mappings/` are looked for; 0 = never (dev: 1000)");
    public static final Setting TIMEZONE = Setting.of("callbridge.timezone", "Europe/Zurich", "dates in subjects and \"due today\"");

    public static final List<Setting> DECLARED = List.of(DIR, RELOAD_INTERVAL_MS, TIMEZONE);

    private MappingSettings() {
    }
}
