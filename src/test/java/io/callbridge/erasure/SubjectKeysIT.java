package io.callbridge.erasure;

import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.callbridge.broker.EmbeddedKafkaBroker;
import io.callbridge.broker.KafkaClients;
import io.callbridge.broker.TopicProvisioner;
import io.callbridge.state.KafkaBackedStore;
import io.callbridge.support.TestBroker;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two instances' key stores on one real topic: a key one of them created a moment ago is found by the other (a missing
 * key must mean erased, never "not yet seen", or the other's consumers would skip a live caller's records), and a
 * shredded one is gone for both.
 */
class SubjectKeysIT {

    @Test
    void aKeyAnotherInstanceJustCreatedIsFoundAndAShreddedOneIsGoneForBoth() {
        EmbeddedKafkaBroker broker = TestBroker.shared();
        String topic = "callbridge.subject-keys-it-" + UUID.randomUUID();
        KafkaClients clients = KafkaClients.plain(broker.bootstrapServers());
        TopicProvisioner.ensureTopics(clients, List.of(new TopicProvisioner.TopicSpec(topic, Map.of("cleanup.policy", "compact"))), 3,
                (short) 1, 10_000);
        SubjectCipher cipher = new SubjectCipher(Base64.getDecoder().decode(SubjectCipher.newMasterKey()));
        KafkaBackedStore here = new KafkaBackedStore(topic, clients, Long.MAX_VALUE, 5000);
        KafkaBackedStore there = new KafkaBackedStore(topic, clients, Long.MAX_VALUE, 5000);
        here.start();
        there.start();
        try {
            SubjectKeys created = new SubjectKeys(here, cipher);
            SubjectKeys other = new SubjectKeys(there, cipher);
            for (int i = 0; i < 20; i++) {
                String subject = cipher.pseudonym("+4179555" + String.format("%04d", i));
                SubjectKeys.DataKey key = created.current(subject);

                assertThat(other.find(subject, key.id())).as("found at once by the other instance").hasValue(key.key());
            }

            String erased = cipher.pseudonym("+41795550000");
            String id = created.current(erased).id();
            assertThat(other.find(erased, id)).as("opened once there, so that instance holds the key unwrapped").isPresent();
            assertThat(created.shred(erased)).isEqualTo(2);
            assertThat(created.find(erased, id)).isEmpty();
            // the other instance holds the key until its mirror meets the tombstone: a poll of the key topic
            await().atMost(Duration.ofSeconds(5)).until(() -> other.find(erased, id).isEmpty());
            assertThat(created.current(erased).id()).as("the next call starts with a new key").isNotEqualTo(id);
        } finally {
            here.stop();
            there.stop();
        }
    }
}
