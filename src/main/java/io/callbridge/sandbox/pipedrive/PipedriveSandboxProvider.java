package io.callbridge.sandbox.pipedrive;

import java.util.Set;

import io.callbridge.sandbox.SandboxContext;
import io.callbridge.sandbox.SandboxCrm;
import io.callbridge.sandbox.SandboxCrmProvider;

/** Registers {@link PipedriveSandbox} with the sandbox. */
public final class PipedriveSandboxProvider implements SandboxCrmProvider {

    @Override
    public String name() {
        return PipedriveSandbox.NAME;
    }

    @Override
    public Set<String> configKeys() {
        return PipedriveSandbox.CONFIG_KEYS;
    }

    @Override
    public SandboxCrm create(SandboxContext context) {
        return new PipedriveSandbox(context);
    }
}
