package io.callbridge.sandbox;

import java.util.Set;

/**
 * One CRM the sandbox can simulate, found by {@link java.util.ServiceLoader}: one line in
 * {@code META-INF/services/io.callbridge.sandbox.SandboxCrmProvider}.
 */
public interface SandboxCrmProvider {

    /** Mount name, the CRM's name in Callbridge's catalog: {@code /<name>}. */
    String name();

    /** Configuration keys the simulator reads ({@code callbridge.sandbox.<name>.<key>}), besides the shared ones. */
    Set<String> configKeys();

    SandboxCrm create(SandboxContext context);
}
