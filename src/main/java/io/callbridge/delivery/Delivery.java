package io.callbridge.delivery;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.callbridge.rules.Command;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of the shared delivery route, the same for every CRM: recognise a command already
 * delivered, record it pending before the CRM call and done after it, and decide what a failure
 * means (retry later, or set aside on {@code callbridge.dlq.<crm>}).
 */
public final class Delivery {

    public static final String COMMAND_ID = "CallbridgeCommandId";
    public static final String CRM = "CallbridgeCrm";
    public static final String ACTION = "CallbridgeAction";
    public static final String CUSTOMER = "CallbridgeCustomerE164";
    /** Set when the ledger says the command may have reached the CRM already: the connector checks first. */
    public static final String CHECK_FIRST = "CallbridgeCheckFirst";
    public static final String ALREADY_DONE = "CallbridgeAlreadyDone";
    static final String FAILURE = "CallbridgeFailure";
    static final String ATTEMPT = "CallbridgeAttempt";
    /** Actions that overwrite fields of an existing record: a replay must not put older data back. */
    public static final Set<String> OVERWRITING = Set.of("update-contact", "set-field");

    private static final Logger LOG = LoggerFactory.getLogger(Delivery.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final CommandLedger ledger;
    private final Map<String, Pacer> pacers;
    private final DeadLetters deadLetters;
    private final Clock clock;
    private final Cache<String, Integer> attempts = Caffeine.newBuilder().maximumSize(100_000)
            .expireAfterAccess(Duration.ofHours(6)).build();
    private ProducerTemplate producer;

    public Delivery(CommandLedger ledger, Map<String, Pacer> pacers, DeadLetters deadLetters, Clock clock) {
        this.ledger = ledger;
        this.pacers = pacers;
        this.deadLetters = deadLetters;
        this.clock = clock;
    }

    public void setProducer(ProducerTemplate producer) {
        this.producer = producer;
    }

    /** Reads the command, recognises one already delivered, and records it pending otherwise. */
    public void begin(Exchange exchange) throws Exception {
        Command command = Command.fromJson(JSON.readTree(exchange.getMessage().getBody(byte[].class)));
        exchange.setProperty("command", command);
        exchange.setProperty(CRM, command.crm());
        Message m = exchange.getMessage();
        m.setHeader(COMMAND_ID, command.commandId());
        m.setHeader(CRM, command.crm());
        m.setHeader(ACTION, command.action());
        m.setHeader(CUSTOMER, command.customerE164());
        CommandLedger.State state = ledger.state(command.crm(), command.commandId());
        m.setHeader(ALREADY_DONE, state == CommandLedger.State.DONE);
        m.setHeader(CHECK_FIRST, state == CommandLedger.State.PENDING);
        if (state == CommandLedger.State.DONE) {
            LOG.debug("{} {} already delivered, skipped", command.crm(), command.commandId());
            return;
        }
        if (state != CommandLedger.State.PENDING) {
            ledger.pending(command.crm(), command.commandId());
        }
    }

    /** The CRM acknowledged. */
    public void complete(Exchange exchange) {
        Command command = exchange.getProperty("command", Command.class);
        ledger.done(command.crm(), command.commandId());
        if (OVERWRITING.contains(command.action()) && command.customerE164() != null && command.callAt() != null) {
            ledger.applied(command.crm(), command.customerE164(), command.action(), command.callAt());
        }
        attempts.invalidate(command.crm() + "|" + command.commandId());
        pacer(command.crm()).succeeded();
    }

    // ---- failures: the onWhen predicates and steps of the delivery-errors route configuration ----

    /** The CRM refused the record, or the request cannot be built: retrying cannot help. */
    public boolean isRejected(Exchange exchange) {
        return !failure(exchange).retryable();
    }

    /**
     * A retryable failure that has happened {@code maxAttempts} times while the CRM itself answers a
     * probe: this record is the problem, not the CRM. While the CRM does not answer, nothing is poison.
     */
    public boolean isPoison(Exchange exchange) {
        CrmFailure failure = failure(exchange);
        Command command = exchange.getProperty("command", Command.class);
        if (!failure.retryable() || command == null || attempt(exchange) < pacer(command.crm()).policy().maxAttempts()) {
            return false;
        }
        return probe(command.crm());
    }

    /** Decides when to try again; the consumer then pauses and rewinds to this record. */
    public void retryLater(Exchange exchange) {
        Command command = exchange.getProperty("command", Command.class);
        String crm = command == null ? exchange.getMessage().getHeader(CRM, String.class) : command.crm();
        CrmFailure failure = failure(exchange);
        Duration wait = pacer(crm).retryLater(failure, attempt(exchange));
        LOG.warn("{} {} failed (attempt {}, {}{}); retrying in {} ms", crm, command == null ? "?" : command.commandId(),
                attempt(exchange), failure.httpStatus() == null ? "no answer" : "HTTP " + failure.httpStatus(),
                failure.quotaExhausted() ? ", quota exhausted" : "", wait.toMillis());
    }

    /** Adds the dead-letter headers and records the command as set aside. */
    public void deadLetter(Exchange exchange) {
        Command command = exchange.getProperty("command", Command.class);
        CrmFailure failure = failure(exchange);
        String crm = command == null ? exchange.getMessage().getHeader(CRM, String.class) : command.crm();
        deadLetters.mark(exchange, crm, command == null ? "?" : command.action(), failure.errorClass(),
                failure.httpStatus(), failure.crmError(), attempt(exchange));
        if (command != null) {
            ledger.dead(command.crm(), command.commandId());
            attempts.invalidate(command.crm() + "|" + command.commandId());
        }
        LOG.warn("{} {} set aside on callbridge.dlq.{} ({}, {})", crm, command == null ? "?" : command.commandId(), crm,
                failure.errorClass(), failure.httpStatus() == null ? "no answer" : "HTTP " + failure.httpStatus());
    }

    private CrmFailure failure(Exchange exchange) {
        CrmFailure known = exchange.getProperty(FAILURE, CrmFailure.class);
        if (known != null) {
            return known;
        }
        Exception e = exchange.getException() != null ? exchange.getException()
                : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        CrmFailure failure = CrmFailure.of(e, clock);
        exchange.setProperty(FAILURE, failure);
        Command command = exchange.getProperty("command", Command.class);
        if (command != null) {
            String key = command.crm() + "|" + command.commandId();
            Integer n = attempts.asMap().merge(key, 1, Integer::sum);
            exchange.setProperty(ATTEMPT, n);
        }
        return failure;
    }

    private int attempt(Exchange exchange) {
        failure(exchange);
        Integer n = exchange.getProperty(ATTEMPT, Integer.class);
        return n == null ? 1 : n;
    }

    private boolean probe(String crm) {
        try {
            Integer status = producer.requestBody("direct:probe-" + crm, (Object) "", Integer.class);
            return status != null && status < 500;
        } catch (RuntimeException e) {
            LOG.debug("{} probe failed: {}", crm, e.getClass().getSimpleName());
            return false;
        }
    }

    public Pacer pacer(String crm) {
        Pacer p = pacers.get(crm);
        if (p == null) {
            throw new IllegalStateException("no pacer for " + crm);
        }
        return p;
    }

}
