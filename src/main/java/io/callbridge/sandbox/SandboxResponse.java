package io.callbridge.sandbox;

import com.fasterxml.jackson.core.JsonProcessingException;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** An answer of a simulated CRM, independent of the HTTP server. */
public record SandboxResponse(int status, Map<String, String> headers, byte[] body) {

    public static final String JSON = "application/json;charset=UTF-8";

    public static SandboxResponse json(int status, Object body) {
        try {
            byte[] bytes = body instanceof byte[] b ? b : Json.MAPPER.writeValueAsBytes(body);
            Map<String, String> h = new LinkedHashMap<>();
            h.put("Content-Type", JSON);
            return new SandboxResponse(status, h, bytes);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static SandboxResponse empty(int status) {
        return new SandboxResponse(status, new LinkedHashMap<>(), new byte[0]);
    }

    public static SandboxResponse text(int status, String contentType, String body) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Content-Type", contentType);
        return new SandboxResponse(status, h, body.getBytes(StandardCharsets.UTF_8));
    }

    public SandboxResponse withHeader(String name, String value) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(name, value);
        return new SandboxResponse(status, h, body);
    }

    public String bodyString() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
