package io.callbridge.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.apache.camel.Exchange;

/**
 * {@code Authorization: Bearer <key>} against {@code callbridge.api-keys} ({@code key:role,...}).
 * {@code admin} may do everything, {@code agent} only caller lookups. With no key configured every
 * request is refused.
 */
public final class ApiKeys {

    public static final io.callbridge.config.Setting KEYS = io.callbridge.config.Setting.of("callbridge.api-keys", null,
            "`key:role` list, roles `admin` and `agent` (dev: one admin key, printed at start)");

    public static final Set<String> ROLES = Set.of("admin", "agent");

    private final Map<String, String> roleByKey = new LinkedHashMap<>();

    public ApiKeys(String config) {
        if (config == null) {
            return;
        }
        for (String entry : config.split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            int colon = entry.lastIndexOf(':');
            String role = colon < 0 ? "" : entry.substring(colon + 1).trim();
            if (colon <= 0 || !ROLES.contains(role)) {
                throw new IllegalStateException("callbridge.api-keys entries are key:role with role admin or agent");
            }
            roleByKey.put(entry.substring(0, colon).trim(), role);
        }
    }

    public void requireAdmin(Exchange exchange) throws UnauthorizedException, ForbiddenException {
        require(exchange, Set.of("admin"));
    }

    public void requireAgent(Exchange exchange) throws UnauthorizedException, ForbiddenException {
        require(exchange, Set.of("admin", "agent"));
    }

    private void require(Exchange exchange, Set<String> allowed) throws UnauthorizedException, ForbiddenException {
        String header = exchange.getMessage().getHeader("Authorization", String.class);
        exchange.getMessage().removeHeader("Authorization");
        if (roleByKey.isEmpty()) {
            throw new UnauthorizedException("no API key is configured (callbridge.api-keys), so this endpoint is closed");
        }
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new UnauthorizedException("send Authorization: Bearer <api key>");
        }
        byte[] presented = header.substring(7).trim().getBytes(StandardCharsets.UTF_8);
        String role = null;
        for (Map.Entry<String, String> e : roleByKey.entrySet()) {
            // every key is compared, so timing tells nothing about which one came close
            if (MessageDigest.isEqual(presented, e.getKey().getBytes(StandardCharsets.UTF_8))) {
                role = e.getValue();
            }
        }
        if (role == null) {
            throw new UnauthorizedException("unknown API key");
        }
        if (!allowed.contains(role)) {
            throw new ForbiddenException("the " + role + " role may not use this endpoint");
        }
    }

    public static final class UnauthorizedException extends Exception {
        public UnauthorizedException(String message) {
            super(message);
        }
    }

    public static final class ForbiddenException extends Exception {
        public ForbiddenException(String message) {
            super(message);
        }
    }
}
