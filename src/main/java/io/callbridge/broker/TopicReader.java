package io.callbridge.broker;

import java.time.Duration;
import java.util.ArrayList;
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
        Properties p = clients.properties(Map.of(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"));
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(5)).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            consumer.assign(partitions);
            Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            partitions.forEach(tp -> consumer.seek(tp, Math.max(begin.get(tp), end.get(tp) - Math.min(perPartition, end.get(tp)))));
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
