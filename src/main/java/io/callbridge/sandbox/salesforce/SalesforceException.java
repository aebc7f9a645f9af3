package io.callbridge.sandbox.salesforce;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.callbridge.sandbox.Json;
import io.callbridge.sandbox.SandboxRequest;

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

    /**
     * The error code of an answer to what the sandbox does not simulate (501): every simulator's, so that one word finds
     * the sandbox's gaps in a client's logs and no client takes one for a record that does not exist ({@code NOT_FOUND}).
     */
    public static final String NOT_SIMULATED_CODE = "NOT_SIMULATED";

    /** A request the sandbox does not simulate, with {@link SandboxRequest#notSimulated}'s message. */
    public static SalesforceException notSimulated(String message) {
        return new SalesforceException(SandboxRequest.NOT_SIMULATED, SalesforceError.of(NOT_SIMULATED_CODE, message));
    }

    /** A part of a served request the sandbox does not simulate (a SOSL clause, a SOQL function); the API names the request around it. */
    public static Unsimulated unsimulated(String feature) {
        return new Unsimulated(feature);
    }

    /** See {@link #unsimulated}. */
    public static final class Unsimulated extends SalesforceException {
        private final String feature;

        private Unsimulated(String feature) {
            super(SandboxRequest.NOT_SIMULATED, SalesforceError.of(NOT_SIMULATED_CODE, "not simulated by the sandbox: " + feature));
            this.feature = feature;
        }

        public String feature() {
            return feature;
        }
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
