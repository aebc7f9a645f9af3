package io.callbridge.sandbox.hubspot;

import java.util.Set;

import io.callbridge.sandbox.SandboxContext;
import io.callbridge.sandbox.SandboxCrm;
import io.callbridge.sandbox.SandboxCrmProvider;

/** Registers {@link HubSpotSandbox} with the sandbox. */
public final class HubSpotSandboxProvider implements SandboxCrmProvider {

    @Override
    public String name() {
        return HubSpotSandbox.NAME;
    }

    @Override
    public Set<String> configKeys() {
        return HubSpotSandbox.CONFIG_KEYS;
    }

    @Override
    public SandboxCrm create(SandboxContext context) {
        return new HubSpotSandbox(context);
    }
}
