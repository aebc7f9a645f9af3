package io.callbridge.dev;

import java.util.List;

import io.callbridge.config.Setting;

/**
 * The settings of the dev services: the CRM sandbox and starting afresh (the embedded broker's are
 * {@code callbridge.kafka.embedded*}).
 */
public final class DevSettings {

    private static final String P = "callbridge.sandbox.";

    static final Setting SANDBOX_ENABLED = Setting.of(P + "enabled", "false",
            "serve the CRM sandbox for enabled CRMs without a URL (dev: true)");
    static final Setting SANDBOX_PORT = Setting.of(P + "port", "8089", "the sandbox, each CRM under `/<crm>`");
    static final Setting SANDBOX_HOST = Setting.of(P + "host", "localhost", "the address the sandbox listens on");
    static final Setting SANDBOX_SEED = Setting.of(P + "seed", "20261128", "seed of the sandbox's fault injection");
    static final Setting SANDBOX_DATA_DIR = Setting.of(P + "data-dir", null,
            "where the sandbox keeps its CRMs' records, id counters and schema additions across restarts; unset: in memory only "
                    + "(dev: `data/sandbox`)");
    static final Setting RESET = Setting.of("callbridge.dev.reset", "false",
            "`true` for one start afresh: the embedded broker's storage and the sandbox's records are deleted first, together");
    static final Setting SANDBOX_CRM = Setting.of(P + "<crm>.<key>", null,
            "the simulated CRM's own configuration (custom fields, limits, faults; see `io.callbridge.sandbox`)");

    public static final List<Setting> DECLARED = List.of(SANDBOX_ENABLED, SANDBOX_PORT, SANDBOX_HOST, SANDBOX_SEED,
            SANDBOX_DATA_DIR, SANDBOX_CRM, RESET);

    private DevSettings() {
    }
}
