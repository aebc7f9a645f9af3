package io.callbridge.sandbox;

/** A refused admin request; answered as {@code {"error": message}} with the given status. */
public class SandboxAdminException extends Exception {

    private final int status;

    public SandboxAdminException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
