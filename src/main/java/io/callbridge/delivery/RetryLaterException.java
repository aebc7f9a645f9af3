package io.callbridge.delivery;

/** A command that could not be delivered yet; the consumer pauses and tries it again later. */
public class RetryLaterException extends Exception {
    public RetryLaterException(String message, Throwable cause) {
        super(message, cause);
    }
}
