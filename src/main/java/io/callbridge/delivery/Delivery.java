package io.callbridge.delivery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.callbridge.broker.BatchConsumer;
import io.callbridge.broker.BatchConsumer.Result;
import io.callbridge.crm.CrmConnector;
import io.callbridge.crm.Outcome;
import io.callbridge.erasure.SubjectCodec;
import io.callbridge.mapping.Command;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers one poll's commands to one CRM, the same way for every CRM. Commands already done (or set aside
 * and not replayed) are skipped; the others go to the connector in waves: each wave holds the next command
 * of every caller, so one caller's commands are never in flight together and a later one never lands before
 * an earlier one that failed. Every wave's {@code pending} entries are written to the ledger together before
 * the connector is called; each command gets its own outcome: done is recorded, a refusal (or a command that
 * keeps failing while the CRM answers) is set aside on {@code callbridge.dlq.<crm>}, anything else stays
 * unfinished and the consumer comes back to it after the pacer's wait.
 */
public final class Delivery implements BatchConsumer.Handler {

    /** Actions that overwrite fields of an existing record: a replay must not put older data back. */
    public static final Set<String> OVERWRITING = Set.of("update-contact", "set-field");
    /** Header of a dead letter sent back by {@code POST /v1/dlq/<crm>/replay}. */
    static final String REPLAY_OF = "callbridge-replay-of";

    private static final Logger LOG = LoggerFactory.getLogger(Delivery.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String crm;
    private final CommandLedger ledger;
    private final CrmConnector connector;
    private final Pacer pacer;
    private final DeadLetterWriter deadLetters;
    private final Clock clock;
    private final CrashPoint crash;
    /** Commands that reached max-attempts while the CRM's probe answered: they get one attempt more. */
    private final Cache<String, Boolean> lastChance = Caffeine.newBuilder().maximumSize(100_000).build();
    private final Cache<String, Integer> attempts = Caffeine.newBuilder().maximumSize(100_000)
            .expireAfterAccess(Duration.ofHours(6)).build();

    private final DeliveryMetrics metrics;
    private final SubjectCodec codec;

    Delivery(String crm, CommandLedger ledger, CrmConnector connector, Pacer pacer, DeadLetterWriter deadLetters, CrashPoint crash,
            Clock clock, DeliveryMetrics metrics, SubjectCodec codec) {
        this.codec = codec;
        this.crash = crash;
        this.metrics = metrics;
        this.crm = crm;
        this.ledger = ledger;
        this.connector = connector;
        this.pacer = pacer;
        this.deadLetters = deadLetters;
        this.clock = clock;
    }

    /** One command of the batch and where it came from. */
    private record Item(ConsumerRecord<String, byte[]> record, Command command) {
        TopicPartition partition() {
            return new TopicPartition(record.topic(), record.partition());
        }

        String caller() {
            return command.customerE164() == null ? "" : command.customerE164();
        }
    }

    /** A command about to be sent, and whether it may have reached the CRM already. */
    private record Sending(Item item, boolean checkFirst) {
    }

    /**
     * Delivers the records of one poll, in order per caller; once Callbridge is stopping no further wave starts.
     */
    @Override
    public Result handle(List<ConsumerRecord<String, byte[]>> records, BooleanSupplier stopping) {
        Map<String, Deque<Item>> byCaller = new LinkedHashMap<>();
        for (ConsumerRecord<String, byte[]> r : records) {
            Item item = read(r);
            if (item != null) {
                byCaller.computeIfAbsent(item.caller(), k -> new ArrayDeque<>()).add(item);
            }
        }
        if (connector.coalescesUpdates()) {
            byCaller.values().forEach(this::coalesce);
        }
        Map<TopicPartition, Long> unfinished = new HashMap<>();
        Instant resumeAt = null;
        boolean pauseAll = false;
        while (!stopping.getAsBoolean()) {
            List<Sending> wave = nextWave(byCaller);
            if (wave.isEmpty()) {
                break;
            }
            ledger.pending(crm, wave.stream().filter(s -> !s.checkFirst()).map(s -> s.item().command().commandId()).toList());
            crash.reached(CrashPoint.AFTER_PENDING);
            List<Outcome> outcomes = connector.deliver(wave.stream()
                    .map(s -> new CrmConnector.Delivery(s.item().command(), s.checkFirst(), traceparent(s.item().record()))).toList());
            if (outcomes.stream().anyMatch(o -> o instanceof Outcome.Done)) {
                crash.reached(CrashPoint.AFTER_ANSWER);
            }
            for (int n = 0; n < wave.size(); n++) {
                Item item = wave.get(n).item();
                Outcome outcome = outcomes.get(n);
                if (outcome instanceof Outcome.Deferred && !wave.get(n).checkFirst()) {
                    // pending since this wave and never sent: a backlog's deferrals must not each cost a check later
                    ledger.notSent(crm, item.command().commandId());
                }
                if (finished(item, outcome)) {
                    byCaller.get(item.caller()).poll();
                    continue;
                }
                // the caller's later commands wait for this one
                for (Item blocked : byCaller.remove(item.caller())) {
                    unfinished.merge(blocked.partition(), blocked.record().offset(), Math::min);
                }
                Instant at = clock.instant().plus(pacer.retryLater(outcome, attempt(item, outcome)));
                resumeAt = resumeAt == null || at.isAfter(resumeAt) ? at : resumeAt;
                pauseAll |= outcome instanceof Outcome.Deferred || pacer.breakerOpen();
                log(item, outcome, at);
            }
        }
        for (Deque<Item> queue : byCaller.values()) {
            for (Item left : queue) {
                unfinished.merge(left.partition(), left.record().offset(), Math::min);
            }
        }
        return new Result(unfinished, resumeAt, pauseAll);
    }

    /**
     * One caller's updates of the same rule action in one batch: only the newest call's is sent (the newest call wins,
     * as the replay rule decides); the older ones are done without a request.
     */
    private void coalesce(Deque<Item> queue) {
        Map<String, Item> newest = new HashMap<>();
        for (Item item : queue) {
            String key = overwriteKey(item.command());
            if (key != null) {
                newest.merge(key, item, (was, now) -> Instant.parse(CommandLedger.normalise(now.command().callAt()))
                        .isBefore(Instant.parse(CommandLedger.normalise(was.command().callAt()))) ? was : now);
            }
        }
        queue.removeIf(item -> {
            String key = overwriteKey(item.command());
            if (key == null || newest.get(key) == item || ledger.state(crm, item.command().commandId()) == CommandLedger.State.DEAD) {
                return false;
            }
            ledger.done(crm, item.command().commandId());
            LOG.debug("{} {} superseded by {} (a newer call of the same caller in this batch)", crm, item.command().commandId(),
                    newest.get(key).command().commandId());
            return true;
        });
    }

    private static String overwriteKey(Command command) {
        return OVERWRITING.contains(command.action()) && command.callAt() != null
                ? command.action() + "|" + command.ruleId() + "|" + command.actionIndex() : null;
    }

    /**
     * One event's commands belong together, so that a batch's waves send each of its actions with the other events' same
     * action; the core marks the last. Records written before the mark existed close nothing, and are taken as they come.
     */
    @Override
    public boolean closesUnit(ConsumerRecord<String, byte[]> record) {
        return record.headers().lastHeader(CommandRouting.LAST_OF_EVENT) != null;
    }

    @Override
    public Duration retryAfterFailure() {
        return pacer.policy().initialBackoff();
    }

    @Override
    public void paused(boolean paused) {
        pacer.paused(paused);
    }

    /**
     * The record's command; null when it is not one or does not open (it is set aside) or its caller was erased (it is
     * skipped).
     */
    private Item read(ConsumerRecord<String, byte[]> r) {
        SubjectCodec.Opened opened = codec.open(r.value());
        if (opened.erased()) {
            LOG.debug("{}: the command at {}@{} is skipped: its caller was erased", crm, r.partition(), r.offset());
            return null;
        }
        if (opened.unreadable() != null) {
            deadLetters.write(crm, r, "?", "invalid", null, opened.unreadable(), 1);
            metrics.deadLettered(crm, "none", "invalid");
            LOG.warn("{}: dead letter from {}@{}: {}", crm, r.partition(), r.offset(), opened.unreadable());
            return null;
        }
        try {
            return new Item(r, Command.fromJson(JSON.readTree(opened.value())));
        } catch (java.io.IOException | RuntimeException e) {
            deadLetters.write(crm, r, "?", "invalid", null, "not a command: " + e.getClass().getSimpleName(), 1);
            metrics.deadLettered(crm, "none", "invalid");
            return null;
        }
    }

    /**
     * The next command of every caller, skipping those the ledger says are done (the same command may come twice,
     * e.g. an event produced again) or set aside and not replayed. Read just before sending, so a duplicate later
     * in the batch sees its twin's outcome.
     */
    private List<Sending> nextWave(Map<String, Deque<Item>> byCaller) {
        List<Sending> wave = new ArrayList<>();
        for (var it = byCaller.values().iterator(); it.hasNext(); ) {
            Deque<Item> queue = it.next();
            while (!queue.isEmpty()) {
                Item head = queue.peek();
                CommandLedger.State state = ledger.state(crm, head.command().commandId());
                if (state == CommandLedger.State.DONE
                        || state == CommandLedger.State.DEAD && head.record().headers().lastHeader(REPLAY_OF) == null) {
                    LOG.debug("{} {} already {}, skipped", crm, head.command().commandId(), state.name().toLowerCase(java.util.Locale.ROOT));
                    queue.poll();
                    continue;
                }
                wave.add(new Sending(head, state == CommandLedger.State.PENDING));
                break;
            }
            if (queue.isEmpty()) {
                it.remove();
            }
        }
        return wave;
    }

    private static String traceparent(ConsumerRecord<String, byte[]> record) {
        org.apache.kafka.common.header.Header h = record.headers().lastHeader(io.callbridge.crm.TraceContext.TRACEPARENT);
        return h == null ? null : new String(h.value(), java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Records a final outcome; false when the command must be tried again. */
    private boolean finished(Item item, Outcome outcome) {
        Command command = item.command();
        if (outcome instanceof Outcome.Done) {
            ledger.done(crm, command.commandId());
            if (OVERWRITING.contains(command.action()) && command.customerE164() != null && command.callAt() != null) {
                ledger.applied(crm, command.customerE164(), command.action(), command.callAt());
            }
            attempts.invalidate(command.commandId());
            lastChance.invalidate(command.commandId());
            pacer.succeeded();
            metrics.delivered(crm, command.action());
            return true;
        }
        if (outcome instanceof Outcome.Rejected r) {
            setAside(item, r.errorClass(), r.httpStatus(), r.crmError(), attempts(item) + 1);
            return true;
        }
        if (outcome instanceof Outcome.Retryable r) {
            int attempt = attempts(item) + 1;
            // refused credentials are the CRM's state, never this record's: it waits for them however long
            if (r.credentialsRefused() || attempt < pacer.policy().maxAttempts()) {
                return false;
            }
            int probe = connector.probe();
            // the CRM cannot be used, or it refuses Callbridge's fixed token as it refused this command (revoked)
            if (probe >= 500 || probe == 401 && Integer.valueOf(401).equals(r.httpStatus())) {
                return false;
            }
            // the CRM answers now; but the failures may be the tail of an outage that just ended, so the command is
            // tried once more while the CRM is known to answer, and set aside only if it fails then too
            if (lastChance.getIfPresent(command.commandId()) == null) {
                lastChance.put(command.commandId(), Boolean.TRUE);
                return false;
            }
            // this record is the problem, not the CRM: it answers others
            setAside(item, "retryable", r.httpStatus(), r.reason(), attempt);
            return true;
        }
        return false;
    }

    private void setAside(Item item, String errorClass, Integer status, String reason, int attempt) {
        Command command = item.command();
        deadLetters.write(crm, item.record(), command.action(), errorClass, status, reason, attempt);
        ledger.dead(crm, command.commandId());
        lastChance.invalidate(command.commandId());
        metrics.deadLettered(crm, command.action(), errorClass);
        crash.reached(CrashPoint.AFTER_DEAD_LETTER);
        attempts.invalidate(command.commandId());
        LOG.warn("{} {} set aside on callbridge.dlq.{} ({}, {})", crm, command.commandId(), crm, errorClass,
                status == null ? "no answer" : "HTTP " + status);
    }

    private int attempts(Item item) {
        Integer n = attempts.getIfPresent(item.command().commandId());
        return n == null ? 0 : n;
    }

    /** Counts a failed attempt (a deferral is none) and answers how many there were. */
    private int attempt(Item item, Outcome outcome) {
        if (outcome instanceof Outcome.Deferred) {
            return Math.max(1, attempts(item));
        }
        return attempts.asMap().merge(item.command().commandId(), 1, Integer::sum);
    }

    private void log(Item item, Outcome outcome, Instant at) {
        long ms = Duration.between(clock.instant(), at).toMillis();
        if (outcome instanceof Outcome.Deferred d) {
            LOG.info("{} {} deferred ({}); trying again in {} ms", crm, item.command().commandId(), d.reason(), ms);
        } else if (outcome instanceof Outcome.Retryable r) {
            LOG.warn("{} {} failed (attempt {}, {}{}); retrying in {} ms", crm, item.command().commandId(), attempts(item),
                    r.httpStatus() == null ? "no answer" : "HTTP " + r.httpStatus(),
                    r.quotaExhausted() ? ", quota exhausted" : r.credentialsRefused() ? ", credentials refused" : "", ms);
        }
    }
}
