package io.callbridge.sandbox;

import io.callbridge.sandbox.hubspot.HubSpotSandbox;
import io.callbridge.sandbox.pipedrive.PipedriveSandbox;
import io.callbridge.sandbox.salesforce.SalesforceSandbox;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The CRMs the sandbox can simulate, by mount name. Adding one is one {@link #register} line in
 * the static block: its factory and the configuration keys it reads.
 */
public final class SandboxCrms {

    /** Keys every CRM understands: fault injection and the rate-limit window. */
    public static final Set<String> SHARED_CONFIG_KEYS = Set.of("faults", "fault.error-rate", "fault.error-statuses",
            "fault.latency-ms", "fault.latency-jitter-ms", "fault.match", "rate-limit.quota", "rate-limit.window-seconds");

    private record Entry(Function<SandboxContext, SandboxCrm> factory, Set<String> configKeys) { }

    private static final Map<String, Entry> CRMS = new LinkedHashMap<>();

    static {
        register(SalesforceSandbox.NAME, SalesforceSandbox::new, SalesforceSandbox.CONFIG_KEYS);
        register(HubSpotSandbox.NAME, HubSpotSandbox::new, HubSpotSandbox.CONFIG_KEYS);
        register(PipedriveSandbox.NAME, PipedriveSandbox::new, PipedriveSandbox.CONFIG_KEYS);
    }

    private SandboxCrms() {
    }

    private static void register(String name, Function<SandboxContext, SandboxCrm> factory, Set<String> configKeys) {
        CRMS.put(name, new Entry(factory, Set.copyOf(configKeys)));
    }

    public static Map<String, Function<SandboxContext, SandboxCrm>> factories() {
        Map<String, Function<SandboxContext, SandboxCrm>> out = new LinkedHashMap<>();
        CRMS.forEach((k, v) -> out.put(k, v.factory()));
        return Collections.unmodifiableMap(out);
    }

    public static boolean supports(String crm) {
        return CRMS.containsKey(crm);
    }

    /** Every configuration key of {@code crm} (shared plus its own), for lookups by name such as Camel's property resolver. */
    public static Set<String> configKeys(String crm) {
        Set<String> keys = new LinkedHashSet<>(SHARED_CONFIG_KEYS);
        Entry e = CRMS.get(crm);
        if (e != null) keys.addAll(e.configKeys());
        return keys;
    }
}
