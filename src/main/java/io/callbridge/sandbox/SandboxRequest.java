package io.callbridge.sandbox;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One request as a simulated CRM sees it: the path is relative to the CRM's mount point
 * ({@code /salesforce/services/data/} arrives as {@code /services/data/}) and still percent-encoded,
 * query parameters are decoded the way a server decodes them ({@code +} becomes a space), header
 * names are lower case. Independent of the HTTP server so a CRM can dispatch internal sub-requests
 * (Salesforce composite) through the same code.
 */
public record SandboxRequest(String method, String path, Map<String, List<String>> query,
                             Map<String, String> headers, byte[] body) {

    public SandboxRequest {
        method = method.toUpperCase(Locale.ROOT);
        query = query == null ? Map.of() : query;
        headers = headers == null ? Map.of() : headers;
        body = body == null ? new byte[0] : body;
    }

    /**
     * The status of an answer to a request no simulator serves: 501, as LocalStack answers an operation it does not
     * implement, so that neither an integrator nor an SDK mistakes it for the vendor's own "no such record" (404).
     */
    public static final int NOT_SIMULATED = 501;

    /**
     * The message of that answer, which each simulator wraps in its vendor's error envelope:
     * {@code not simulated by the sandbox: GET /crm/v3/foo}. The path is the vendor's, relative to the mount point.
     */
    public String notSimulated() {
        return "not simulated by the sandbox: " + method + " " + path;
    }

    public String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    public String param(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    public String bodyString() {
        return new String(body, StandardCharsets.UTF_8);
    }

    public boolean hasBody() {
        return body.length > 0;
    }

    /** Path segments after percent-decoding each one; a {@code +} in a path stays a plus. */
    public List<String> segments() {
        List<String> out = new ArrayList<>();
        for (String s : path.split("/")) {
            if (!s.isEmpty()) {
                out.add(percentDecode(s));
            }
        }
        return out;
    }

    /** Form fields of an {@code application/x-www-form-urlencoded} body merged over the query parameters. */
    public Map<String, String> form() {
        Map<String, String> out = new LinkedHashMap<>();
        query.forEach((k, v) -> { if (!v.isEmpty()) out.put(k, v.get(0)); });
        String type = header("content-type");
        if (hasBody() && (type == null || type.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded"))) {
            out.putAll(parseQuery(bodyString()).entrySet().stream()
                    .collect(LinkedHashMap::new, (m, e) -> m.put(e.getKey(), e.getValue().get(0)), Map::putAll));
        }
        return out;
    }

    public static Map<String, List<String>> parseQuery(String raw) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) continue;
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
        }
        return out;
    }

    /** Decodes %XX sequences only (RFC 3986 path semantics). */
    public static String percentDecode(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '%' && i + 2 < bytes.length) {
                int hi = Character.digit(bytes[i + 1], 16), lo = Character.digit(bytes[i + 2], 16);
                if (hi >= 0 && lo >= 0) {
                    out.write(hi * 16 + lo);
                    i += 2;
                    continue;
                }
            }
            out.write(bytes[i]);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Same request with another method, path, query and body (used for internal sub-requests). */
    public SandboxRequest derive(String method, String pathAndQuery, byte[] body) {
        int q = pathAndQuery.indexOf('?');
        String p = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
        Map<String, List<String>> qs = q < 0 ? Map.of() : Collections.unmodifiableMap(parseQuery(pathAndQuery.substring(q + 1)));
        return new SandboxRequest(method, p, qs, headers, body);
    }
}
