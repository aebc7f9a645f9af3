package io.callbridge.http;

import java.util.List;

import io.callbridge.config.Setting;

/** The {@code callbridge.http.*} settings: one port for the API and {@code /observe}. */
public final class HttpSettings {

    public static final Setting PORT = Setting.of("callbridge.http.port", "8080", "API and `/observe`");
    public static final Setting MAX_BODY_BYTES = Setting.of("callbridge.http.max-body-bytes", "262144",
            "larger bodies get 413 before they are read");
    public static final Setting RETRY_AFTER_SECONDS = Setting.of("callbridge.http.retry-after-seconds", "5", "`Retry-After` on 503");

    public static final List<Setting> DECLARED = List.of(PORT, MAX_BODY_BYTES, RETRY_AFTER_SECONDS, ApiKeys.KEYS,
            ApiKeys.LOOKUPS_PER_SECOND);

    private HttpSettings() {
    }
}
