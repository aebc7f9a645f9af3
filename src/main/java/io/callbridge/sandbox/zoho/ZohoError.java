package io.callbridge.sandbox.zoho;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callbridge.sandbox.Json;
import io.callbridge.sandbox.SandboxRequest;

/**
 * A refusal in Zoho's shape, {@code {"code", "details", "message", "status":"error"}}: of a whole request (with its
 * HTTP status) or of one record of a write (the status is then the write's, see {@link ZohoRecordsApi}). Codes and
 * messages are those of the v8 documents ({@code record.json} {@code API_Exception}, {@code module_search.json},
 * {@code coql.json}) wherever they name one.
 */
final class ZohoError extends RuntimeException {

    private final int status;
    private final String code;
    private final ObjectNode details;

    ZohoError(int status, String code, String message, ObjectNode details) {
        super(message);
        this.status = status;
        this.code = code;
        this.details = details == null ? Json.object() : details;
    }

    int status() {
        return status;
    }

    String code() {
        return code;
    }

    ObjectNode body() {
        return envelope(code, getMessage(), details);
    }

    static ObjectNode envelope(String code, String message, ObjectNode details) {
        ObjectNode o = Json.object();
        o.put("code", code);
        o.set("details", details == null ? Json.object() : details.deepCopy());
        o.put("message", message);
        o.put("status", "error");
        return o;
    }

    // ---- request-level --------------------------------------------------------------------------

    static ZohoError invalidToken() {
        return new ZohoError(401, "INVALID_TOKEN", "invalid oauth token", null);
    }

    static ZohoError authenticationFailure() {
        return new ZohoError(401, "AUTHENTICATION_FAILURE", "Authentication failed", null);
    }

    /** Credits spent or too many requests in flight: Zoho does not tell the two apart, and sends no Retry-After. */
    static ZohoError tooManyRequests() {
        return new ZohoError(429, "TOO_MANY_REQUESTS", "You have reached the API request limit. Please try again later.", null);
    }

    /** {@code resource_path_index}: the module's position among the path segments after {@code /crm/v8}. */
    static ZohoError invalidModule() {
        ObjectNode d = Json.object().put("resource_path_index", 0);
        return new ZohoError(400, "INVALID_MODULE", "The module name given seems to be invalid", d);
    }

    static ZohoError requiredParam(String param) {
        return new ZohoError(400, "REQUIRED_PARAM_MISSING", "One of the expected parameter is missing", Json.object().put("param", param));
    }

    static ZohoError urlPattern() {
        return new ZohoError(404, "INVALID_URL_PATTERN", "Please check if the URL trying to access is a correct one", null);
    }

    /** A route Zoho has (other API versions, related lists, deletes…) that the sandbox does not simulate. */
    static ZohoError notSimulated(SandboxRequest req) {
        return new ZohoError(SandboxRequest.NOT_SIMULATED, "NOT_SIMULATED", req.notSimulated(), null);
    }

    static ZohoError requestMethod() {
        return new ZohoError(400, "INVALID_REQUEST_METHOD", "The http request method type is not a valid one", null);
    }

    /** A body that is not JSON, or a {@code data} that is not an array. */
    static ZohoError invalidBody(String apiName, String expected) {
        ObjectNode d = Json.object();
        if (apiName != null) d.put("api_name", apiName).put("json_path", "$." + apiName);
        if (expected != null) d.put("expected_data_type", expected);
        return new ZohoError(400, "INVALID_DATA", "invalid data", d);
    }

    static ZohoError recordCountExceeded(int limit) {
        return new ZohoError(400, "LIMIT_EXCEEDED", "Record count exceeded", Json.object().put("limit", limit));
    }

    static ZohoError internal(int status) {
        return new ZohoError(status, "INTERNAL_ERROR", "Internal server error occurred.", null);
    }

    // ---- one record of a write ------------------------------------------------------------------

    static String path(int index, String apiName) {
        return "$.data[" + index + "]" + (apiName == null ? "" : "." + apiName);
    }

    static ZohoError mandatory(int index, String apiName) {
        return new ZohoError(400, "MANDATORY_NOT_FOUND", "required field not found",
                Json.object().put("api_name", apiName).put("json_path", path(index, apiName)));
    }

    static ZohoError invalidData(int index, String apiName, String expectedDataType) {
        ObjectNode d = Json.object().put("api_name", apiName).put("json_path", path(index, apiName));
        if (expectedDataType != null) d.put("expected_data_type", expectedDataType);
        return new ZohoError(400, "INVALID_DATA", "invalid data", d);
    }

    /** {@code maximum_length} is a string, as record.json types it (common.json says integer). */
    static ZohoError tooLong(int index, String apiName, int maximum) {
        return new ZohoError(400, "INVALID_DATA", "invalid data", Json.object().put("api_name", apiName)
                .put("json_path", path(index, apiName)).put("maximum_length", Integer.toString(maximum)));
    }

    static ZohoError invalidId(String id) {
        return new ZohoError(400, "INVALID_DATA", "the id given seems to be invalid", Json.object().put("id", id));
    }

    static ZohoError duplicate(int index, String apiName, ObjectNode duplicateRecord) {
        ObjectNode d = Json.object().put("api_name", apiName).put("json_path", path(index, apiName));
        d.set("duplicate_record", duplicateRecord);
        return new ZohoError(400, "DUPLICATE_DATA", "duplicate data", d);
    }
}
