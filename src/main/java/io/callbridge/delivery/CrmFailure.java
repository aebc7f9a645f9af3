package io.callbridge.delivery;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.callbridge.mapping.MappingException;
import org.apache.camel.spi.HttpResponseAware;
import org.apache.camel.http.base.HttpOperationFailedException;

/**
 * What went wrong when a command met its CRM, classified once for every connector: {@code retryable}
 * (the CRM may take it later), {@code rejected} (the CRM refused this record; retrying cannot help),
 * {@code invalid} (Callbridge cannot even build the request). Also the earliest time to try again
 * that the CRM asked for (Retry-After, or the vendors' reset headers).
 */
public record CrmFailure(String errorClass, Integer httpStatus, String crmError, Duration retryAfter, boolean quotaExhausted) {

    private static final Set<Integer> RETRYABLE_4XX = Set.of(401, 408, 425, 429);

    public boolean retryable() {
        return errorClass.equals("retryable");
    }

    public static CrmFailure of(Throwable e, Clock clock) {
        Throwable t = e;
        while (t != null) {
            if (t instanceof CrmException crm) {
                return fromStatus(crm.status(), crm.body(), crm.headers(), crm.quotaExhausted(), clock);
            }
            if (t instanceof HttpOperationFailedException http) {
                return fromStatus(http.getStatusCode(), http.getResponseBody(), http.getResponseHeaders(), false, clock);
            }
            if (t instanceof HttpResponseAware aware && aware.getHttpResponseCode() > 0) {
                return fromStatus(aware.getHttpResponseCode(), t.getMessage(), Map.of(), false, clock);
            }
            if (t instanceof MappingException m) {
                return new CrmFailure("invalid", null, m.getMessage(), null, false);
            }
            if (t instanceof IOException) {
                return new CrmFailure("retryable", null, t.getClass().getSimpleName() + ": " + t.getMessage(), null, false);
            }
            t = t.getCause() == t ? null : t.getCause();
        }
        return new CrmFailure("retryable", null, e.getClass().getSimpleName() + ": " + e.getMessage(), null, false);
    }

    static CrmFailure fromStatus(int status, String body, Map<String, ?> headers, boolean quota, Clock clock) {
        boolean retryable = status >= 500 || RETRYABLE_4XX.contains(status) || quota;
        return new CrmFailure(retryable ? "retryable" : "rejected", status, body, retryAfter(status, headers, clock), quota);
    }

    /**
     * Retry-After (seconds or HTTP date); else, for a 429 only, the vendors' reset headers (seconds until the
     * window resets). Pipedrive sends its reset header on every answer: a 500 must not wait for the window.
     */
    static Duration retryAfter(int status, Map<String, ?> headers, Clock clock) {
        if (headers == null) {
            return null;
        }
        Duration reset = null;
        for (Map.Entry<String, ?> h : headers.entrySet()) {
            String name = h.getKey().toLowerCase(Locale.ROOT);
            String value = h.getValue() == null ? "" : String.valueOf(h.getValue()).trim();
            if (value.isEmpty()) {
                continue;
            }
            try {
                if (name.equals("retry-after")) {
                    if (value.chars().allMatch(Character::isDigit)) {
                        return Duration.ofSeconds(Long.parseLong(value));
                    }
                    ZonedDateTime at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME);
                    return Duration.between(clock.instant(), at.toInstant());
                }
                if (status == 429 && (name.equals("x-ratelimit-reset") || name.equals("ratelimit-reset"))) {
                    reset = Duration.ofSeconds(Long.parseLong(value));
                }
            } catch (RuntimeException ignored) {
                // an unreadable header is as good as none: the backoff applies
            }
        }
        return reset;
    }
}
