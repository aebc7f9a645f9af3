package io.callbridge.http;

import java.util.List;

import io.callbridge.intake.FieldError;
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
    private final ProblemListener listener;

    public HttpProblems(int retryAfterSeconds, IntakeMetrics intake, ProblemListener listener) {
        this.retryAfterSeconds = retryAfterSeconds;
        this.intake = intake;
        this.listener = listener;
    }

    public void invalidEvent(Exchange exchange) {
        InvalidEventException e = caught(exchange, InvalidEventException.class);
        intake.refused(exchange, "invalid");
        problem(exchange, new Problem(400, "Invalid call event",
                "The event does not follow the call-event contract; see errors.", e.errors()));
    }

    public void unauthorized(Exchange exchange) {
        Exception e = caught(exchange, Exception.class);
        intake.refused(exchange, "unauthorized");
        problem(exchange, Problem.of(401, "Unauthorized", e.getMessage()));
        exchange.getMessage().setHeader("WWW-Authenticate", "Callbridge-Signature");
    }

    /** A change notification the CRM's signature does not vouch for. */
    public void changeRefused(Exchange exchange) {
        problem(exchange, Problem.of(401, "Unauthorized", caught(exchange, Exception.class).getMessage()));
    }

    public void apiKeyMissing(Exchange exchange) {
        Exception e = caught(exchange, Exception.class);
        problem(exchange, Problem.of(401, "Unauthorized", e.getMessage()));
        exchange.getMessage().setHeader("WWW-Authenticate", "Bearer");
    }

    public void tooManyRequests(Exchange exchange) {
        ApiKeys.TooManyRequestsException e = caught(exchange, ApiKeys.TooManyRequestsException.class);
        problem(exchange, Problem.of(429, "Too many requests", e.getMessage()));
        exchange.getMessage().setHeader("Retry-After", String.valueOf(e.retryAfterSeconds()));
    }

    public void notFound(Exchange exchange) {
        problem(exchange, Problem.of(404, "Not found", caught(exchange, NotFoundException.class).getMessage()));
    }

    public void forbidden(Exchange exchange) {
        problem(exchange, Problem.of(403, "Forbidden", caught(exchange, Exception.class).getMessage()));
    }

    public void invalidMappings(Exchange exchange) {
        problem(exchange, Problem.of(422, "Mappings failed", caught(exchange, Exception.class).getMessage()));
    }

    public void unsupportedMediaType(Exchange exchange) {
        Exception e = caught(exchange, Exception.class);
        intake.refused(exchange, "unsupported_media_type");
        problem(exchange, Problem.of(415, "Unsupported media type", e.getMessage()));
    }

    public void brokerUnavailable(Exchange exchange) {
        intake.refused(exchange, "unavailable");
        problem(exchange, Problem.of(503, "Service unavailable",
                "The event could not be stored durably; nothing was accepted. Retry later."));
        exchange.getMessage().setHeader("Retry-After", String.valueOf(retryAfterSeconds));
    }

    public void badRequest(Exchange exchange) {
        BadRequestException e = caught(exchange, BadRequestException.class);
        problem(exchange, new Problem(400, "Bad request", e.getMessage(),
                List.of(new FieldError("/" + e.parameter(), e.getMessage()))));
    }

    /** The audit trail could not record an admin action, which was therefore not done (or its outcome not recorded). */
    public void auditUnavailable(Exchange exchange) {
        problem(exchange, Problem.of(503, "Audit trail unavailable", caught(exchange, Exception.class).getMessage()));
        exchange.getMessage().setHeader("Retry-After", String.valueOf(retryAfterSeconds));
    }

    public void internalError(Exchange exchange) {
        problem(exchange, Problem.of(500, "Internal error",
                "The request could not be processed; it was not accepted."));
    }

    /** The listener first, while the request's headers are still there; then the answer replaces them. */
    private void problem(Exchange exchange, Problem problem) {
        listener.answered(exchange, problem);
        answer(exchange, problem);
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
