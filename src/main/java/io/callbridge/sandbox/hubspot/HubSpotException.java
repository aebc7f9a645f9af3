package io.callbridge.sandbox.hubspot;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callbridge.sandbox.Json;

import java.util.UUID;

/**
 * A refused HubSpot request, answered in HubSpot's error body
 * {@code {status: "error", message, correlationId, category, errors[], context}}.
 */
final class HubSpotException extends RuntimeException {

    /**
     * The category of the answer to a request no handler serves: none of HubSpot's own, so that no client's handling
     * of a HubSpot category (OBJECT_NOT_FOUND...) applies to it, and the code the monday and Notion simulators use.
     */
    static final String NOT_SIMULATED_CATEGORY = "NOT_SIMULATED";

    private final int status;
    private final String category;
    private final ArrayNode errors;
    private final ObjectNode context;
    private final String subCategory;

    HubSpotException(int status, String category, String message) {
        this(status, category, message, null, null, null);
    }

    HubSpotException(int status, String category, String message, ArrayNode errors, ObjectNode context, String subCategory) {
        super(message);
        this.status = status;
        this.category = category;
        this.errors = errors;
        this.context = context;
        this.subCategory = subCategory;
    }

    int status() {
        return status;
    }

    String category() {
        return category;
    }

    ObjectNode body() {
        return body(getMessage(), category, subCategory, errors, context);
    }

    static ObjectNode body(String message, String category, String subCategory, ArrayNode errors, ObjectNode context) {
        ObjectNode o = Json.object();
        o.put("status", "error");
        o.put("message", message);
        o.put("correlationId", UUID.randomUUID().toString());
        if (category != null) o.put("category", category);
        if (subCategory != null) o.put("subCategory", subCategory);
        if (errors != null && !errors.isEmpty()) o.set("errors", errors);
        if (context != null && !context.isEmpty()) o.set("context", context);
        return o;
    }

    static HubSpotException validation(String message) {
        return new HubSpotException(400, "VALIDATION_ERROR", message);
    }

    static HubSpotException notFound() {
        return new HubSpotException(404, "OBJECT_NOT_FOUND", "resource not found");
    }
}
