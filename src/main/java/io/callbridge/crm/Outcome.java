package io.callbridge.crm;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.callbridge.mapping.MappingException;

/**
 * What became of one command: {@link Done}, {@link Rejected} (the CRM refused this record, or the
 * request cannot be built: a dead letter), {@link Retryable} (try again, not before {@code notBefore}),
 * or {@link Deferred} (the CRM's rate-limit budget is spent: wait, it is not a failure).
 */
public sealed interface Outcome {

    /** The CRM holds the record; its id when the CRM answered one. */
    record Done(String recordId) implements Outcome {
    }

    /** Retrying cannot help: {@code invalid} when Callbridge could not build the request, else the CRM's refusal. */
    record Rejected(Integer httpStatus, String crmError, boolean invalid) implements Outcome {
        public String errorClass() {
            return invalid ? "invalid" : "rejected";
        }
    }

    /**
     * The CRM may take it later; {@code notBefore} is what it asked for (Retry-After, reset headers), null when it did not say.
     * {@code credentialsRefused}: the CRM refused Callbridge's login or token refresh, and {@code reason} says how in the
     * CRM's status and error code only.
     */
    record Retryable(Integer httpStatus, String reason, Instant notBefore, boolean quotaExhausted, boolean credentialsRefused)
            implements Outcome {

        public Retryable(Integer httpStatus, String reason, Instant notBefore, boolean quotaExhausted) {
            this(httpStatus, reason, notBefore, quotaExhausted, false);
        }
    }

    /** Not sent: the rate-limit budget is spent until {@code notBefore}. */
    record Deferred(Instant notBefore, String reason) implements Outcome {
    }

    Set<Integer> RETRYABLE_4XX = Set.of(401, 408, 425, 429);

    /** A wave's outcomes, in its order; a command whose send never finished (Callbridge is stopping) is tried again. */
    static List<Outcome> ofWave(Outcome[] outcomes) {
        List<Outcome> out = new ArrayList<>(outcomes.length);
        for (Outcome o : outcomes) {
            out.add(o != null ? o : new Retryable(null, "not sent: the delivery was interrupted", null, false));
        }
        return out;
    }

    /** The one classification of a failure, whatever the connector threw. */
    static Outcome of(Throwable failure, Clock clock) {
        Throwable t = failure;
        while (t != null) {
            if (t instanceof CrmException crm) {
                if (crm.credentialsRefused()) {
                    return new Retryable(crm.status(), crm.getMessage(), null, false, true);
                }
                return crm.deferred() ? new Deferred(crm.retryAt(clock), crm.getMessage())
                        : ofStatus(crm.status(), crm.body(), crm.headers(), crm.quotaExhausted(), clock);
            }
            if (t instanceof org.apache.camel.http.base.HttpOperationFailedException http) {
                return ofStatus(http.getStatusCode(), http.getResponseBody(), http.getResponseHeaders(), false, clock);
            }
            if (t instanceof org.apache.camel.spi.HttpResponseAware aware && aware.getHttpResponseCode() > 0) {
                return ofStatus(aware.getHttpResponseCode(), t.getMessage(), Map.of(), false, clock);
            }
            if (t instanceof org.apache.camel.component.direct.DirectConsumerNotAvailableException) {
                // never sent: the connector's route stopped first (Callbridge is stopping); no attempt to count
                return new Deferred(clock.instant(), "not sent, the connector's route is stopped");
            }
            if (t instanceof MappingException m) {
                return new Rejected(null, m.getMessage(), true);
            }
            if (t instanceof java.io.IOException) {
                return new Retryable(null, t.getClass().getSimpleName() + ": " + t.getMessage(), null, false);
            }
            t = t.getCause() == t ? null : t.getCause();
        }
        return new Retryable(null, failure.getClass().getSimpleName() + ": " + failure.getMessage(), null, false);
    }

    /** HTTP 5xx, 401, 408, 425, 429 and a spent quota are retryable; any other 4xx is a refusal. */
    static Outcome ofStatus(int status, String body, Map<String, ?> headers, boolean quota, Clock clock) {
        if (status >= 500 || RETRYABLE_4XX.contains(status) || quota) {
            Duration after = retryAfter(status, headers, clock);
            return new Retryable(status, body, after == null ? null : clock.instant().plus(after), quota);
        }
        return new Rejected(status, body, false);
    }

    /**
     * Retry-After (seconds or HTTP date); else, for a 429 only, the vendors' reset headers (seconds until the
     * window resets). Pipedrive sends its reset header on every answer: a 500 must not wait for the window.
     */
    public static Duration retryAfter(int status, Map<String, ?> headers, Clock clock) {
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
