package io.callbridge.sandbox.salesforce;

import java.util.Set;

import io.callbridge.sandbox.SandboxContext;
import io.callbridge.sandbox.SandboxCrm;
import io.callbridge.sandbox.SandboxCrmProvider;

/** Registers {@link SalesforceSandbox} with the sandbox. */
public final class SalesforceSandboxProvider implements SandboxCrmProvider {

    @Override
    public String name() {
        return SalesforceSandbox.NAME;
    }

    @Override
    public Set<String> configKeys() {
        return SalesforceSandbox.CONFIG_KEYS;
    }

    @Override
    public SandboxCrm create(SandboxContext context) {
        return new SalesforceSandbox(context);
    }
}
