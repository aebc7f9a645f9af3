package io.callbridge.broker;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.BooleanSupplier;

import org.apache.camel.support.service.ServiceSupport;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A consumer of one topic that hands each poll to a {@link Handler} as one batch, a loop of Callbridge's own
 * rather than camel-kafka's batching, whose commit, pause and listener rules do not allow committing each
 * partition exactly up to its first unfinished record. After a batch, every partition of it is committed up to
 * its first unfinished record, which the consumer seeks back to, and those partitions (all of them when the
 * handler asks) are paused until the handler's time: the consumer keeps polling, so the group sees no
 * rebalance however long the wait, and nothing sleeps. A batch the handler could not record (the broker
 * failing) is taken again from its start.
 *
 * <p>While a backlog waits, a batch gathers the polls that follow the first (up to the handler's maximum) and never
 * ends inside one of the handler's units ({@link Handler#closesUnit}) whose rest waits in the broker.
 */
public final class BatchConsumer extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(BatchConsumer.class);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration LEAVE_WAIT = Duration.ofSeconds(1);
    private static final int PARTITION_FETCH_BYTES = 128 * 1024;
    private static final Duration GATHER = Duration.ofMillis(50);

    /** What is done with each poll. */
    public interface Handler {
        /**
         * Works on one poll's records.
         *
         * @param stopping true once Callbridge is shutting down: start nothing new, leave the rest unfinished
         */
        Result handle(List<ConsumerRecord<String, byte[]>> records, BooleanSupplier stopping);

        /** How long to wait before a batch that could not be recorded is taken again. */
        Duration retryAfterFailure();

        /** Told when the consumer pauses (true) and resumes (false), e.g. for a gauge. */
        default void paused(boolean paused) {
        }

        /**
         * Whether the record is the last of its unit (one event's commands), the records of a unit being consecutive in
         * their partition. A batch that would end inside a unit, while more of the partition waits, leaves the records
         * after the partition's last closing one for the next batch, so that a unit is handled whole; a partition none
         * of whose records in the batch closes a unit is handled as it is, and moves on. By default every record is a
         * unit of its own.
         */
        default boolean closesUnit(ConsumerRecord<String, byte[]> record) {
            return true;
        }
    }

    /**
     * What the consumer does after a batch: commit each partition up to its first unfinished record, go back to
     * those records, and wait until {@code resumeAt} (for every partition when {@code pauseAll}).
     */
    public record Result(Map<TopicPartition, Long> firstUnfinished, Instant resumeAt, boolean pauseAll) {
        public static Result finished() {
            return new Result(Map.of(), null, false);
        }
    }

    private final String topic;
    private final String group;
    private final KafkaClients clients;
    private final Handler handler;
    private final int maxRecords;
    private final Duration sessionTimeout;
    private final Duration stopTimeout;
    private final Clock clock;
    private volatile boolean running;
    private volatile boolean handling;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private Thread thread;
    private Instant resumeAt;
    /** The batch being gathered over several polls, whose records of a revoked partition are dropped. */
    private Map<TopicPartition, List<ConsumerRecord<String, byte[]>>> gathering;

    public BatchConsumer(String topic, String group, KafkaClients clients, Handler handler, int maxRecords, Duration sessionTimeout,
            Duration stopTimeout, Clock clock) {
        this.sessionTimeout = sessionTimeout;
        this.topic = topic;
        this.group = group;
        this.clients = clients;
        this.handler = handler;
        this.maxRecords = maxRecords;
        this.stopTimeout = stopTimeout;
        this.clock = clock;
    }

    @Override
    protected void doStart() {
        running = true;
        thread = new Thread(this::run, group);
        thread.start();
    }

    /**
     * Starts no further work: called as soon as Camel begins to stop, so the work in flight finishes while the
     * routes it may use are still there (Camel waits for their exchanges in flight).
     */
    public void stopTakingWork() {
        running = false;
        wakeIfIdle();
    }

    /** A consumer waiting in its poll stops at once, rather than at the end of the poll's timeout. */
    private void wakeIfIdle() {
        KafkaConsumer<String, byte[]> c = consumer;
        if (!handling && c != null) {
            c.wakeup();
        }
    }

    /** Lets the batch in flight finish and be committed (up to the shutdown timeout), then leaves the group. */
    @Override
    protected void doStop() throws InterruptedException {
        running = false;
        wakeIfIdle();
        if (thread != null) {
            thread.join(stopTimeout.toMillis());
            if (thread.isAlive() && consumer != null) {
                consumer.wakeup();
                thread.join(5000);
            }
        }
    }

    private void run() {
        Map<String, Object> p = new HashMap<>();
        p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, String.valueOf(maxRecords));
        // a poll takes records of several partitions (so of more callers, who can share a request) rather than a
        // backlog's worth from the first partition alone
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, String.valueOf(PARTITION_FETCH_BYTES));
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, group);
        p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, String.valueOf(sessionTimeout.toMillis()));
        p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, String.valueOf(Math.max(500, sessionTimeout.toMillis() / 5)));
        KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(clients.properties(p), new StringDeserializer(), new ByteArrayDeserializer());
        consumer = c;
        try {
            c.subscribe(List.of(topic), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    // every batch is committed before the next poll: nothing is left to commit here; what a batch being
                    // gathered holds of these partitions is their next owner's now
                    if (gathering != null) {
                        partitions.forEach(gathering::remove);
                    }
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    LOG.debug("{}: assigned {}", group, partitions);
                }
            });
            while (running) {
                resumeIfDue(c);
                Map<TopicPartition, List<ConsumerRecord<String, byte[]>>> records;
                try {
                    records = gather(c, c.poll(pollTimeout()));
                } catch (WakeupException e) {
                    break;
                }
                if (!records.isEmpty()) {
                    handling = true;
                    try {
                        handle(c, records);
                    } finally {
                        handling = false;
                    }
                }
            }
        } catch (WakeupException e) {
            LOG.warn("{}: the batch in flight did not finish within {} s of the shutdown; it is taken again at the next start",
                    group, stopTimeout.toSeconds());
        } catch (RuntimeException e) {
            LOG.error("{}: the consumer stopped: {}", group, e.toString(), e);
        } finally {
            // the group is told at once; waiting for its answer during a rebalance took the default 30 s
            c.close(LEAVE_WAIT);
        }
    }

    /**
     * The poll's records and, while a backlog waits in the broker and the batch is not full, those of the polls that
     * follow within {@link #GATHER}: the broker's answers for a topic's partitions come apart, and a batch of one answer
     * holds fewer callers, so more waves and requests, than one of several.
     */
    private Map<TopicPartition, List<ConsumerRecord<String, byte[]>>> gather(KafkaConsumer<String, byte[]> c,
            ConsumerRecords<String, byte[]> first) {
        Map<TopicPartition, List<ConsumerRecord<String, byte[]>>> gathered = new LinkedHashMap<>();
        gathering = gathered;
        add(gathered, first);
        int count = first.count();
        long until = System.nanoTime() + GATHER.toNanos();
        while (count > 0 && count < maxRecords && running && backlogWaits(c)) {
            long left = until - System.nanoTime();
            if (left <= 0) {
                break;
            }
            ConsumerRecords<String, byte[]> more = c.poll(Duration.ofNanos(left));
            if (more.isEmpty()) {
                break;
            }
            add(gathered, more);
            count += more.count();
        }
        gathering = null;
        return gathered;
    }

    private static void add(Map<TopicPartition, List<ConsumerRecord<String, byte[]>>> gathered, ConsumerRecords<String, byte[]> records) {
        for (TopicPartition tp : records.partitions()) {
            gathered.computeIfAbsent(tp, k -> new ArrayList<>()).addAll(records.records(tp));
        }
    }

    private static boolean backlogWaits(KafkaConsumer<String, byte[]> c) {
        Set<TopicPartition> paused = c.paused();
        return c.assignment().stream().anyMatch(tp -> !paused.contains(tp) && lag(c, tp) > 0);
    }

    private static long lag(KafkaConsumer<String, byte[]> c, TopicPartition tp) {
        OptionalLong lag = c.currentLag(tp);
        return lag.isPresent() ? lag.getAsLong() : 0;
    }

    private void handle(KafkaConsumer<String, byte[]> c, Map<TopicPartition, List<ConsumerRecord<String, byte[]>>> records) {
        List<ConsumerRecord<String, byte[]>> batch = new ArrayList<>(maxRecords);
        Map<TopicPartition, Long> heldBack = new HashMap<>();
        int room = maxRecords;
        for (Map.Entry<TopicPartition, List<ConsumerRecord<String, byte[]>>> e : records.entrySet()) {
            List<ConsumerRecord<String, byte[]>> of = e.getValue();
            int take = wholeUnits(of, Math.min(room, of.size()), lag(c, e.getKey()) > 0);
            if (take < of.size()) {
                heldBack.put(e.getKey(), of.get(take).offset());
            }
            batch.addAll(of.subList(0, take));
            room -= take;
        }
        Result result;
        try {
            result = handler.handle(batch, () -> !running);
        } catch (KafkaException e) {
            // nothing of this batch counts as done: go back to all of it
            Map<TopicPartition, Long> first = new HashMap<>();
            batch.forEach(r -> first.merge(new TopicPartition(r.topic(), r.partition()), r.offset(), Math::min));
            LOG.warn("{}: a batch of {} could not be recorded ({}); taking it again", group, batch.size(), e.getMessage());
            result = new Result(first, clock.instant().plus(handler.retryAfterFailure()), true);
        }
        Map<TopicPartition, Long> back = new HashMap<>(heldBack);
        result.firstUnfinished().forEach((tp, offset) -> back.merge(tp, offset, Math::min));
        Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
        records.forEach((tp, of) -> {
            Long unfinished = back.get(tp);
            commit.put(tp, new OffsetAndMetadata(unfinished != null ? unfinished : of.get(of.size() - 1).offset() + 1));
        });
        try {
            c.commitSync(commit);
        } catch (WakeupException e) {
            // the shutdown took the consumer for idle just as this batch arrived; the wake-up is spent, commit again
            c.commitSync(commit);
        }
        back.forEach(c::seek);
        if (!result.firstUnfinished().isEmpty() && running && result.resumeAt() != null) {
            Set<TopicPartition> pause = new HashSet<>(result.pauseAll() ? c.assignment() : result.firstUnfinished().keySet());
            pause.retainAll(c.assignment());
            c.pause(pause);
            resumeAt = resumeAt == null || result.resumeAt().isAfter(resumeAt) ? result.resumeAt() : resumeAt;
            handler.paused(true);
        }
    }

    /**
     * How many of a partition's records the batch takes: {@code room} at most, and, when the partition goes on beyond
     * them ({@code more} records wait in the broker), up to the last record that closes its unit. A partition none of
     * whose first {@code room} records closes a unit is taken as it is, so that it moves on.
     */
    private int wholeUnits(List<ConsumerRecord<String, byte[]>> of, int room, boolean more) {
        if (room == of.size() && !more) {
            return room;
        }
        for (int end = room; end > 0; end--) {
            if (handler.closesUnit(of.get(end - 1))) {
                return end;
            }
        }
        return room;
    }

    /** A paused consumer polls only until its resume time, which is often nearer than a whole poll. */
    private Duration pollTimeout() {
        if (resumeAt == null) {
            return POLL;
        }
        Duration left = Duration.between(clock.instant(), resumeAt);
        return left.isNegative() ? Duration.ZERO : left.compareTo(POLL) < 0 ? left : POLL;
    }

    private void resumeIfDue(KafkaConsumer<String, byte[]> c) {
        if (resumeAt != null && !clock.instant().isBefore(resumeAt)) {
            c.resume(c.paused());
            resumeAt = null;
            handler.paused(false);
        }
    }
}
