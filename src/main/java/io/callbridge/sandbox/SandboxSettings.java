package io.callbridge.sandbox;

import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * How to start a {@link CrmSandbox}: the port (0 = a free one), the host to bind, the CRMs to
 * serve, the random seed for fault injection and per-CRM configuration (keys as in
 * {@code callbridge.sandbox.<crm>.<key>}, e.g. {@code client-id}, {@code rate-limit.quota},
 * {@code fault.error-rate}), and the directory that keeps the CRMs' records across restarts (none: in memory only).
 */
public final class SandboxSettings {

    public static final int DEFAULT_PORT = 8089;
    /** Where the standalone sandbox ({@link CrmSandbox#main}) and {@link #fromProperties} read the data directory. */
    public static final String DATA_DIR_KEY = "callbridge.sandbox.data-dir";

    private final int port;
    private final String host;
    private final Set<String> crms;
    private final long seed;
    private final Map<String, Map<String, String>> config;
    private final Clock clock;
    private final Path dataDir;

    private SandboxSettings(Builder b) {
        this.port = b.port;
        this.host = b.host;
        this.crms = Set.copyOf(new LinkedHashSet<>(b.crms));
        this.seed = b.seed;
        Map<String, Map<String, String>> c = new LinkedHashMap<>();
        b.config.forEach((k, v) -> c.put(k, Map.copyOf(v)));
        this.config = Map.copyOf(c);
        this.clock = b.clock;
        this.dataDir = b.dataDir;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Reads {@code callbridge.sandbox.port}, {@code .host}, {@code .seed} and, for each CRM,
     * the keys under {@code callbridge.sandbox.<crm>.} listed in {@code keys} through {@code lookup}
     * (e.g. Camel's property resolver, which also maps environment variables).
     */
    public static SandboxSettings fromProperties(Function<String, String> lookup, Set<String> crms, Set<String> keys) {
        Builder b = builder();
        String port = lookup.apply("callbridge.sandbox.port");
        b.port(port == null || port.isBlank() ? DEFAULT_PORT : Integer.parseInt(port.trim()));
        String host = lookup.apply("callbridge.sandbox.host");
        if (host != null && !host.isBlank()) b.host(host.trim());
        String seed = lookup.apply("callbridge.sandbox.seed");
        if (seed != null && !seed.isBlank()) b.seed(Long.parseLong(seed.trim()));
        String dataDir = lookup.apply(DATA_DIR_KEY);
        if (dataDir != null && !dataDir.isBlank()) b.dataDir(Path.of(dataDir.trim()));
        for (String crm : crms) {
            b.crm(crm);
            b.config(crm, config(lookup, crm, keys));
        }
        return b.build();
    }

    /** The keys of {@code crm} under {@code callbridge.sandbox.<crm>.} that {@code lookup} knows. */
    public static Map<String, String> config(Function<String, String> lookup, String crm, Set<String> keys) {
        Map<String, String> c = new LinkedHashMap<>();
        for (String k : keys) {
            String v = lookup.apply("callbridge.sandbox." + crm + "." + k);
            if (v != null) c.put(k, v);
        }
        return c;
    }

    /** As above with every key the CRMs know ({@link SandboxCrms#configKeys(String)}). */
    public static SandboxSettings fromProperties(Function<String, String> lookup, Set<String> crms) {
        Set<String> keys = new LinkedHashSet<>();
        for (String crm : crms) keys.addAll(SandboxCrms.configKeys(crm));
        return fromProperties(lookup, crms, keys);
    }

    public int port() {
        return port;
    }

    public String host() {
        return host;
    }

    public Set<String> crms() {
        return crms;
    }

    public long seed() {
        return seed;
    }

    public Map<String, String> config(String crm) {
        return config.getOrDefault(crm, Map.of());
    }

    public Clock clock() {
        return clock;
    }

    /** Where each CRM's snapshot is kept, or null: nothing outlives the sandbox. */
    public Path dataDir() {
        return dataDir;
    }

    public static final class Builder {
        private int port = DEFAULT_PORT;
        private String host = "localhost";
        private final Set<String> crms = new LinkedHashSet<>();
        private long seed = 20261128L;
        private final Map<String, Map<String, String>> config = new LinkedHashMap<>();
        private Clock clock = Clock.systemUTC();
        private Path dataDir;

        public Builder port(int port) {
            if (port < 0 || port > 65535) throw new IllegalArgumentException("invalid port " + port);
            this.port = port;
            return this;
        }

        public Builder host(String host) {
            this.host = Objects.requireNonNull(host);
            return this;
        }

        public Builder crm(String crm) {
            crms.add(crm);
            return this;
        }

        public Builder crms(Set<String> names) {
            crms.addAll(names);
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Adds (and overrides) configuration keys of one CRM; also adds the CRM. */
        public Builder config(String crm, Map<String, String> values) {
            crms.add(crm);
            config.computeIfAbsent(crm, k -> new LinkedHashMap<>()).putAll(values);
            return this;
        }

        public Builder config(String crm, String key, String value) {
            return config(crm, Map.of(key, value));
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock);
            return this;
        }

        /** Keeps the CRMs' records in this directory, one snapshot per CRM; null keeps them in memory only. */
        public Builder dataDir(Path dir) {
            this.dataDir = dir;
            return this;
        }

        public SandboxSettings build() {
            return new SandboxSettings(this);
        }
    }
}
