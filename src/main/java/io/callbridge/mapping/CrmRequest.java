package io.callbridge.mapping;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What a template asks the CRM to do: a method, a path relative to the CRM's base URL, a JSON body,
 * and optionally {@code find}, the request that tells whether this command's record already exists
 * (used after a crash between the CRM call and the idempotency record).
 */
public record CrmRequest(String method, String path, JsonNode body, JsonNode find) {
}
