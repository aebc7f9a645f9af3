package io.callbridge.sandbox;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One simulated CRM. The shared mechanism ({@link CrmSandbox}) mounts it under {@code /<name>},
 * applies fault injection before {@link #handle}, and serves the admin API
 * {@code /_sandbox/<name>/...}; the CRM only speaks its vendor's wire contract.
 * Adding a CRM means one implementation, its {@link SandboxCrmProvider} and one line in
 * {@code META-INF/services/io.callbridge.sandbox.SandboxCrmProvider}.
 */
public interface SandboxCrm {

    /** Mount name, e.g. {@code salesforce}. */
    String name();

    /** Answers one vendor API request (path relative to {@code /<name>}). Runs on the server's event loop: no blocking. */
    SandboxResponse handle(SandboxRequest request);

    /**
     * Answers a request whose answer may come later, without holding the event loop meanwhile: a long poll, such as
     * Salesforce's Streaming API holding {@code /meta/connect} open until an event arrives. By default {@link #handle}'s
     * answer, at once.
     */
    default java.util.concurrent.CompletionStage<SandboxResponse> handleLater(SandboxRequest request) {
        return java.util.concurrent.CompletableFuture.completedFuture(handle(request));
    }

    /** Forgets all records and sessions (schema declared by configuration stays). */
    void reset();

    /**
     * What this CRM keeps across restarts when the sandbox has a data directory ({@link SandboxSettings#dataDir()}): its
     * records, id counters (an id is never handed out twice) and what writes added to its schema (labels, options), as
     * JSON that {@link #restore} takes back. Sessions and tokens are not kept: the client starts with the sandbox and
     * logs in again, and a kept rotated refresh token would refuse the configured one it comes back with. Called holding
     * this simulator's monitor, which is held until the answer is written: it may share the live records' nodes.
     */
    JsonNode snapshot();

    /** Replaces the records, counters and schema additions with a {@link #snapshot}'s; called before the server listens. */
    void restore(JsonNode snapshot);

    /** Loads records in the CRM's own seed format; answers what was created (ids). */
    JsonNode seed(JsonNode records) throws SandboxAdminException;

    /** All records, or those of one type when {@code type} is not null. */
    JsonNode list(String type) throws SandboxAdminException;

    /** Invalidates every access token now; the next API call answers the vendor's "session expired" error. */
    void expireTokens();

    /**
     * An admin revokes Callbridge's access (uninstalls the app): the refresh token is refused at the token endpoint as
     * the vendor refuses it ({@code invalid_grant} and its kin), and the access tokens issued from it stop working; a
     * simulator whose only credential is a fixed secret refuses that. One without either says so.
     */
    default void revokeAccess() throws SandboxAdminException {
        throw new SandboxAdminException(404, name() + " has no refresh token to revoke");
    }

    /** Undoes {@link #revokeAccess}: the same refresh token (or secret) is accepted again, as if the app were installed anew with it. */
    default void restoreAccess() throws SandboxAdminException {
        throw new SandboxAdminException(404, name() + " has no refresh token to restore");
    }

    /**
     * The vendor's error answer for an injected failure: {@code kind} is {@code error} (error rate),
     * {@code outage} or {@code rate-limit}.
     */
    SandboxResponse faultResponse(String kind, int status);

    /**
     * The settings a Callbridge connector needs to reach this simulated CRM, by their name under
     * {@code callbridge.crm.<name>.} (its credentials: {@code client-id}, {@code token}, …); the dev
     * profile sets those the operator did not.
     */
    default java.util.Map<String, String> clientSettings() {
        return java.util.Map.of();
    }

    /**
     * Called when a request arrives, before fault injection and any latency it adds: a non-null answer is sent at
     * once and the request goes no further. A vendor limit on requests in flight (Zoho's concurrency limit) needs
     * this, since {@link #handle} runs only after the injected delay and answers at once. Runs on the event loop.
     */
    default SandboxResponse admit(SandboxRequest request) {
        return null;
    }

    /**
     * Called exactly once for every request {@link #admit} let through, when its answer has been written (or its
     * connection reset): the request is no longer in flight.
     */
    default void release(SandboxRequest request) {
    }

    /**
     * What the journal keeps of the request besides its method, path and parameter names: a word its kind shows in the
     * body only (a query with a filter, a search, and a listing of the same endpoint without), never a value it carries;
     * null when there is none to keep.
     */
    default String journalNote(SandboxRequest request) {
        return null;
    }

    /** CRM-specific admin requests under {@code /_sandbox/<name>/...} that the mechanism does not know. */
    /**
     * Whether the simulator counts its requests in the shared rate-limit window ({@code rate-limit.*},
     * {@code /_sandbox/<crm>/rate-limit}); one whose vendor limits otherwise (Zoho's credits, monday's complexity, Notion's
     * bucket) says no, and the sandbox refuses that window's settings instead of ignoring them.
     */
    default boolean usesSharedRateLimit() {
        return true;
    }

    default SandboxResponse admin(SandboxRequest request) throws SandboxAdminException {
        throw new SandboxAdminException(404, "no admin resource " + request.method() + " " + request.path());
    }
}
