package io.callbridge.state;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.callbridge.broker.DurableProducer;
import io.callbridge.broker.KafkaClients;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A key/value map whose source of truth is a compacted Kafka topic: every write is acknowledged by the
 * broker before it counts, the map is rebuilt from the topic at start, and writes of other instances
 * are followed in the background. Keys must not be personal data: they end up in the topic.
 */
public class KafkaBackedStore extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaBackedStore.class);

    private final String topic;
    private final KafkaClients clients;
    private final long writeTimeoutMs;
    private final Cache<String, String> entries;
    private KafkaProducer<String, String> producer;
    private KafkaConsumer<String, String> consumer;
    private Thread follower;
    private final List<java.util.function.Consumer<String>> removalListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** How far the mirror has applied each partition, and a monitor the follower signals after each poll. */
    private final Map<TopicPartition, Long> applied = new java.util.concurrent.ConcurrentHashMap<>();
    private final Object progress = new Object();
    private List<TopicPartition> partitions = List.of();
    private KafkaConsumer<String, String> endOffsets;

    public KafkaBackedStore(String topic, KafkaClients clients, long maxEntries, long writeTimeoutMs) {
        this.topic = topic;
        this.clients = clients;
        this.writeTimeoutMs = writeTimeoutMs;
        this.entries = Caffeine.newBuilder().maximumSize(maxEntries).build();
    }

    public String topic() {
        return topic;
    }

    public String get(String key) {
        return entries.getIfPresent(key);
    }

    /** Writes through to the topic and returns once the broker acknowledged it. */
    public void put(String key, String value) {
        putAll(Map.of(key, value));
    }

    /** Writes every entry through to the topic and returns once the broker acknowledged them all: one round trip. */
    public void putAll(Map<String, String> values) {
        if (values.isEmpty()) {
            return;
        }
        List<java.util.concurrent.Future<?>> sent = new java.util.ArrayList<>(values.size());
        values.forEach((k, v) -> sent.add(producer.send(new ProducerRecord<>(topic, k, v))));
        DurableProducer.awaitAll(sent, writeTimeoutMs, topic);
        values.forEach(entries::put);
    }

    /**
     * Records the value now and writes it to the topic without waiting for the broker: for entries whose
     * loss in a crash is harmless (the caller's own check covers it), so the caller does not pay a round trip.
     */
    public void putLater(String key, String value) {
        entries.put(key, value);
        producer.send(new ProducerRecord<>(topic, key, value), (metadata, failure) -> {
            if (failure != null) {
                LOG.warn("An entry of {} was not written ({}); after a restart it is checked again", topic,
                        failure.getClass().getSimpleName());
            }
        });
    }

    /** The keys held now that match; a scan of the whole mirror, for rare work such as an erasure. */
    public List<String> keys(java.util.function.Predicate<String> matching) {
        return entries.asMap().keySet().stream().filter(matching).toList();
    }

    /**
     * Writes a tombstone for every key and returns once the broker acknowledged them all; compaction then drops the
     * entries from the topic, and every instance's mirror drops them when it meets the tombstone.
     */
    public void removeAll(java.util.Collection<String> keys) {
        if (keys.isEmpty()) {
            return;
        }
        List<java.util.concurrent.Future<?>> sent = new java.util.ArrayList<>(keys.size());
        keys.forEach(k -> sent.add(producer.send(new ProducerRecord<>(topic, k, null))));
        DurableProducer.awaitAll(sent, writeTimeoutMs, topic);
        keys.forEach(entries::invalidate);
    }

    /**
     * Told the key of every tombstone met on the topic, whoever wrote it (this instance included), at start and while
     * following: for work another instance's removal asks of this one.
     */
    public void onRemoved(java.util.function.Consumer<String> listener) {
        removalListeners.add(listener);
    }

    /**
     * Waits until the mirror holds everything the topic held when asked (another instance's write acknowledged a moment
     * ago, say): for a reader to whom a missing key means something (an erased subject), not merely "not yet seen".
     *
     * @return false when that did not happen within {@code timeout} (the broker unreachable, say)
     */
    public boolean awaitCaughtUp(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<TopicPartition, Long> end;
        try {
            synchronized (this) {
                if (endOffsets == null) {
                    endOffsets = new KafkaConsumer<>(clients.properties(Map.of(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false")),
                            new StringDeserializer(), new StringDeserializer());
                }
                end = endOffsets.endOffsets(partitions, timeout);
            }
        } catch (KafkaException e) {
            return false;
        }
        synchronized (progress) {
            while (!end.entrySet().stream().allMatch(e -> applied.getOrDefault(e.getKey(), 0L) >= e.getValue())) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    progress.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return true;
    }

    private void recordProgress() {
        for (TopicPartition tp : partitions) {
            applied.put(tp, consumer.position(tp));
        }
        synchronized (progress) {
            progress.notifyAll();
        }
    }

    public long size() {
        return entries.estimatedSize();
    }

    @Override
    protected void doStart() {
        producer = new KafkaProducer<>(clients.properties(DurableProducer.settings(null, writeTimeoutMs)), new StringSerializer(),
                new StringSerializer());

        consumer = new KafkaConsumer<>(clients.properties(Map.of(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")), new StringDeserializer(), new StringDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofMillis(writeTimeoutMs * 4)).stream()
                .map(info -> new TopicPartition(topic, info.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        long loaded = 0;
        while (!reached(end)) {
            for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                apply(r);
                loaded++;
            }
        }
        this.partitions = partitions;
        recordProgress();
        LOG.info("Loaded {} entries of {} from Kafka", loaded, topic);
        follower = new Thread(this::follow, "callbridge-store-" + topic);
        follower.setDaemon(true);
        follower.start();
    }

    private boolean reached(Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    private void follow() {
        try {
            while (isRunAllowed()) {
                try {
                    for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofSeconds(1))) {
                        apply(r);
                    }
                    recordProgress();
                } catch (WakeupException e) {
                    return;
                } catch (KafkaException e) {
                    LOG.warn("Following {} failed, retrying: {}", topic, e.getMessage());
                }
            }
        } finally {
            KafkaClients.closeReader(consumer);
        }
    }

    private void apply(ConsumerRecord<String, String> r) {
        if (r.key() == null) {
            return;
        }
        if (r.value() == null) {
            entries.invalidate(r.key());
            removalListeners.forEach(l -> l.accept(r.key()));
        } else {
            entries.put(r.key(), r.value());
        }
    }

    @Override
    protected void doStop() throws InterruptedException {
        if (consumer != null) {
            consumer.wakeup();
        }
        if (follower != null) {
            follower.join(5000);
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(2));
        }
        synchronized (this) {
            if (endOffsets != null) {
                endOffsets.close(Duration.ofSeconds(2));
            }
        }
    }
}
