package io.callbridge.sandbox.notion;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callbridge.sandbox.Json;
import io.callbridge.sandbox.SandboxRequest;

/**
 * One of Notion's error answers: {@code {"object":"error","status","code","message","request_id"}} (the envelope of
 * the OpenAPI's {@code publicApiCommonErrorResponse}; {@code request_id} is what real answers carry, unconfirmed by the
 * document). Messages are worded as Notion words them where the facts record it.
 */
final class NotionError extends RuntimeException {

    private final int status;
    private final String code;

    NotionError(int status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    int status() {
        return status;
    }

    String code() {
        return code;
    }

    ObjectNode body(String requestId) {
        ObjectNode o = Json.object();
        o.put("object", "error").put("status", status).put("code", code).put("message", getMessage());
        if (requestId != null) o.put("request_id", requestId);
        return o;
    }

    static NotionError unauthorized() {
        return new NotionError(401, "unauthorized", "API token is invalid.");
    }

    static NotionError missingVersion() {
        return new NotionError(400, "missing_version",
                "Notion-Version header failed validation: Notion-Version header should be defined, instead was `undefined`.");
    }

    static NotionError invalidVersion(String given, String supported) {
        return new NotionError(400, "validation_error", "Notion-Version header failed validation: Notion-Version header should be one of "
                + supported + ", instead was `" + given + "`.");
    }

    static NotionError validation(String message) {
        return new NotionError(400, "validation_error", message);
    }

    /** {@code body failed validation: body.<path> should be …, instead was `…`.} */
    static NotionError body(String path, String should, Object instead) {
        return validation("body failed validation: body." + path + " should be " + should + ", instead was `" + instead + "`.");
    }

    static NotionError invalidJson() {
        return new NotionError(400, "invalid_json", "Error parsing JSON body.");
    }

    static NotionError invalidUrl(String method, String path) {
        return new NotionError(400, "invalid_request_url", "Invalid request URL.");
    }

    /** A route Notion has (comments, database updates…) that the sandbox does not simulate. */
    static NotionError notSimulated(SandboxRequest req) {
        return new NotionError(SandboxRequest.NOT_SIMULATED, "not_simulated", req.notSimulated());
    }

    static NotionError invalidRequest(String message) {
        return new NotionError(400, "invalid_request", message);
    }

    static NotionError notFound(String kind, String id) {
        return new NotionError(404, "object_not_found", "Could not find " + kind + " with ID: " + id
                + ". Make sure the relevant pages and databases are shared with your integration.");
    }

    static NotionError rateLimited() {
        return new NotionError(429, "rate_limited", "You have been rate limited. Please try again in a few minutes.");
    }

    static NotionError forStatus(int status) {
        return switch (status) {
            case 400 -> invalidRequest("Invalid request.");
            case 401 -> unauthorized();
            case 403 -> new NotionError(403, "restricted_resource", "API token does not have access to this resource.");
            case 404 -> notFound("object", "00000000-0000-0000-0000-000000000000");
            case 409 -> new NotionError(409, "conflict_error", "Conflict occurred while saving. Please try again.");
            case 429 -> rateLimited();
            case 503 -> new NotionError(503, "service_unavailable", "Notion is unavailable, please try again later.");
            case 529 -> new NotionError(529, "service_overload", "Notion is currently overloaded, please try again later.");
            default -> new NotionError(status, "internal_server_error", "Unexpected error occurred.");
        };
    }
}
