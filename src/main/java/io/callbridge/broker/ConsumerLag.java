package io.callbridge.broker;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.camel.support.service.ServiceSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * How far a consumer group is behind on its topic, as operators measure it: the log's end minus the group's committed
 * offset, summed over partitions. Asked of the broker when a scrape wants it, at most once per {@code maxAge}, so a
 * scrape every few seconds costs the broker little; NaN while the broker does not answer.
 */
public final class ConsumerLag extends ServiceSupport {

    private final KafkaClients clients;
    private final long maxAgeNanos;
    private final Map<String, Reading> known = new ConcurrentHashMap<>();

    private record Reading(double lag, long atNanos) {
    }
    private volatile Admin admin;

    public ConsumerLag(KafkaClients clients, Duration maxAge) {
        this.clients = clients;
        this.maxAgeNanos = maxAge.toNanos();
    }

    /** Records of {@code topic} the {@code group} has not committed; the last known figure when asked again soon. */
    public double of(String group, String topic) {
        return known.compute(group + "|" + topic, (k, last) -> last != null && System.nanoTime() - last.atNanos() <= maxAgeNanos
                ? last : new Reading(read(group, topic), System.nanoTime())).lag();
    }

    private double read(String group, String topic) {
        Admin a = admin;
        if (a == null) {
            return Double.NaN;
        }
        try {
            Map<TopicPartition, OffsetAndMetadata> committed = a.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(2, TimeUnit.SECONDS);
            var partitions = a.describeTopics(java.util.List.of(topic)).allTopicNames().get(2, TimeUnit.SECONDS).get(topic).partitions()
                    .stream().map(p -> new TopicPartition(topic, p.partition())).collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest()));
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = a.listOffsets(partitions).all().get(2, TimeUnit.SECONDS);
            long lag = 0;
            for (var end : ends.entrySet()) {
                OffsetAndMetadata at = committed.get(end.getKey());
                lag += Math.max(0, end.getValue().offset() - (at == null ? 0 : at.offset()));
            }
            return lag;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Double.NaN;
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            return Double.NaN;
        }
    }

    @Override
    protected void doStart() {
        admin = clients.admin("callbridge-lag", 2000);
    }

    @Override
    protected void doStop() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(2));
            admin = null;
        }
    }
}
