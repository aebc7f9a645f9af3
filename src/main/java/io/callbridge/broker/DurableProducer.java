package io.callbridge.broker;

import java.util.Properties;

import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * The settings of every producer whose writes Callbridge counts on (call events, commands, dead letters, the
 * ledger): acknowledged by all in-sync replicas, idempotent, and one time limit for blocking, the request and the
 * delivery, so a broker that is gone fails the write within it instead of after Kafka's two minutes.
 */
public final class DurableProducer {

    private DurableProducer() {
    }

    public static Properties properties(String brokers, String clientId, long timeoutMs) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
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
