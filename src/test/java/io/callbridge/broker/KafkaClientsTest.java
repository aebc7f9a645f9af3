package io.callbridge.broker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import org.apache.camel.component.kafka.KafkaConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The client-config file reaches every client, Callbridge's and camel-kafka's, and never changes what Callbridge
 * sets for its own correctness: a file that tries is refused at start-up with the reason, and no error or
 * description repeats a value of the file.
 */
class KafkaClientsTest {

    private static final String SECRET = "s3cr3t-" + System.nanoTime();
    private static final String JAAS = "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"callbridge\" "
            + "password=\"" + SECRET + "\";";

    @TempDir
    Path dir;

    private Path file(String... lines) throws IOException {
        Path f = dir.resolve("kafka-client.properties");
        Files.write(f, java.util.List.of(lines));
        return f;
    }

    private Path securityFile() throws IOException {
        return file("security.protocol=SASL_SSL", "sasl.mechanism=SCRAM-SHA-512", "sasl.jaas.config=" + JAAS.replace("\"", "\\\""),
                "ssl.truststore.location=/run/secrets/truststore.p12");
    }

    @Test
    void everyClientGetsTheFilesSettingsTheBrokersAndItsOwn() throws IOException {
        KafkaClients clients = KafkaClients.load("k1:9093,k2:9093", Optional.of(securityFile().toString()));

        Properties p = clients.properties(Map.of("acks", "all", "group.id", "callbridge-core"));

        assertThat(p).containsEntry("bootstrap.servers", "k1:9093,k2:9093").containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512").containsEntry("sasl.jaas.config", JAAS)
                .containsEntry("ssl.truststore.location", "/run/secrets/truststore.p12")
                .containsEntry("acks", "all").containsEntry("group.id", "callbridge-core");
    }

    @Test
    void withoutAFileAClientHasTheBrokersAndItsOwnSettingsOnly() {
        Properties p = KafkaClients.load("k1:9092", Optional.empty()).properties(Map.of("enable.auto.commit", "false"));

        assertThat(p).containsOnlyKeys("bootstrap.servers", "enable.auto.commit");
    }

    @Test
    void camelKafkasProducersAndConsumersGetTheFilesSettingsOverItsDefaultsAndKeepCallbridgesOwn() throws IOException {
        KafkaConfiguration camel = new KafkaConfiguration();
        camel.setRequestRequiredAcks("all");
        camel.setAdditionalProperties(new java.util.HashMap<>(Map.of("client.rack", "zone-a")));

        KafkaClients.load("k1:9093", Optional.of(securityFile().toString())).applyTo(camel);

        assertThat(camel.getBrokers()).isEqualTo("k1:9093");
        // camel-kafka's own security.protocol is PLAINTEXT unless set: the file's wins, as it is applied last
        for (Properties p : java.util.List.of(camel.createProducerProperties(), camel.createConsumerProperties())) {
            assertThat(p).containsEntry("security.protocol", "SASL_SSL")
                    .containsEntry("sasl.mechanism", "SCRAM-SHA-512").containsEntry("sasl.jaas.config", JAAS)
                    .containsEntry("client.rack", "zone-a");
        }
        assertThat(camel.createProducerProperties()).containsEntry("acks", "all");
    }

    @Test
    void aFileThatSetsWhatCallbridgeSetsStopsStartUpNamingEachAndWhy() throws IOException {
        Path f = file("security.protocol=SASL_SSL", "sasl.jaas.config=" + JAAS.replace("\"", "\\\""), "acks=1",
                "bootstrap.servers=elsewhere:9092", "enable.auto.commit=true", "isolation.level=read_uncommitted");

        assertThatThrownBy(() -> KafkaClients.load("k1:9093", Optional.of(f.toString())))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("callbridge.kafka.client-config (" + f + ")")
                .hasMessageContaining("acks (a write counts once every in-sync replica has it")
                .hasMessageContaining("bootstrap.servers (callbridge.kafka.brokers")
                .hasMessageContaining("enable.auto.commit (an offset is committed only once")
                .hasMessageContaining("isolation.level (")
                .message().doesNotContain("elsewhere").doesNotContain(SECRET).doesNotContain("security.protocol");
    }

    @Test
    void everyPropertyCallbridgeSetsIsReservedSoTheFileCannotSetItToo() {
        KafkaClients clients = KafkaClients.plain("k1:9092");

        assertThatThrownBy(() -> clients.properties(Map.of("fetch.min.bytes", 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fetch.min.bytes is set by Callbridge but not reserved");
        assertThat(clients.properties(DurableProducer.settings("callbridge-intake", 3000)))
                .as("the durable producer's settings are all reserved").containsEntry("acks", "all");
    }

    @Test
    void aFileThatCannotBeReadIsNamed() {
        Path missing = dir.resolve("no-such.properties");

        assertThatThrownBy(() -> KafkaClients.load("k1:9093", Optional.of(missing.toString())))
                .hasMessage("callbridge.kafka.client-config names " + missing + ", which cannot be read: NoSuchFileException");
    }

    @Test
    void theFilesContentGivenAsThePathIsRefusedWithoutRepeatingIt() {
        // what CALLBRIDGE_KAFKA_CLIENT_CONFIG_FILE=/run/secrets/kafka.properties yields: the file's content as the value
        String content = "security.protocol=SASL_SSL\nsasl.jaas.config=" + JAAS;

        assertThatThrownBy(() -> KafkaClients.load("k1:9093", Optional.of(content)))
                .hasMessageContaining("must be the path of a Kafka client properties file")
                .hasMessageContaining("CALLBRIDGE_KAFKA_CLIENT_CONFIG")
                .message().doesNotContain(SECRET).doesNotContain("SASL_SSL");
    }

    @Test
    void itsDescriptionNamesTheFileNotItsValues() throws IOException {
        Path f = securityFile();

        assertThat(KafkaClients.load("k1:9093", Optional.of(f.toString())).toString())
                .isEqualTo("Kafka clients of k1:9093, with the 4 properties of " + f).doesNotContain(SECRET);
    }
}
