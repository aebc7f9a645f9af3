package io.callbridge.sandbox.monday;

import java.util.Set;

import io.callbridge.sandbox.SandboxContext;
import io.callbridge.sandbox.SandboxCrm;
import io.callbridge.sandbox.SandboxCrmProvider;

/** Registers {@link MondaySandbox} with the sandbox. */
public final class MondaySandboxProvider implements SandboxCrmProvider {

    @Override
    public String name() {
        return MondaySandbox.NAME;
    }

    @Override
    public Set<String> configKeys() {
        return MondaySandbox.CONFIG_KEYS;
    }

    @Override
    public SandboxCrm create(SandboxContext context) {
        return new MondaySandbox(context);
    }
}
