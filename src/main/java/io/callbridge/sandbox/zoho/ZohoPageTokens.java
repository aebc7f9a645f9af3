package io.callbridge.sandbox.zoho;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.callbridge.sandbox.Json;
import io.callbridge.sandbox.SandboxRequest;

/**
 * The {@code page_token}s of Get Records, as Zoho's Get Records page describes them: each answer that has more records
 * names the next page's token ({@code info.next_page_token}, with {@code page_token_expiry}), valid 24 hours and only
 * with the parameters of the request it came from; {@code page} reaches the first 2,000 records, tokens the first
 * 100,000. A token continues after the last record its page gave, in creation order, so a record deleted or created
 * meanwhile moves no other across a page boundary (Zoho does not say how its own tokens behave then). The codes below
 * are that page's (most are named by no v8 OpenAPI document).
 */
final class ZohoPageTokens {

    static final int DISCRETE_LIMIT = 2000;
    static final int TOKEN_LIMIT = 100_000;
    private static final Duration LIFETIME = Duration.ofHours(24);

    /** Where a page starts: after the record of creation sequence {@code afterSequence}, {@code given} records given before. */
    record Position(int page, long afterSequence, long given) {
    }

    private record Token(String bound, Position next, Instant expiry) {
    }

    private final Clock clock;
    private final Map<String, Token> tokens = new HashMap<>();
    private long issued;

    ZohoPageTokens(Clock clock) {
        this.clock = clock;
    }

    /** Where the request's page starts: its {@code page_token}'s position, or none (its {@code page} then says). */
    Position resolve(SandboxRequest req) {
        String given = req.param("page_token");
        if (given == null) {
            return null;
        }
        if (req.param("page") != null) {
            throw new ZohoError(400, "AMBIGUITY_DURING_PROCESSING", "You cannot use both cvid and sort_by, and page and page_token", null);
        }
        Token t = tokens.get(given);
        if (t == null) {
            throw new ZohoError(400, "INVALID_DATA", "The token given seems to be invalid.", Json.object().put("param_name", "page_token"));
        }
        if (!clock.instant().isBefore(t.expiry())) {
            throw new ZohoError(400, "EXPIRED_VALUE", "The token given has expired.", Json.object().put("param_name", "page_token"));
        }
        if (!t.bound().equals(bound(req))) {
            throw new ZohoError(400, "TOKEN_BOUND_DATA_MISMATCH",
                    "The page_token given seems to be invalid or input param is added, altered, or deleted", null);
        }
        if (t.next().given() >= TOKEN_LIMIT) {
            throw new ZohoError(400, "PAGINATION_LIMIT_EXCEEDED", "You can only get up to first 100000 records using page_token param.",
                    Json.object().put("limit", TOKEN_LIMIT));
        }
        return t.next();
    }

    /** A token for the page at {@code next}, bound to the request's parameters. */
    String issue(SandboxRequest req, Position next) {
        String token = String.format("%040x", 0x5a17L * 1_000_003L + ++issued);
        tokens.put(token, new Token(bound(req), next, clock.instant().plus(LIFETIME)));
        return token;
    }

    Instant expiryOf(String token) {
        return tokens.get(token).expiry();
    }

    /** The request's parameters but {@code page} and {@code page_token}, in a stable order. */
    private static String bound(SandboxRequest req) {
        Map<String, List<String>> sorted = new TreeMap<>(req.query());
        sorted.remove("page");
        sorted.remove("page_token");
        return sorted.toString();
    }
}
