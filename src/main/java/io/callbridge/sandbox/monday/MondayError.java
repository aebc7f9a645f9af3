package io.callbridge.sandbox.monday;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callbridge.sandbox.Json;
import io.callbridge.sandbox.SandboxRequest;

/**
 * An error in monday's 2025-01+ format: {@code {"message", "extensions": {"code", "status_code", "error_data", …}}},
 * inside {@code errors[]} of a response. Thrown by a resolver it becomes the error of that field (with its
 * {@code locations} and {@code path}, the field answering null); thrown before execution it is the whole answer,
 * with {@link #httpStatus()}.
 *
 * <p>Codes and messages: where monday documents one (ColumnValueException, InvalidColumnIdException, "This column ID
 * doesn't exist for the board", COMPLEXITY_BUDGET_EXHAUSTED, DAILY_LIMIT_EXCEEDED, "No query string was present")
 * it is used; the others are the sandbox's choice (the facts mark them unconfirmed) and live here only.
 */
final class MondayError extends RuntimeException {

    private final String code;
    private final int httpStatus;
    private final Integer statusCode;
    private final ObjectNode errorData;
    private final ObjectNode extra = Json.object();

    MondayError(String code, String message, int httpStatus, Integer statusCode, ObjectNode errorData) {
        super(message);
        this.code = code;
        this.httpStatus = httpStatus;
        this.statusCode = statusCode;
        this.errorData = errorData;
    }

    String code() {
        return code;
    }

    /** The HTTP status when this error is the whole answer (200 for application errors). */
    int httpStatus() {
        return httpStatus;
    }

    MondayError with(String key, JsonNode value) {
        extra.set(key, value);
        return this;
    }

    MondayError with(String key, long value) {
        extra.put(key, value);
        return this;
    }

    ObjectNode extensions() {
        ObjectNode e = Json.object();
        e.put("code", code);
        e.setAll(extra);
        if (statusCode != null) e.put("status_code", statusCode);
        if (errorData != null) e.set("error_data", errorData);
        return e;
    }

    /** {@code {"message", "extensions"}}, for an answer made of this error alone. */
    ObjectNode toJson() {
        ObjectNode o = Json.object();
        o.put("message", getMessage());
        o.set("extensions", extensions());
        return o;
    }

    /** {@code {"errors": [this], "account_id"}}. */
    ObjectNode body(long accountId) {
        ObjectNode o = Json.object();
        ArrayNode a = o.putArray("errors");
        a.add(toJson());
        o.put("account_id", accountId);
        return o;
    }

    // ---- request level ------------------------------------------------------------------------

    /** Missing, wrong or expired token (body unconfirmed: the facts only say HTTP 401). */
    static MondayError notAuthenticated() {
        return new MondayError("UNAUTHENTICATED", "Not Authenticated", 401, 401, null);
    }

    static MondayError noQuery() {
        return new MondayError("BAD_REQUEST", "No query string was present", 400, 400, null);
    }

    static MondayError badJson(String detail) {
        return new MondayError("JsonParseException", "Unexpected token in JSON: " + detail, 400, 400, null);
    }

    /** monday.com serves its API at {@code /v2} only; any other path is one the sandbox does not simulate (file uploads…). */
    static MondayError notSimulated(SandboxRequest req) {
        return new MondayError("NOT_SIMULATED", req.notSimulated(), SandboxRequest.NOT_SIMULATED, SandboxRequest.NOT_SIMULATED, null);
    }

    static MondayError methodNotAllowed(String method) {
        return new MondayError("BAD_REQUEST", "The API takes POST with a JSON body {\"query\", \"variables\"}, not " + method, 400, 400, null);
    }

    static MondayError invalidVersion(String version, String supported) {
        return new MondayError("InvalidVersionException", "The API version '" + version + "' is not supported; supported versions: " + supported,
                400, 400, null);
    }

    static MondayError budgetExhausted(long cost, long left, long limit, long retryInSeconds) {
        return new MondayError("COMPLEXITY_BUDGET_EXHAUSTED", "Complexity budget exhausted", 429, 429, null)
                .with("complexity", cost).with("complexity_budget_left", left).with("complexity_budget_limit", limit)
                .with("retry_in_seconds", retryInSeconds);
    }

    static MondayError maxComplexity(long cost, long max) {
        return new MondayError("maxComplexityExceeded", "Query has complexity of " + cost + ", which exceeds max complexity of " + max,
                200, 200, null).with("complexity", cost).with("max_complexity", max);
    }

    static MondayError dailyLimit(long limit, long retryInSeconds) {
        return new MondayError("DAILY_LIMIT_EXCEEDED", "Daily limit exceeded", 429, 429, null)
                .with("daily_limit", limit).with("retry_in_seconds", retryInSeconds);
    }

    static MondayError rateLimit(long retryInSeconds) {
        return new MondayError("RATE_LIMIT_EXCEEDED", "Rate Limit Exceeded", 429, 429, null).with("retry_in_seconds", retryInSeconds);
    }

    static MondayError internal(int status) {
        return new MondayError("INTERNAL_SERVER_ERROR", "Internal server error", status, status, null);
    }

    // ---- field level --------------------------------------------------------------------------

    static MondayError columnValue(String message, MondayWorkspace.Column column, String rawValue) {
        ObjectNode d = Json.object();
        d.put("column_value", rawValue);
        d.put("column_type", column.type());
        d.put("column_id", column.id());
        d.put("column_name", column.title());
        return new MondayError("ColumnValueException", message, 200, 200, d);
    }

    static MondayError invalidColumnId(String columnId) {
        return new MondayError("InvalidColumnIdException", "This column ID doesn't exist for the board", 200, 200,
                Json.object().put("column_id", columnId));
    }

    static MondayError invalidBoardId(String boardId) {
        return new MondayError("InvalidBoardIdException", "The board does not exist. Please check your board ID and try again", 200, 200,
                Json.object().put("board_id", boardId));
    }

    static MondayError invalidItemId(String itemId) {
        return new MondayError("InvalidItemIdException", "This item ID doesn't exist for the board", 200, 200,
                Json.object().put("item_id", itemId));
    }

    static MondayError invalidGroupId(String groupId) {
        return new MondayError("InvalidGroupIdException", "The group does not exist", 200, 200, Json.object().put("group_id", groupId));
    }

    static MondayError columnValuesJson(String detail) {
        return new MondayError("JsonParseException", "Invalid column_values: " + detail, 200, 200, null);
    }

    static MondayError invalidArgument(String message) {
        return new MondayError("InvalidArgumentException", message, 200, 200, null);
    }

    /** The URL did not echo the challenge (monday's message; its code is the sandbox's choice). */
    static MondayError webhookChallengeFailed() {
        return new MondayError("InvalidArgumentException", "Failed to communicate with URL provided.", 200, 400, null);
    }

    static MondayError cursor(String message) {
        return new MondayError("CursorException", message, 200, 200, null);
    }
}
