package io.callbridge.http;

import io.callbridge.intake.IntakeMetrics;
import io.callbridge.intake.InvalidEventException;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * Turns the exception an HTTP route caught into its problem+json answer. Called from the shared
 * route configuration, so no route writes its own error bodies.
 */
public final class HttpProblems {

    private final int retryAfterSeconds;
    private final IntakeMetrics intake;

    public HttpProblems(int retryAfterSeconds, IntakeMetrics intake) {
        this.retryAfterSeconds = retryAfterSeconds;
        this.intake = intake;
    }

    public void invalidEvent(Exchange exchange) {
        InvalidEventException e = caught(exchange, InvalidEventException.class);
        intake.refused(exchange, "invalid");
        answer(exchange, new Problem(400, "Invalid call event",
                "The event does not follow the call-event contract; see errors.", e.errors()));
    }

    public void unauthorized(Exchange exchange) {
        Exception e = caught(exchange, Exception.class);
        intake.refused(exchange, "unauthorized");
        answer(exchange, Problem.of(401, "Unauthorized", e.getMessage()));
        exchange.getMessage().setHeader("WWW-Authenticate", "Callbridge-Signature");
    }

    public void apiKeyMissing(Exchange exchange) {
        Exception e = caught(exchange, Exception.class);
        answer(exchange, Problem.of(401, "Unauthorized", e.getMessage()));
        exchange.getMessage().setHeader("WWW-Authenticate", "Bearer");
    }

    public void tooManyRequests(Exchange exchange) {
        ApiKeys.TooManyRequestsException e = caught(exchange, ApiKeys.TooManyRequestsException.class);
        answer(exchange, Problem.of(429, "Too many requests", e.getMessage()));
        exchange.getMessage().setHeader("Retry-After", String.valueOf(e.retryAfterSeconds()));
    }

    public void notFound(Exchange exchange) {
        answer(exchange, Problem.of(404, "Not found", caught(exchange, NotFoundException.class).getMessage()));
    }

    public void forbidden(Exchange exchange) {
        answer(exchange, Problem.of(403, "Forbidden", caught(exchange, Exception.class).getMessage()));
    }

    public void invalidMappings(Exchange exchange) {
        answer(exchange, Problem.of(422, "Mappings failed", caught(exchange, Exception.class).getMessage()));
    }

    public void unsupportedMediaType(Exchange exchange) {
        Exception e = caught(exchange, Exception.class);
        intake.refused(exchange, "unsupported_media_type");
        answer(exchange, Problem.of(415, "Unsupported media type", e.getMessage()));
    }

    public void brokerUnavailable(Exchange exchange) {
        intake.refused(exchange, "unavailable");
        answer(exchange, Problem.of(503, "Service unavailable",
                "The event could not be stored durably; nothing was accepted. Retry later."));
        exchange.getMessage().setHeader("Retry-After", String.valueOf(retryAfterSeconds));
    }

    public void internalError(Exchange exchange) {
        answer(exchange, Problem.of(500, "Internal error",
                "The request could not be processed; it was not accepted."));
    }

    public static void answer(Exchange exchange, Problem problem) {
        Message m = exchange.getMessage();
        m.removeHeaders("*");
        m.setHeader(Exchange.HTTP_RESPONSE_CODE, problem.status());
        m.setHeader(Exchange.CONTENT_TYPE, Problem.CONTENT_TYPE);
        m.setBody(problem.toJson());
    }

    private static <T extends Exception> T caught(Exchange exchange, Class<T> type) {
        T e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, type);
        if (e == null) {
            throw new IllegalStateException("no " + type.getSimpleName() + " caught on this exchange");
        }
        return e;
    }
}
