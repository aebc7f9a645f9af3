package io.callbridge.http;

import java.util.List;

import io.callbridge.config.Setting;

/** The {@code callbridge.http.*} settings: one port for the API and {@code /observe}. */
public final class HttpSettings {

    public static final Setting PORT = Setting.of("callbridge.http.port", "8080", "API and `/observe`");
    public static final Setting MAX_BODY_BYTES = Setting.of("callbridge.http.max-body-bytes", "262144",
            "larger bodies get 413 before they are read");
    public static final Setting RETRY_AFTER_SECONDS = Setting.of("callbridge.http.retry-after-seconds", "5", "`Retry-After` on 503");

    public static final Setting BODY_TIMEOUT_MS = Setting.of("callbridge.http.body-timeout-ms", "10000",
            "a request whose body has not fully arrived by then is answered 408 and its connection closed (slow senders "
                    + "cannot hold connections open)");
    public static final Setting PLAIN = Setting.of("callbridge.http.plain", "false",
            "serve plain HTTP instead of HTTPS: only behind a proxy that ends TLS, or for local development (dev: true); "
                    + "without it, the TLS certificate and key are required");

    public static final List<Setting> DECLARED = List.of(PORT, MAX_BODY_BYTES, RETRY_AFTER_SECONDS, BODY_TIMEOUT_MS, PLAIN,
            ServerTls.CERT_FILE, ServerTls.KEY_FILE, ServerTls.CLIENT_CA_FILE, ServerTls.RELOAD_INTERVAL_MS, ApiKeys.KEYS,
            ApiKeys.LOOKUPS_PER_SECOND);

    private HttpSettings() {
    }
}
