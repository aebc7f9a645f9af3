package io.callbridge.support;

import io.callbridge.sandbox.CrmSandbox;
import io.callbridge.sandbox.SandboxSettings;
import io.callbridge.sandbox.pipedrive.PipedriveSandbox;

/** A Pipedrive company account in the CRM sandbox, spoken to over HTTP with its API token. */
public final class PipedriveAccount extends SandboxClient implements AutoCloseable {

    public static final String TOKEN = PipedriveSandbox.DEFAULT_API_TOKEN;

    private final CrmSandbox sandbox;

    private PipedriveAccount(CrmSandbox sandbox) {
        super(() -> sandbox.baseUrl("pipedrive"), "x-api-token");
        this.sandbox = sandbox;
    }

    public static PipedriveAccount start() {
        return new PipedriveAccount(CrmSandbox.start(SandboxSettings.builder().port(0).seed(3).crm("pipedrive").build()));
    }

    public CrmSandbox sandbox() {
        return sandbox;
    }

    public String baseUrl() {
        return sandbox.baseUrl("pipedrive");
    }

    public void reset() {
        sandbox.reset("pipedrive");
    }

    @Override
    protected String authorization() {
        return TOKEN;
    }

    @Override
    public void close() {
        sandbox.close();
    }
}
