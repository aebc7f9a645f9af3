package io.callbridge.crm;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * A CRM's answer that is not a success, or a request Callbridge holds back because the CRM's rate-limit
 * budget is spent ({@link #deferred}). The one failure type of connectors and caller searches;
 * {@link Outcome#of} turns it into the command's outcome. The message names the CRM, the status and its
 * error code, never a value from a request or answer (they carry personal data); {@link #body()} keeps
 * the CRM's answer for the dead letter.
 */
public class CrmException extends RuntimeException {

    private final String crm;
    private final int status;
    private final String body;
    private final Map<String, String> headers;
    private final boolean quotaExhausted;
    private final Duration wait;
    private final boolean credentialsRefused;

    private CrmException(String crm, int status, String message, String body, Map<String, String> headers, boolean quotaExhausted,
            Duration wait) {
        this(crm, status, message, body, headers, quotaExhausted, wait, false);
    }

    private CrmException(String crm, int status, String message, String body, Map<String, String> headers, boolean quotaExhausted,
            Duration wait, boolean credentialsRefused) {
        super(crm + ": " + message);
        this.crm = crm;
        this.status = status;
        this.body = body;
        this.headers = headers == null ? Map.of() : Map.copyOf(headers);
        this.quotaExhausted = quotaExhausted;
        this.wait = wait;
        this.credentialsRefused = credentialsRefused;
    }

    /** The CRM answered {@code status}: its body and headers as received. */
    public static CrmException answered(String crm, int status, String body, Map<String, String> headers, boolean quotaExhausted) {
        return new CrmException(crm, status, "answered " + status, body, headers, quotaExhausted, null);
    }

    /** {@code what} failed with {@code status}; {@code detail} names the CRM's error code only. */
    public static CrmException failed(String crm, int status, String what, String detail) {
        return failed(crm, status, what, detail, false);
    }

    /** As {@link #failed(String, int, String, String)}, for a spent quota too. */
    public static CrmException failed(String crm, int status, String what, String detail, boolean quotaExhausted) {
        String message = what + " answered " + status + (detail == null || detail.isBlank() ? "" : " " + detail);
        return new CrmException(crm, status, message, message, Map.of(), quotaExhausted, null);
    }

    /**
     * The CRM refused Callbridge's own credentials when it asked for new ones ({@code what}: a token refresh answered
     * {@code status}, e.g. 400 {@code invalid_grant} after an admin revoked the app): asking again will not help until
     * an operator acts, so the breaker opens at once and the commands wait. {@code detail} is the CRM's error code only.
     */
    public static CrmException credentialsRefused(String crm, int status, String what, String detail) {
        String message = what + " answered " + status + (detail == null || detail.isBlank() ? "" : " " + detail);
        return new CrmException(crm, status, message, message, Map.of(), false, null, true);
    }

    /** Not sent: the rate-limit budget is spent for {@code wait}. Not a failure of the CRM. */
    public static CrmException deferred(String crm, Duration wait, String why) {
        return new CrmException(crm, 429, why, why, Map.of("Retry-After", String.valueOf(Math.max(1, (wait.toMillis() + 999) / 1000))),
                false, wait);
    }

    public String crm() {
        return crm;
    }

    public int status() {
        return status;
    }

    /** The CRM's answer (error body, or what Callbridge knows of the failure). */
    public String body() {
        return body;
    }

    public Map<String, String> headers() {
        return headers;
    }

    /** A limit that will not pass before a daily or org-wide quota resets: the breaker opens rather than retry. */
    public boolean quotaExhausted() {
        return quotaExhausted;
    }

    public boolean deferred() {
        return wait != null;
    }

    /** A login or token refresh the CRM refused: see {@link #credentialsRefused(String, int, String, String)}. */
    public boolean credentialsRefused() {
        return credentialsRefused;
    }

    Instant retryAt(Clock clock) {
        return clock.instant().plus(wait == null ? Duration.ZERO : wait);
    }
}
