package io.callbridge.sandbox.zoho;

import java.util.Set;

import io.callbridge.sandbox.SandboxContext;
import io.callbridge.sandbox.SandboxCrm;
import io.callbridge.sandbox.SandboxCrmProvider;

/** Registers {@link ZohoSandbox} with the sandbox. */
public final class ZohoSandboxProvider implements SandboxCrmProvider {

    @Override
    public String name() {
        return ZohoSandbox.NAME;
    }

    @Override
    public Set<String> configKeys() {
        return ZohoSandbox.CONFIG_KEYS;
    }

    @Override
    public SandboxCrm create(SandboxContext context) {
        return new ZohoSandbox(context);
    }
}
