package io.callbridge.broker;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import io.callbridge.broker.TopicProvisioner.TopicSpec;
import io.callbridge.support.TestBroker;
import io.callbridge.support.Topics;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EmbeddedKafkaBrokerIT {

    @Test
    void aRestartedBrokerStillHasItsTopicsAndMessages() {
        Path dir = TestBroker.tempDir();
        int port = EmbeddedKafkaBroker.freePort();
        try (EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(port, 0, dir, 3).start()) {
            TopicProvisioner.ensureTopics(KafkaClients.plain(broker.bootstrapServers()), List.of(TopicSpec.of("kept")), 3, (short) 1, 10_000);
            Topics.send(broker, "kept", "k", "before restart".getBytes(StandardCharsets.UTF_8));
        }
        try (EmbeddedKafkaBroker again = new EmbeddedKafkaBroker(port, 0, dir, 3).start()) {
            assertThat(Topics.readAll(again, "kept"))
                    .extracting(r -> new String(r.value(), StandardCharsets.UTF_8))
                    .containsExactly("before restart");
        }
    }

    @Test
    void provisioningLeavesExistingTopicsAloneAndCreatesMissingOnes() {
        var broker = TestBroker.shared();
        String name = "provisioned-" + System.nanoTime();
        TopicProvisioner.ensureTopics(KafkaClients.plain(broker.bootstrapServers()), List.of(TopicSpec.of(name)), 4, (short) 1, 10_000);
        TopicProvisioner.ensureTopics(KafkaClients.plain(broker.bootstrapServers()), List.of(TopicSpec.of(name)), 2, (short) 1, 10_000);
        Topics.send(broker, name, "k", new byte[] {1});
        assertThat(Topics.partitions(broker, name)).isEqualTo(4);
    }
}
