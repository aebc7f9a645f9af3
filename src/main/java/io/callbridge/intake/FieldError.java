package io.callbridge.intake;

/** One reason an event was refused: a JSON Pointer into the event (RFC 6901) and what is wrong there. */
public record FieldError(String pointer, String detail) {
}
