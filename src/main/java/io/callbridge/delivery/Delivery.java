package io.callbridge.delivery;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.callbridge.crm.CrmConnector;
import io.callbridge.crm.CrmKeys;
import io.callbridge.crm.Outcome;
import io.callbridge.mapping.Command;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of the shared delivery route, the same for every CRM: recognise a command already
 * delivered, record it pending before the CRM call, hand it to the CRM's connector, record it done
 * after, and decide what an outcome other than done means (retry later, or set aside on
 * {@code callbridge.dlq.<crm>}).
 */
public final class Delivery {

    public static final String ACTION = "CallbridgeAction";
    public static final String CUSTOMER = "CallbridgeCustomerE164";
    /** Header: the ledger says the command reached the CRM already. */
    public static final String ALREADY_DONE = "CallbridgeAlreadyDone";
    private static final String OUTCOME = "CallbridgeOutcome";
    private static final String ATTEMPT = "CallbridgeAttempt";
    /** Actions that overwrite fields of an existing record: a replay must not put older data back. */
    public static final Set<String> OVERWRITING = Set.of("update-contact", "set-field");

    private static final Logger LOG = LoggerFactory.getLogger(Delivery.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final CommandLedger ledger;
    private final Map<String, CrmConnector> connectors;
    private final Map<String, Pacer> pacers;
    private final DeadLetters deadLetters;
    private final Clock clock;
    private final Cache<String, Integer> attempts = Caffeine.newBuilder().maximumSize(100_000)
            .expireAfterAccess(Duration.ofHours(6)).build();

    public Delivery(CommandLedger ledger, Map<String, CrmConnector> connectors, Map<String, Pacer> pacers, DeadLetters deadLetters,
            Clock clock) {
        this.ledger = ledger;
        this.connectors = Map.copyOf(connectors);
        this.pacers = Map.copyOf(pacers);
        this.deadLetters = deadLetters;
        this.clock = clock;
    }

    /** Reads the command, recognises one already delivered, and records it pending otherwise. */
    public void begin(Exchange exchange) throws Exception {
        Command command = Command.fromJson(JSON.readTree(exchange.getMessage().getBody(byte[].class)));
        exchange.setProperty(CrmKeys.COMMAND, command);
        exchange.setProperty(CrmKeys.CRM, command.crm());
        Message m = exchange.getMessage();
        m.setHeader(CrmKeys.COMMAND_ID, command.commandId());
        m.setHeader(CrmKeys.CRM, command.crm());
        m.setHeader(ACTION, command.action());
        m.setHeader(CUSTOMER, command.customerE164());
        CommandLedger.State state = ledger.state(command.crm(), command.commandId());
        m.setHeader(ALREADY_DONE, state == CommandLedger.State.DONE);
        exchange.setProperty(CrmKeys.CHECK_FIRST, state == CommandLedger.State.PENDING);
        if (state == CommandLedger.State.DONE) {
            LOG.debug("{} {} already delivered, skipped", command.crm(), command.commandId());
            return;
        }
        if (state != CommandLedger.State.PENDING) {
            ledger.pending(command.crm(), command.commandId());
        }
    }

    /** Hands the command to its CRM's connector; anything but done fails the exchange with the outcome. */
    public void deliver(Exchange exchange) throws UndeliveredException {
        Command command = command(exchange);
        boolean checkFirst = Boolean.TRUE.equals(exchange.getProperty(CrmKeys.CHECK_FIRST, Boolean.class));
        Outcome outcome = connector(command.crm()).deliver(List.of(new CrmConnector.Delivery(command, checkFirst))).get(0);
        if (outcome instanceof Outcome.Done done) {
            if (done.recordId() != null) {
                exchange.setProperty(CrmKeys.RECORD_ID, done.recordId());
            }
            return;
        }
        exchange.setProperty(OUTCOME, outcome);
        throw new UndeliveredException(command.crm(), command.commandId(), outcome);
    }

    /** The CRM acknowledged. */
    public void complete(Exchange exchange) {
        Command command = command(exchange);
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
        return outcome(exchange) instanceof Outcome.Rejected;
    }

    /**
     * A retryable failure that has happened {@code maxAttempts} times while the CRM itself answers a
     * probe: this record is the problem, not the CRM. While the CRM does not answer, nothing is poison.
     */
    public boolean isPoison(Exchange exchange) {
        Command command = exchange.getProperty(CrmKeys.COMMAND, Command.class);
        if (!(outcome(exchange) instanceof Outcome.Retryable) || command == null
                || attempt(exchange) < pacer(command.crm()).policy().maxAttempts()) {
            return false;
        }
        return connector(command.crm()).probe() < 500;
    }

    /** Decides when to try again; the consumer then pauses and rewinds to this record. */
    public void retryLater(Exchange exchange) {
        Command command = exchange.getProperty(CrmKeys.COMMAND, Command.class);
        String crm = command == null ? exchange.getMessage().getHeader(CrmKeys.CRM, String.class) : command.crm();
        Outcome outcome = outcome(exchange);
        Duration wait = pacer(crm).retryLater(outcome, attempt(exchange));
        String commandId = command == null ? "?" : command.commandId();
        if (outcome instanceof Outcome.Deferred deferred) {
            LOG.info("{} {} deferred ({}); trying again in {} ms", crm, commandId, deferred.reason(), wait.toMillis());
        } else if (outcome instanceof Outcome.Retryable r) {
            LOG.warn("{} {} failed (attempt {}, {}{}); retrying in {} ms", crm, commandId, attempt(exchange),
                    r.httpStatus() == null ? "no answer" : "HTTP " + r.httpStatus(), r.quotaExhausted() ? ", quota exhausted" : "",
                    wait.toMillis());
        }
    }

    /** Adds the dead-letter headers and records the command as set aside. */
    public void deadLetter(Exchange exchange) {
        Command command = exchange.getProperty(CrmKeys.COMMAND, Command.class);
        Outcome outcome = outcome(exchange);
        String crm = command == null ? exchange.getMessage().getHeader(CrmKeys.CRM, String.class) : command.crm();
        String errorClass;
        Integer status;
        String reason;
        if (outcome instanceof Outcome.Rejected r) {
            errorClass = r.errorClass();
            status = r.httpStatus();
            reason = r.crmError();
        } else {
            Outcome.Retryable r = (Outcome.Retryable) outcome;
            errorClass = "retryable";
            status = r.httpStatus();
            reason = r.reason();
        }
        deadLetters.mark(exchange, crm, command == null ? "?" : command.action(), errorClass, status, reason, attempt(exchange));
        if (command != null) {
            ledger.dead(command.crm(), command.commandId());
            attempts.invalidate(command.crm() + "|" + command.commandId());
        }
        LOG.warn("{} {} set aside on callbridge.dlq.{} ({}, {})", crm, command == null ? "?" : command.commandId(), crm,
                errorClass, status == null ? "no answer" : "HTTP " + status);
    }

    /** The outcome of the failed exchange: the connector's, or the classification of what failed around it. */
    private Outcome outcome(Exchange exchange) {
        Outcome known = exchange.getProperty(OUTCOME, Outcome.class);
        if (known == null) {
            Exception e = exchange.getException() != null ? exchange.getException()
                    : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
            known = e instanceof UndeliveredException u ? u.outcome() : Outcome.of(e, clock);
            exchange.setProperty(OUTCOME, known);
        }
        if (exchange.getProperty(ATTEMPT) == null) {
            Command command = exchange.getProperty(CrmKeys.COMMAND, Command.class);
            // a deferred command did not fail: it does not count as an attempt
            int n = command == null ? 1 : known instanceof Outcome.Deferred
                    ? attempts.asMap().getOrDefault(key(command), 0)
                    : attempts.asMap().merge(key(command), 1, Integer::sum);
            exchange.setProperty(ATTEMPT, n);
        }
        return known;
    }

    private int attempt(Exchange exchange) {
        outcome(exchange);
        return exchange.getProperty(ATTEMPT, Integer.class);
    }

    private static String key(Command command) {
        return command.crm() + "|" + command.commandId();
    }

    private static Command command(Exchange exchange) {
        return exchange.getProperty(CrmKeys.COMMAND, Command.class);
    }

    private CrmConnector connector(String crm) {
        CrmConnector c = connectors.get(crm);
        if (c == null) {
            throw new IllegalStateException(crm + " is not enabled: no connector for its commands");
        }
        return c;
    }

    public Pacer pacer(String crm) {
        Pacer p = pacers.get(crm);
        if (p == null) {
            throw new IllegalStateException("no pacer for " + crm);
        }
        return p;
    }
}
