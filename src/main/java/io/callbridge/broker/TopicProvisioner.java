package io.callbridge.broker;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.AuthenticationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates the topics Callbridge needs when they are missing; existing topics are left as they are. */
public final class TopicProvisioner {

    private static final Logger LOG = LoggerFactory.getLogger(TopicProvisioner.class);

    private TopicProvisioner() {
    }

    public static void ensureTopics(KafkaClients clients, Collection<TopicSpec> topics, int partitions,
            short replication, long timeoutMs) {
        String bootstrapServers = clients.brokers();
        try (Admin admin = clients.admin("callbridge-topics", timeoutMs)) {
            Set<String> existing = admin.listTopics().names().get(timeoutMs, TimeUnit.MILLISECONDS);
            List<NewTopic> missing = new ArrayList<>();
            for (TopicSpec spec : topics) {
                if (!existing.contains(spec.name())) {
                    missing.add(new NewTopic(spec.name(), spec.partitions() > 0 ? spec.partitions() : partitions, replication)
                            .configs(spec.configs()));
                }
            }
            if (missing.isEmpty()) {
                return;
            }
            admin.createTopics(missing).all().get(timeoutMs, TimeUnit.MILLISECONDS);
            LOG.info("Created topics {} with {} partitions, replication {}",
                    missing.stream().map(t -> t.numPartitions() == partitions ? t.name() : t.name() + " (" + t.numPartitions() + ")")
                            .toList(), partitions, replication);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException) {
                return; // another instance created it in the meantime
            }
            if (e.getCause() instanceof AuthenticationException) {
                // Kafka's message names the mechanism and what failed, never the credential
                throw new IllegalStateException("Kafka brokers " + bootstrapServers + " refused Callbridge's authentication: "
                        + e.getCause().getMessage() + "; check " + KafkaSettings.CLIENT_CONFIG.key(), e.getCause());
            }
            if (e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException) {
                // the admin client's own limit, as long as ours: what a wrong address and a missing TLS or SASL look like
                throw unanswered(bootstrapServers, timeoutMs, e.getCause());
            }
            throw new IllegalStateException("Could not create Kafka topics on " + bootstrapServers + ": "
                    + e.getCause().getMessage(), e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw unanswered(bootstrapServers, timeoutMs, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating Kafka topics", e);
        }
    }

    private static IllegalStateException unanswered(String bootstrapServers, long timeoutMs, Throwable cause) {
        return new IllegalStateException("Kafka brokers " + bootstrapServers + " did not answer within " + timeoutMs + " ms; check "
                + KafkaSettings.BROKERS.key() + " and, for a cluster that requires TLS or SASL, " + KafkaSettings.CLIENT_CONFIG.key(), cause);
    }

    /** @param partitions its own number of partitions; 0: the configured number */
    public record TopicSpec(String name, Map<String, String> configs, int partitions) {
        public TopicSpec(String name, Map<String, String> configs) {
            this(name, configs, 0);
        }

        public static TopicSpec of(String name) {
            return new TopicSpec(name, Map.of());
        }
    }
}
