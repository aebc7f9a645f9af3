package io.callbridge.delivery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

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
 * One CRM's consumer of {@code callbridge.crm.<crm>} (group {@code callbridge-crm-<crm>}), a loop of
 * Callbridge's own rather than camel-kafka's batching, whose commit, pause and listener rules do not allow
 * committing each partition exactly up to its first unfinished record. Each poll is one batch for
 * {@link Delivery}; afterwards every partition of the batch is committed up to its first unfinished record,
 * which the consumer seeks back to, and those partitions (all of them when the CRM is out of budget or its
 * breaker is open) are paused until the pacer's time: the consumer keeps polling, so the group sees no
 * rebalance however long the wait, and nothing sleeps.
 */
public final class DeliveryConsumer extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryConsumer.class);
    private static final Duration POLL = Duration.ofMillis(500);

    private final String crm;
    private final String brokers;
    private final Delivery delivery;
    private final Pacer pacer;
    private final int maxRecords;
    private final Duration stopTimeout;
    private final Clock clock;
    private volatile boolean running;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private Thread thread;
    private Instant resumeAt;

    DeliveryConsumer(String crm, String brokers, Delivery delivery, Pacer pacer, int maxRecords, Duration stopTimeout, Clock clock) {
        this.crm = crm;
        this.brokers = brokers;
        this.delivery = delivery;
        this.pacer = pacer;
        this.maxRecords = maxRecords;
        this.stopTimeout = stopTimeout;
        this.clock = clock;
    }

    @Override
    protected void doStart() {
        running = true;
        thread = new Thread(this::run, "callbridge-deliver-" + crm);
        thread.start();
    }

    /**
     * Starts no further wave: called as soon as Camel begins to stop, so the wave in flight finishes while the
     * connectors' routes are still there (Camel waits for their exchanges in flight).
     */
    public void stopTakingWork() {
        running = false;
    }

    /** Lets the batch in flight finish and be committed (up to the shutdown timeout), then leaves the group. */
    @Override
    protected void doStop() throws InterruptedException {
        running = false;
        if (thread != null) {
            thread.join(stopTimeout.toMillis());
            if (thread.isAlive() && consumer != null) {
                consumer.wakeup();
                thread.join(5000);
            }
        }
    }

    private void run() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "callbridge-crm-" + crm);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, String.valueOf(maxRecords));
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "callbridge-deliver-" + crm);
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer = c;
            c.subscribe(List.of("callbridge.crm." + crm), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    // every batch is committed before the next poll: nothing is left to commit here
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    LOG.debug("{}: assigned {}", crm, partitions);
                }
            });
            while (running) {
                resumeIfDue(c);
                ConsumerRecords<String, byte[]> records = c.poll(POLL);
                if (!records.isEmpty()) {
                    deliver(c, records);
                }
            }
        } catch (WakeupException e) {
            LOG.warn("{}: the delivery in flight did not finish within {} s of the shutdown; its commands are delivered "
                    + "again (and checked with the CRM first) at the next start", crm, stopTimeout.toSeconds());
        } catch (RuntimeException e) {
            LOG.error("{}: the delivery consumer stopped: {}", crm, e.toString(), e);
        }
    }

    private void deliver(KafkaConsumer<String, byte[]> c, ConsumerRecords<String, byte[]> records) {
        List<ConsumerRecord<String, byte[]>> batch = new ArrayList<>(records.count());
        records.forEach(batch::add);
        Delivery.Result result;
        try {
            result = delivery.deliver(batch, () -> !running);
        } catch (KafkaException e) {
            // the ledger or a dead letter could not be written: nothing of this batch counts as done; go back to it
            Map<TopicPartition, Long> first = new HashMap<>();
            batch.forEach(r -> first.merge(new TopicPartition(r.topic(), r.partition()), r.offset(), Math::min));
            LOG.warn("{}: a batch of {} could not be recorded ({}); trying it again", crm, batch.size(), e.getMessage());
            result = new Delivery.Result(first, clock.instant().plus(pacer.policy().initialBackoff()), true);
        }
        Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
        for (TopicPartition tp : records.partitions()) {
            List<ConsumerRecord<String, byte[]>> of = records.records(tp);
            Long unfinished = result.firstUnfinished().get(tp);
            commit.put(tp, new OffsetAndMetadata(unfinished != null ? unfinished : of.get(of.size() - 1).offset() + 1));
        }
        c.commitSync(commit);
        result.firstUnfinished().forEach(c::seek);
        if (!result.firstUnfinished().isEmpty() && running && result.resumeAt() != null) {
            Set<TopicPartition> pause = new HashSet<>(result.pauseAll() ? c.assignment() : result.firstUnfinished().keySet());
            pause.retainAll(c.assignment());
            c.pause(pause);
            resumeAt = resumeAt == null || result.resumeAt().isAfter(resumeAt) ? result.resumeAt() : resumeAt;
            pacer.paused(true);
        }
    }

    private void resumeIfDue(KafkaConsumer<String, byte[]> c) {
        if (resumeAt != null && !clock.instant().isBefore(resumeAt)) {
            c.resume(c.paused());
            resumeAt = null;
            pacer.paused(false);
        }
    }
}
