package io.callbridge.audit;

/**
 * The audit trail did not acknowledge a record in time: the admin action is refused (503) rather than done unaudited,
 * or, when it was already done, its outcome is reported as not recorded.
 */
public final class AuditUnavailableException extends Exception {

    public AuditUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
