package io.callbridge.sandbox;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;

/**
 * The CRMs the sandbox can simulate, by mount name: every {@link SandboxCrmProvider} on the class path.
 */
public final class SandboxCrms {

    /**
     * Keys every CRM understands: fault injection, the rate-limit window, and {@code seed-file} (records in the CRM's
     * seed format, as {@code POST /_sandbox/<crm>/seed} takes them, loaded at a start without kept records and at a reset).
     */
    public static final Set<String> SHARED_CONFIG_KEYS = Set.of("faults", "fault.error-rate", "fault.error-statuses",
            "fault.latency-ms", "fault.latency-jitter-ms", "fault.match", "rate-limit.quota", "rate-limit.window-seconds", "seed-file");

    private static final Map<String, SandboxCrmProvider> CRMS = load();

    private SandboxCrms() {
    }

    private static Map<String, SandboxCrmProvider> load() {
        Map<String, SandboxCrmProvider> byName = new LinkedHashMap<>();
        ServiceLoader.load(SandboxCrmProvider.class, SandboxCrms.class.getClassLoader()).forEach(p -> byName.put(p.name(), p));
        return Collections.unmodifiableMap(byName);
    }

    public static Map<String, SandboxCrmProvider> providers() {
        return CRMS;
    }

    public static boolean supports(String crm) {
        return CRMS.containsKey(crm);
    }

    /** Every configuration key of {@code crm} (shared plus its own), for lookups by name such as Camel's property resolver. */
    public static Set<String> configKeys(String crm) {
        Set<String> keys = new LinkedHashSet<>(SHARED_CONFIG_KEYS);
        SandboxCrmProvider p = CRMS.get(crm);
        if (p != null) keys.addAll(p.configKeys());
        return keys;
    }
}
