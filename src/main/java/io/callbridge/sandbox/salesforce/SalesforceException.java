package io.callbridge.sandbox.salesforce;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.callbridge.sandbox.Json;

import java.util.List;

/** A refused Salesforce request: HTTP status plus the error list Salesforce answers. */
public class SalesforceException extends RuntimeException {

    private final int status;
    private final List<SalesforceError> errors;

    public SalesforceException(int status, SalesforceError... errors) {
        super(errors.length == 0 ? "status " + status : errors[0].errorCode() + ": " + errors[0].message(), null, false, false);
        this.status = status;
        this.errors = List.of(errors);
    }

    public static SalesforceException badRequest(String code, String message) {
        return new SalesforceException(400, SalesforceError.of(code, message));
    }

    public static SalesforceException dml(String code, String message, String... fields) {
        return new SalesforceException(400, SalesforceError.dml(code, message, fields));
    }

    public static SalesforceException notFound() {
        return new SalesforceException(404, SalesforceError.of("NOT_FOUND", "The requested resource does not exist"));
    }

    public int status() {
        return status;
    }

    public List<SalesforceError> errors() {
        return errors;
    }

    public ArrayNode body() {
        ArrayNode a = Json.array();
        errors.forEach(e -> a.add(e.toJson()));
        return a;
    }
}
