package io.callbridge.http;

/** The path names nothing that exists (an unknown CRM, say): 404 problem+json, with a detail that does not echo the path. */
public final class NotFoundException extends Exception {

    public NotFoundException(String message) {
        super(message);
    }
}
