package io.callbridge.broker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;

import org.apache.camel.support.service.ServiceSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes records and returns once the broker acknowledged every one (acks=all, idempotent, so a retry inside
 * the producer neither duplicates nor reorders): all are sent before any is waited for, one round trip for a
 * batch. A broker that does not acknowledge within the timeout is a {@link KafkaException}.
 */
public final class Publisher extends ServiceSupport {

    private final KafkaClients clients;
    private final long timeoutMs;
    private final String name;
    private KafkaProducer<String, byte[]> producer;

    public Publisher(String name, KafkaClients clients, long timeoutMs) {
        this.name = name;
        this.clients = clients;
        this.timeoutMs = timeoutMs;
    }

    public void publish(ProducerRecord<String, byte[]> record) {
        publish(List.of(record));
    }

    public void publish(List<ProducerRecord<String, byte[]>> records) {
        List<Future<?>> sent = new ArrayList<>(records.size());
        records.forEach(r -> sent.add(producer.send(r)));
        DurableProducer.awaitAll(sent, timeoutMs, name);
    }

    @Override
    protected void doStart() {
        producer = new KafkaProducer<>(clients.properties(DurableProducer.settings(name, timeoutMs)), new StringSerializer(),
                new ByteArraySerializer());
    }

    @Override
    protected void doStop() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(2));
            producer = null;
        }
    }
}
