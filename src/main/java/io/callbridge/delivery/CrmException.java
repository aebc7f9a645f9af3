package io.callbridge.delivery;

import java.util.Map;

/**
 * A CRM's answer that is not a success, thrown by connectors that do not call through camel-http,
 * with what the error classification needs.
 */
public class CrmException extends Exception {

    private final int status;
    private final String body;
    private final Map<String, String> headers;
    private final boolean quotaExhausted;

    public CrmException(int status, String body, Map<String, String> headers, boolean quotaExhausted) {
        super("CRM answered " + status);
        this.status = status;
        this.body = body;
        this.headers = headers == null ? Map.of() : Map.copyOf(headers);
        this.quotaExhausted = quotaExhausted;
    }

    public int status() {
        return status;
    }

    public String body() {
        return body;
    }

    public Map<String, String> headers() {
        return headers;
    }

    public boolean quotaExhausted() {
        return quotaExhausted;
    }
}
