package io.callbridge.broker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads what a topic holds now, for an API answer (dead letters, recent events): a short-lived consumer without a
 * group, assigned every partition, reading up to the end offsets it saw at the start, for at most 10 s.
 */
public final class TopicReader {

    private TopicReader() {
    }

    /** The last {@code perPartition} records of each partition (all: {@code Long.MAX_VALUE}), by partition and offset. */
    public static List<ConsumerRecord<String, byte[]>> read(KafkaClients clients, String topic, long perPartition) {
        return read(clients, topic, perPartition, 0);
    }

    /**
     * The same, none older than {@code sinceMillis} (their Kafka timestamp; 0: any age): the broker's time index finds
     * where to start, so a long topic is not read from its beginning to answer for a recent hour.
     */
    public static List<ConsumerRecord<String, byte[]>> read(KafkaClients clients, String topic, long perPartition, long sinceMillis) {
        Properties p = clients.properties(Map.of(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"));
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(5)).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            consumer.assign(partitions);
            Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            Map<TopicPartition, Long> since = new HashMap<>();
            if (sinceMillis > 0) {
                Map<TopicPartition, Long> at = new HashMap<>();
                partitions.forEach(tp -> at.put(tp, sinceMillis));
                // no record that recent: start at the end, read nothing
                consumer.offsetsForTimes(at).forEach((tp, found) -> since.put(tp, found == null ? end.get(tp) : found.offset()));
            }
            partitions.forEach(tp -> consumer.seek(tp, Math.max(since.getOrDefault(tp, 0L),
                    Math.max(begin.get(tp), end.get(tp) - Math.min(perPartition, end.get(tp))))));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp)) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (r.offset() < end.get(new TopicPartition(r.topic(), r.partition()))) {
                        records.add(r);
                    }
                });
            }
        }
        records.sort((a, b) -> a.partition() != b.partition() ? Integer.compare(a.partition(), b.partition())
                : Long.compare(a.offset(), b.offset()));
        return records;
    }
}
