package io.callbridge.audit;

import java.time.Clock;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.callbridge.broker.Publisher;
import io.callbridge.http.ApiKeys;
import io.callbridge.http.Problem;
import io.callbridge.http.ProblemListener;
import io.callbridge.logging.Pii;
import org.apache.camel.Exchange;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records admin actions on {@code callbridge.audit}, acknowledged by all in-sync replicas before the action's answer
 * leaves. An action that changes something is recorded as {@code started} before it is done, and refused with 503 when
 * that record cannot be written: an admin action never happens unaudited. Refused and failed requests are recorded as
 * their problem answer is made ({@link ProblemListener}), within a budget per key ({@link RefusalBudget}).
 *
 * <p>A route names its action first, before the key check, so that refusals are recorded too:
 * {@code audited(*, 'dlq.replay')}, then {@code started} for an action with effects, and {@code succeeded} last. Java
 * code records in one line: {@link #record(Exchange, String, String, String)}. A target never holds personal data in
 * clear: a phone number goes in as {@link Pii#phone(String)}.
 */
public final class AuditTrail implements ProblemListener {

    private static final Logger LOG = LoggerFactory.getLogger(AuditTrail.class);

    public static final String TOPIC = "callbridge.audit";
    /** The exchange property naming the admin action an exchange is, set by {@link #audited}. */
    public static final String ACTION = "CallbridgeAuditAction";
    /** The exchange property with what the action is about; its default is the request's path, masked. */
    public static final String TARGET = "CallbridgeAuditTarget";
    static final String REQUEST_ID = "CallbridgeAuditRequestId";
    private static final String STARTED_RECORDED = "CallbridgeAuditStarted";
    private static final String UNAVAILABLE = "CallbridgeAuditUnavailable";

    static final int MAX_TARGET = 300;
    private static final Pattern REQUEST_ID_VALUE = Pattern.compile("[A-Za-z0-9._:/+=@-]{1,128}");
    private static final Pattern TRACEPARENT = Pattern.compile("[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}");

    private final Publisher publisher;
    private final Clock clock;
    private final RefusalBudget refusals;
    private final AuditMetrics metrics;

    public AuditTrail(Publisher publisher, Clock clock, double refusalsPerMinute, AuditMetrics metrics) {
        this.publisher = publisher;
        this.clock = clock;
        this.refusals = new RefusalBudget(refusalsPerMinute, System::nanoTime);
        this.metrics = metrics;
    }

    /**
     * Route step, first: this exchange is the admin action {@code action}. Keeps the request's id ({@code X-Request-Id},
     * else the trace id of {@code traceparent}) and, as the target until the action says better, its path with any
     * number in it masked.
     */
    public void audited(Exchange exchange, String action) {
        if (action == null || action.isBlank()) {
            throw new IllegalArgumentException("an audited action needs a name");
        }
        exchange.setProperty(ACTION, action);
        String requestId = requestId(exchange);
        if (requestId != null) {
            exchange.setProperty(REQUEST_ID, requestId);
        }
        String path = exchange.getMessage().getHeader(Exchange.HTTP_PATH, String.class);
        if (path == null || path.isEmpty()) {
            path = exchange.getMessage().getHeader(Exchange.HTTP_URI, String.class);
        }
        if (path != null && exchange.getProperty(TARGET) == null) {
            int query = path.indexOf('?');
            target(exchange, Pii.inText(query < 0 ? path : path.substring(0, query)));
        }
    }

    /** Says what the action was about; no personal data in clear (see {@link Pii}). */
    public static void target(Exchange exchange, String target) {
        exchange.setProperty(TARGET, bounded(target));
    }

    /** Route step, after the key check and before an action that changes something: nothing is done unless this is recorded. */
    public void started(Exchange exchange) throws AuditUnavailableException {
        String action = action(exchange);
        try {
            record(of(exchange, action, AuditRecord.STARTED, null, 0));
        } catch (AuditUnavailableException e) {
            exchange.setProperty(UNAVAILABLE, true);
            throw new AuditUnavailableException("The audit trail did not record this " + action + ", so it was not done. Retry later.",
                    e.getCause());
        }
        exchange.setProperty(STARTED_RECORDED, true);
    }

    /** Route step, last: the action succeeded; its answer leaves only once this is recorded. Nothing to do on an exchange no route named. */
    public void succeeded(Exchange exchange) throws AuditUnavailableException {
        String action = exchange.getProperty(ACTION, String.class);
        if (action == null) {
            return;
        }
        try {
            record(of(exchange, action, AuditRecord.OK, null, 0));
        } catch (AuditUnavailableException e) {
            exchange.setProperty(UNAVAILABLE, true);
            throw new AuditUnavailableException(exchange.getProperty(STARTED_RECORDED, false, Boolean.class)
                    ? "This " + action + " was done and its start is on the audit trail, but its outcome could not be recorded. "
                            + "Retry later: it does nothing twice."
                    : "The audit trail did not record this " + action + ", so its answer is withheld. Retry later.", e.getCause());
        }
    }

    /** A refused or failed audited request: recorded within its key's budget; a write that fails is logged, the answer stays. */
    @Override
    public void answered(Exchange exchange, Problem problem) {
        String action = exchange.getProperty(ACTION, String.class);
        if (action == null || exchange.getProperty(UNAVAILABLE, false, Boolean.class)) {
            return;
        }
        long leftOut = refusals.admit(exchange.getProperty(ApiKeys.KEY_ID, String.class));
        if (leftOut < 0) {
            metrics.leftOut();
            return;
        }
        try {
            record(of(exchange, action, String.valueOf(problem.status()), problem.type(), leftOut));
        } catch (AuditUnavailableException e) {
            LOG.warn("The audit trail did not record a {} answered {}: {}", action, problem.status(), e.getMessage());
        }
    }

    /**
     * One line for an admin action done in Java (an erasure, say): who from the exchange's key, what and how it ended
     * ({@code ok}, or a status). Thrown when not acknowledged: the caller answers 503 rather than act unaudited.
     */
    public void record(Exchange exchange, String action, String target, String outcome) throws AuditUnavailableException {
        record(new AuditRecord(Instant.now(clock), exchange.getProperty(ApiKeys.KEY_ID, String.class),
                exchange.getProperty(ApiKeys.ROLE, String.class), action, bounded(target), outcome, null,
                exchange.getProperty(REQUEST_ID, String.class), 0));
    }

    /** The same without a request (work that finishes later): the key id and role it was started with. */
    public void record(String keyId, String role, String action, String target, String outcome) throws AuditUnavailableException {
        record(new AuditRecord(Instant.now(clock), keyId, role, action, bounded(target), outcome, null, null, 0));
    }

    public void record(AuditRecord record) throws AuditUnavailableException {
        try {
            publisher.publish(new ProducerRecord<>(TOPIC, null, record.time().toEpochMilli(), record.keyId(), record.toBytes()));
        } catch (RuntimeException e) {
            metrics.unavailable();
            throw new AuditUnavailableException("The audit trail (" + TOPIC + ") did not acknowledge the record", e);
        }
        metrics.recorded(record);
        LOG.info("Audit: {} {} by key {} ({}) on {}", record.action(), record.outcome(), record.keyId() == null ? "none" : record.keyId(),
                record.role() == null ? "no role" : record.role(), record.target());
    }

    private AuditRecord of(Exchange exchange, String action, String outcome, String problem, long leftOut) {
        return new AuditRecord(Instant.now(clock), exchange.getProperty(ApiKeys.KEY_ID, String.class),
                exchange.getProperty(ApiKeys.ROLE, String.class), action, exchange.getProperty(TARGET, String.class), outcome, problem,
                exchange.getProperty(REQUEST_ID, String.class), leftOut);
    }

    private static String action(Exchange exchange) {
        String action = exchange.getProperty(ACTION, String.class);
        if (action == null) {
            throw new IllegalStateException("the route must name its audited action (auditTrail.audited) before it is started");
        }
        return action;
    }

    private static String requestId(Exchange exchange) {
        String id = exchange.getMessage().getHeader("X-Request-Id", String.class);
        if (id != null && REQUEST_ID_VALUE.matcher(id.trim()).matches()) {
            return id.trim();
        }
        String traceparent = exchange.getMessage().getHeader("traceparent", String.class);
        Matcher trace = traceparent == null ? null : TRACEPARENT.matcher(traceparent.trim());
        return trace != null && trace.matches() ? trace.group(1) : null;
    }

    private static String bounded(String target) {
        return target == null || target.length() <= MAX_TARGET ? target : target.substring(0, MAX_TARGET - 1) + "…";
    }
}
