package io.callbridge.sandbox.salesforce;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callbridge.sandbox.Json;

import java.util.List;

/**
 * One Salesforce REST error: {@code {"message", "errorCode", "fields"}}. {@code fields} is present for
 * record (DML) errors and absent for request-level ones (INVALID_SESSION_ID, MALFORMED_QUERY,
 * NOT_FOUND…), as Salesforce answers them.
 */
public record SalesforceError(String errorCode, String message, List<String> fields) {

    public static SalesforceError of(String code, String message) {
        return new SalesforceError(code, message, null);
    }

    public static SalesforceError dml(String code, String message, String... fields) {
        return new SalesforceError(code, message, List.of(fields));
    }

    public ObjectNode toJson() {
        ObjectNode o = Json.object();
        o.put("message", message);
        o.put("errorCode", errorCode);
        if (fields != null) {
            ArrayNode a = o.putArray("fields");
            fields.forEach(a::add);
        }
        return o;
    }

    /** The sObject Collections form: {@code {"statusCode", "message", "fields"}}. */
    public ObjectNode toCollectionJson() {
        ObjectNode o = Json.object();
        o.put("statusCode", errorCode);
        o.put("message", message);
        ArrayNode a = o.putArray("fields");
        if (fields != null) fields.forEach(a::add);
        return o;
    }
}
