/**
 * The CRM sandbox: local, stateful simulators of the CRM APIs Callbridge talks to, speaking each
 * vendor's wire contract, with fault injection and state inspection, for the dev profile, the tests
 * and integrators trying their mappings. Like LocalStack for AWS.
 *
 * <h2>Starting it (the application, a test)</h2>
 * <pre>{@code
 * CrmSandbox sandbox = CrmSandbox.start(SandboxSettings.builder()
 *         .port(8089)                       // 0 = a free port
 *         .crm("salesforce")
 *         .seed(42)                         // fault-injection randomness; same seed, same run
 *         .config("salesforce", Map.of("client-id", "...", "client-secret", "...", "refresh-token", "..."))
 *         .build());
 * String loginUrl = sandbox.baseUrl("salesforce");   // http://localhost:8089/salesforce
 * ...
 * sandbox.close();
 * }</pre>
 * or from properties ({@code callbridge.sandbox.port|host|seed} and
 * {@code callbridge.sandbox.<crm>.<key>}, keys from {@link io.callbridge.sandbox.SandboxCrms#configKeys}):
 * {@code SandboxSettings.fromProperties(name -> resolve(name), Set.of("salesforce"))}.
 *
 * <h2>Adding a CRM</h2>
 * One class implementing {@link io.callbridge.sandbox.SandboxCrm} (wire contract only: paths under
 * its mount point, auth, payloads, error bodies, its rate-limit headers from
 * {@link io.callbridge.sandbox.SandboxContext#rateLimiter()}), registered with one line in
 * {@link io.callbridge.sandbox.SandboxCrms}. Fault injection, the journal and the admin API
 * ({@link io.callbridge.sandbox.CrmSandbox}) come from the mechanism.
 */
package io.callbridge.sandbox;
