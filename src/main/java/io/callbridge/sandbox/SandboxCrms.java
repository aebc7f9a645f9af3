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
}
