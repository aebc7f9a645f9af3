package io.callbridge.intake;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.camel.support.service.ServiceSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes a batch of validated events to {@code callbridge.call-events} with the same key and headers a single
 * event gets, all sent before any is waited for, and returns once the broker acknowledged every one (acks=all,
 * idempotent): one round trip for the batch. camel-kafka sends an iterable body as one batch too, but gives every
 * record the same headers.
 */
public final class EventPublisher extends ServiceSupport {

    private final String topic;
    private final String brokers;
    private final long timeoutMs;
    private KafkaProducer<String, byte[]> producer;

    public EventPublisher(String topic, String brokers, long timeoutMs) {
        this.topic = topic;
        this.brokers = brokers;
        this.timeoutMs = timeoutMs;
    }

    /** Sends every event and waits for all acknowledgements; a broker that does not answer in time is a {@link KafkaException}. */
    public void publish(List<CallEvent> events) {
        List<Future<?>> sent = new ArrayList<>(events.size());
        for (CallEvent e : events) {
            ProducerRecord<String, byte[]> r = new ProducerRecord<>(topic, e.customerE164(), e.json());
            r.headers().add(CallEventIntake.EVENT_ID, e.id().getBytes(StandardCharsets.UTF_8))
                    .add(CallEventIntake.EVENT_TYPE, e.type().getBytes(StandardCharsets.UTF_8))
                    .add(CallEventIntake.CUSTOMER, e.customerE164().getBytes(StandardCharsets.UTF_8))
                    .add("content-type", "application/cloudevents+json".getBytes(StandardCharsets.UTF_8));
            sent.add(producer.send(r));
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        try {
            for (Future<?> f : sent) {
                f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (ExecutionException e) {
            throw e.getCause() instanceof KafkaException ke ? ke : new KafkaException(e.getCause());
        } catch (TimeoutException e) {
            throw new org.apache.kafka.common.errors.TimeoutException("no acknowledgement from Kafka within " + timeoutMs + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted while publishing events", e);
        }
    }

    @Override
    protected void doStart() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, String.valueOf(timeoutMs));
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(timeoutMs));
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, String.valueOf(timeoutMs));
        p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    @Override
    protected void doStop() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(2));
        }
    }
}
