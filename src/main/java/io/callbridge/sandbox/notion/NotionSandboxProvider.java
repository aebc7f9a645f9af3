package io.callbridge.sandbox.notion;

import java.util.Set;

import io.callbridge.sandbox.SandboxContext;
import io.callbridge.sandbox.SandboxCrm;
import io.callbridge.sandbox.SandboxCrmProvider;

/** Registers {@link NotionSandbox} with the sandbox. */
public final class NotionSandboxProvider implements SandboxCrmProvider {

    @Override
    public String name() {
        return NotionSandbox.NAME;
    }

    @Override
    public Set<String> configKeys() {
        return NotionSandbox.CONFIG_KEYS;
    }

    @Override
    public SandboxCrm create(SandboxContext context) {
        return new NotionSandbox(context);
    }
}
