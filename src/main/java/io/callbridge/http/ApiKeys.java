package io.callbridge.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import io.callbridge.config.Setting;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code Authorization: Bearer <key>} against {@code callbridge.api-keys}, with the roles of the guide: {@code admin}
 * (configuration, replay, erasure), {@code manager} (console, dead letters read-only), {@code agent} (caller lookups,
 * the assistant's key), {@code support} (caller lookups without deals and cases). Keys are held as SHA-256 hashes (given
 * as {@code sha256:<hex>:role}; a key given in clear is hashed at start, with a warning) and compared in constant time.
 * A missing or unknown key is 401, a known key of the wrong role 403; each key's lookups are rate-limited (429). With no
 * key configured every request is refused.
 */
public final class ApiKeys {

    private static final Logger LOG = LoggerFactory.getLogger(ApiKeys.class);

    public static final Setting KEYS = Setting.of("callbridge.api-keys", null, "`sha256:<hex>:role` or `key:role` list, roles "
            + "`admin`, `manager`, `agent`, `support` (a key in clear is hashed at start and a warning says so; dev: one admin "
            + "key, printed at start)");
    public static final Setting LOOKUPS_PER_SECOND = Setting.of("callbridge.api-keys.lookups-per-second", "50",
            "caller lookups one key may make per second (bursts up to as many); more are answered 429 with `Retry-After`");

    /** The exchange property with the caller's role, once its key is accepted. */
    public static final String ROLE = "CallbridgeRole";
    /** The exchange property with the key's id: the first 12 hex digits of its hash, never the key. */
    public static final String KEY_ID = "CallbridgeKeyId";

    public static final Set<String> ROLES = Set.of("admin", "manager", "agent", "support");
    private static final Pattern HASHED = Pattern.compile("sha256:([0-9a-fA-F]{64})");

    private record Key(byte[] hash, String role, String id) {
    }

    private final List<Key> keys = new ArrayList<>();
    private final double lookupsPerSecond;
    private final Map<String, PerSecondBudget> lookupBudgets = new ConcurrentHashMap<>();

    public ApiKeys(String config, double lookupsPerSecond) {
        this.lookupsPerSecond = lookupsPerSecond;
        if (config == null) {
            return;
        }
        int inClear = 0;
        for (String entry : config.split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            int colon = entry.lastIndexOf(':');
            String role = colon < 0 ? "" : entry.substring(colon + 1).trim();
            if (colon <= 0 || !ROLES.contains(role)) {
                throw new IllegalStateException(KEYS.key() + " entries are sha256:<hex>:role or key:role, with role admin, manager, "
                        + "agent or support");
            }
            String key = entry.substring(0, colon).trim();
            var hashed = HASHED.matcher(key);
            byte[] hash;
            if (hashed.matches()) {
                hash = HexFormat.of().parseHex(hashed.group(1).toLowerCase(java.util.Locale.ROOT));
            } else {
                hash = sha256(key);
                inClear++;
            }
            keys.add(new Key(hash, role, HexFormat.of().formatHex(hash).substring(0, 12)));
        }
        if (inClear > 0) {
            LOG.warn("{} holds {} key(s) in clear; store them as sha256:<hex>:role (echo -n KEY | sha256sum)", KEYS.key(), inClear);
        }
    }

    /** Configuration, replay, the dry run: admin only. */
    public void requireAdmin(Exchange exchange) throws UnauthorizedException, ForbiddenException {
        require(exchange, Set.of("admin"));
    }

    /** What the console shows, read-only: admin and manager. */
    public void requireManager(Exchange exchange) throws UnauthorizedException, ForbiddenException {
        require(exchange, Set.of("admin", "manager"));
    }

    /** Caller lookups: admin, agent and support, each key within its rate. */
    public void requireLookup(Exchange exchange) throws UnauthorizedException, ForbiddenException, TooManyRequestsException {
        Key key = require(exchange, Set.of("admin", "agent", "support"));
        PerSecondBudget budget = lookupBudgets.computeIfAbsent(key.id(), k -> new PerSecondBudget(lookupsPerSecond));
        if (!budget.take()) {
            throw new TooManyRequestsException("more than " + format(lookupsPerSecond) + " caller lookups a second with this key ("
                    + LOOKUPS_PER_SECOND.key() + ")", budget.retryAfterSeconds());
        }
    }

    private Key require(Exchange exchange, Set<String> allowed) throws UnauthorizedException, ForbiddenException {
        String header = exchange.getMessage().getHeader("Authorization", String.class);
        exchange.getMessage().removeHeader("Authorization");
        Key found = known(header);
        exchange.setProperty(ROLE, found.role());
        exchange.setProperty(KEY_ID, found.id());
        return allowed(found, allowed);
    }

    /** The same check for a request no route serves ({@code /observe/metrics}): the Authorization header's key has a role here. */
    public void requireManager(String authorization) throws UnauthorizedException, ForbiddenException {
        allowed(known(authorization), Set.of("admin", "manager"));
    }

    private static Key allowed(Key found, Set<String> allowed) throws ForbiddenException {
        if (!allowed.contains(found.role())) {
            throw new ForbiddenException("the " + found.role() + " role may not use this endpoint");
        }
        return found;
    }

    private Key known(String header) throws UnauthorizedException {
        if (keys.isEmpty()) {
            throw new UnauthorizedException("no API key is configured (" + KEYS.key() + "), so this endpoint is closed");
        }
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new UnauthorizedException("send Authorization: Bearer <api key>");
        }
        byte[] presented = sha256(header.substring(7).trim());
        Key found = null;
        for (Key k : keys) {
            // every key is compared, so timing tells nothing about which one came close
            if (MessageDigest.isEqual(presented, k.hash()) && found == null) {
                found = k;
            }
        }
        if (found == null) {
            throw new UnauthorizedException("unknown API key");
        }
        return found;
    }

    private static String format(double perSecond) {
        return perSecond == Math.rint(perSecond) ? String.valueOf((long) perSecond) : String.valueOf(perSecond);
    }

    /** How a key is written in {@code callbridge.api-keys} without giving it away: {@code sha256:<hex>}. */
    public static String hashed(String key) {
        return "sha256:" + HexFormat.of().formatHex(sha256(key));
    }

    static byte[] sha256(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
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

    public static final class TooManyRequestsException extends Exception {
        private final int retryAfterSeconds;

        public TooManyRequestsException(String message, int retryAfterSeconds) {
            super(message);
            this.retryAfterSeconds = retryAfterSeconds;
        }

        public int retryAfterSeconds() {
            return retryAfterSeconds;
        }
    }
}
