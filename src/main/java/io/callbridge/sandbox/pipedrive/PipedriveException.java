package io.callbridge.sandbox.pipedrive;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callbridge.sandbox.Json;

/** A refused Pipedrive request, answered as {@code {success: false, error, error_info, data: null, additional_data: null}}. */
final class PipedriveException extends RuntimeException {

    static final String ERROR_INFO = "Please check developers.pipedrive.com for more information about Pipedrive API.";

    private final int status;
    private final String code;

    PipedriveException(int status, String error) {
        this(status, error, null);
    }

    PipedriveException(int status, String error, String code) {
        super(error);
        this.status = status;
        this.code = code;
    }

    int status() {
        return status;
    }

    ObjectNode body() {
        return body(status, getMessage(), code);
    }

    static ObjectNode body(int status, String error, String code) {
        ObjectNode o = Json.object();
        o.put("success", false);
        o.put("error", error);
        if (code != null) o.put("code", code);
        if (status == 401 || status == 429 || status == 403) o.put("errorCode", status);
        o.put("error_info", ERROR_INFO);
        o.putNull("data");
        o.putNull("additional_data");
        return o;
    }

    static PipedriveException validation(String message) {
        return new PipedriveException(400, "Validation failed: " + message, "ERR_SCHEMA_VALIDATION_FAILED");
    }

    static PipedriveException notFound(String what) {
        return new PipedriveException(404, what + " not found", "ERR_NOT_FOUND");
    }
}
