package io.callbridge.sandbox;

import io.callbridge.sandbox.salesforce.SalesforceSandbox;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/** The CRMs the sandbox can simulate, by mount name. */
public final class SandboxCrms {

    private static final Map<String, Function<SandboxContext, SandboxCrm>> FACTORIES = new LinkedHashMap<>();

    static {
        FACTORIES.put(SalesforceSandbox.NAME, SalesforceSandbox::new);
    }

    private SandboxCrms() {
    }

    public static Map<String, Function<SandboxContext, SandboxCrm>> factories() {
        return Collections.unmodifiableMap(FACTORIES);
    }

    public static boolean supports(String crm) {
        return FACTORIES.containsKey(crm);
    }

    /** Keys every CRM understands: fault injection and the rate-limit window. */
    public static final java.util.Set<String> SHARED_CONFIG_KEYS = java.util.Set.of("faults", "fault.error-rate", "fault.error-statuses",
            "fault.latency-ms", "fault.latency-jitter-ms", "fault.match", "rate-limit.quota", "rate-limit.window-seconds");

    /** Every configuration key of {@code crm} (shared plus its own), for lookups by name such as Camel's property resolver. */
    public static java.util.Set<String> configKeys(String crm) {
        java.util.Set<String> keys = new java.util.LinkedHashSet<>(SHARED_CONFIG_KEYS);
        if (crm.equals(SalesforceSandbox.NAME)) keys.addAll(SalesforceSandbox.CONFIG_KEYS);
        return keys;
    }
}
