package io.callbridge.broker;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import io.callbridge.support.TestBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The batch consumer on a real broker, one partition, its records in units (consecutive records, the last one marked,
 * as the core marks an event's last command): a batch that would end inside a unit while the rest waits leaves the
 * unit whole for the next batch; a unit larger than a batch still moves on; a unit whose rest is not written yet is not
 * waited for.
 */
class BatchConsumerIT {

    private static final EmbeddedKafkaBroker BROKER = TestBroker.shared();
    private static final KafkaClients CLIENTS = KafkaClients.plain(BROKER.bootstrapServers());
    private static final String LAST = "last-of-unit";

    private final String topic = "batch-units-" + UUID.randomUUID();
    private final RecordingHandler handler = new RecordingHandler();
    private BatchConsumer consumer;

    @AfterEach
    void stop() {
        if (consumer != null) {
            consumer.stop();
        }
    }

    @Test
    void aBatchThatWouldEndInsideAUnitLeavesItWholeForTheNext() throws Exception {
        // batches of six would cut b, d and e in two
        List<String> written = write(Map.of("a", 4, "b", 3, "c", 2, "d", 4, "e", 5, "f", 2));

        start(6);

        await().atMost(Duration.ofSeconds(30)).until(() -> handler.handled().size() == written.size());
        assertThat(handler.handled()).as("each record once, in order").containsExactlyElementsOf(written);
        for (List<ConsumerRecord<String, byte[]>> batch : handler.batches) {
            assertThat(batch).hasSizeLessThanOrEqualTo(6);
            Map<String, Long> perUnit = batch.stream().collect(Collectors.groupingBy(ConsumerRecord::key, Collectors.counting()));
            perUnit.forEach((unit, n) -> assertThat(n).as("unit %s whole in %s", unit, values(batch)).isEqualTo(sizeOf(unit, written)));
        }
    }

    @Test
    void aUnitLargerThanABatchIsHandledInPartsAndMovesOn() throws Exception {
        List<String> written = write(Map.of("a", 10, "b", 2));

        start(4);

        await().atMost(Duration.ofSeconds(30)).until(() -> handler.handled().size() == written.size());
        assertThat(handler.handled()).containsExactlyElementsOf(written);
        assertThat(handler.batches).allSatisfy(b -> assertThat(b).hasSizeLessThanOrEqualTo(4));
    }

    @Test
    void aUnitWhoseRestIsNotWrittenYetIsNotWaitedFor() throws Exception {
        List<String> first = new ArrayList<>(write(Map.of("a", 2)));
        first.addAll(write("b", 2, false));
        start(6);
        await().atMost(Duration.ofSeconds(30)).until(() -> handler.handled().size() == 4);
        assertThat(values(handler.batches.get(0))).as("nothing more waits: b is taken as far as it is written")
                .containsExactlyElementsOf(first);

        List<String> rest = write(Map.of("b", 2));

        await().atMost(Duration.ofSeconds(30)).until(() -> handler.handled().size() == 6);
        List<String> all = new ArrayList<>(first);
        all.addAll(rest);
        assertThat(handler.handled()).containsExactlyElementsOf(all);
    }

    @Test
    void aBatchMayEndAfterARecordKnownToCloseItsUnit() throws Exception {
        List<String> written = write(Map.of("a", 2, "b", 2, "c", 2));

        start(4);

        await().atMost(Duration.ofSeconds(30)).until(() -> handler.handled().size() == written.size());
        assertThat(values(handler.batches.get(0))).as("b is known whole, though c waits").containsExactlyElementsOf(written.subList(0, 4));
        assertThat(handler.handled()).containsExactlyElementsOf(written);
    }

    private void start(int maxRecords) {
        consumer = new BatchConsumer(topic, "group-" + topic, CLIENTS, handler, maxRecords, Duration.ofSeconds(10),
                Duration.ofSeconds(5), Clock.systemUTC());
        consumer.start();
    }

    /** Writes whole units in key order, each as consecutive records; answers the values written, in order. */
    private List<String> write(Map<String, Integer> units) throws Exception {
        List<String> values = new ArrayList<>();
        for (String unit : units.keySet().stream().sorted().toList()) {
            values.addAll(write(unit, units.get(unit), true));
        }
        return values;
    }

    /** Writes {@code n} records of a unit, the last one marked as closing it when {@code closes}. */
    private List<String> write(String unit, int n, boolean closes) throws Exception {
        try (Admin admin = CLIENTS.admin("batch-consumer-it", 10_000)) {
            if (!admin.listTopics().names().get().contains(topic)) {
                admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
            }
        }
        List<String> values = new ArrayList<>();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(CLIENTS.properties(Map.of(ProducerConfig.ACKS_CONFIG, "all")),
                new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < n; i++) {
                String value = unit + "-" + UUID.randomUUID();
                ProducerRecord<String, byte[]> r = new ProducerRecord<>(topic, unit, value.getBytes(StandardCharsets.UTF_8));
                if (closes && i == n - 1) {
                    r.headers().add(LAST, new byte[0]);
                }
                producer.send(r).get();
                values.add(value);
            }
        }
        return values;
    }

    private static long sizeOf(String unit, List<String> written) {
        return written.stream().filter(v -> v.startsWith(unit + "-")).count();
    }

    private static List<String> values(List<ConsumerRecord<String, byte[]>> batch) {
        return batch.stream().map(r -> new String(r.value(), StandardCharsets.UTF_8)).toList();
    }

    /** Keeps each batch it is handed; every record is finished. */
    private static final class RecordingHandler implements BatchConsumer.Handler {
        final List<List<ConsumerRecord<String, byte[]>>> batches = Collections.synchronizedList(new ArrayList<>());

        List<String> handled() {
            synchronized (batches) {
                return batches.stream().flatMap(b -> values(b).stream()).toList();
            }
        }

        @Override
        public BatchConsumer.Result handle(List<ConsumerRecord<String, byte[]>> records, BooleanSupplier stopping) {
            batches.add(List.copyOf(records));
            return BatchConsumer.Result.finished();
        }

        @Override
        public Duration retryAfterFailure() {
            return Duration.ofSeconds(1);
        }

        @Override
        public boolean closesUnit(ConsumerRecord<String, byte[]> record) {
            return record.headers().lastHeader(LAST) != null;
        }
    }
}
