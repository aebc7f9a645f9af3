package io.callbridge.intake;

import java.util.List;
import java.util.stream.Collectors;

/** The event breaks the call-event contract; every reason names the field it concerns. */
public class InvalidEventException extends Exception {

    private final List<FieldError> errors;

    public InvalidEventException(List<FieldError> errors) {
        super(errors.stream().map(e -> (e.pointer().isEmpty() ? "(document)" : e.pointer()) + " " + e.detail())
                .collect(Collectors.joining("; ")));
        this.errors = List.copyOf(errors);
    }

    public InvalidEventException(String pointer, String detail) {
        this(List.of(new FieldError(pointer, detail)));
    }

    public List<FieldError> errors() {
        return errors;
    }
}
