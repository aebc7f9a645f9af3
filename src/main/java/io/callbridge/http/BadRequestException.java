package io.callbridge.http;

/** A query parameter that cannot be read: 400 problem+json naming it, so a filter is never silently ignored. */
public final class BadRequestException extends Exception {

    private final String parameter;

    public BadRequestException(String parameter, String message) {
        super(message);
        this.parameter = parameter;
    }

    public String parameter() {
        return parameter;
    }
}
