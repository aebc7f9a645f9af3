package io.callbridge.identify;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.callbridge.broker.KafkaClients;
import io.callbridge.crm.ChangeNotifications.RecordChange;
import org.apache.camel.support.service.ServiceSupport;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A CRM sends each notification to one instance (the one its load balancer picked): the others follow
 * {@value CrmChanges#TOPIC} from its end, without a consumer group, and drop their cached callers of each record changed
 * there too. The events name what changed, not the values, so these instances cannot tell Callbridge's own write told
 * back: they drop the record and ask the CRM at the next lookup. Events this instance published itself are skipped.
 */
public final class CrmChangeFollower extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(CrmChangeFollower.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KafkaClients clients;
    private final Callers callers;
    private final String instance;
    private KafkaConsumer<String, byte[]> consumer;
    private Thread follower;

    /** @param instance the id this instance's {@link CrmChanges} marks its events with */
    public CrmChangeFollower(KafkaClients clients, Callers callers, String instance) {
        this.clients = clients;
        this.callers = callers;
        this.instance = instance;
    }

    @Override
    protected void doStart() {
        consumer = new KafkaConsumer<>(clients.properties(Map.of(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false")),
                new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(CrmChanges.TOPIC, Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(CrmChanges.TOPIC, p.partition())).toList();
        consumer.assign(partitions);
        // what changed before this instance started is not in its cache
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        follower = new Thread(this::follow, "callbridge-crm-change-follower");
        follower.setDaemon(true);
        follower.start();
    }

    @Override
    protected void doStop() throws InterruptedException {
        if (consumer != null) {
            consumer.wakeup();
        }
        if (follower != null) {
            follower.join(5000);
        }
    }

    private void follow() {
        try {
            while (isRunAllowed()) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofSeconds(1))) {
                    apply(r);
                }
            }
        } catch (WakeupException e) {
            // stopping
        } finally {
            KafkaClients.closeReader(consumer);
        }
    }

    private void apply(ConsumerRecord<String, byte[]> r) {
        try {
            JsonNode e = JSON.readTree(r.value());
            if (instance.equals(e.path(CrmChanges.INSTANCE_ATTRIBUTE).asText())) {
                return;
            }
            JsonNode data = e.path("data");
            Map<String, String> named = new HashMap<>();
            data.path("properties").forEach(p -> named.put(p.asText(), null));
            RecordChange change = new RecordChange(data.path("recordId").asText(), data.path("change").asText("updated"), named,
                    List.of(), Instant.parse(e.path("time").asText(Instant.now().toString())));
            int dropped = callers.changed(data.path("crm").asText(), change);
            LOG.debug("{} told another instance of a change; {} cached callers dropped here", data.path("crm").asText(), dropped);
        } catch (java.io.IOException | RuntimeException ex) {
            LOG.warn("a change on {} at offset {} could not be read: {}", CrmChanges.TOPIC, r.offset(), ex.getMessage());
        }
    }
}
