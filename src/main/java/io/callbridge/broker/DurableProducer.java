package io.callbridge.broker;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;

/**
 * The settings of every producer whose writes Callbridge counts on (call events, commands, dead letters, the
 * ledger): acknowledged by all in-sync replicas, idempotent, and one time limit for blocking, the request and the
 * delivery, so a broker that is gone fails the write within it instead of after Kafka's two minutes.
 */
public final class DurableProducer {

    private DurableProducer() {
    }

    /**
     * Waits until the broker acknowledged every one of these sends, all within one {@code timeoutMs}: they were all
     * sent before the first is waited for, so a batch costs one round trip. A refusal is its {@link KafkaException},
     * no acknowledgement in time a {@link org.apache.kafka.common.errors.TimeoutException} naming {@code what}.
     */
    public static void awaitAll(List<? extends Future<?>> sent, long timeoutMs, String what) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        try {
            for (Future<?> f : sent) {
                f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (ExecutionException e) {
            throw e.getCause() instanceof KafkaException ke ? ke : new KafkaException(e.getCause());
        } catch (TimeoutException e) {
            throw new org.apache.kafka.common.errors.TimeoutException(what + ": no acknowledgement from Kafka within " + timeoutMs + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException(what + ": interrupted while waiting for Kafka", e);
        }
    }

    /** What such a producer sets, for {@link KafkaClients#properties}; {@code clientId} null: Kafka numbers it. */
    public static Map<String, Object> settings(String clientId, long timeoutMs) {
        Map<String, Object> p = new LinkedHashMap<>();
        if (clientId != null) {
            p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        }
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, String.valueOf(timeoutMs));
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(timeoutMs));
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, String.valueOf(timeoutMs));
        // a write is waited for; lingering would only add its time to every one
        p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        return p;
    }
}
