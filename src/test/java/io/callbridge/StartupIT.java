package io.callbridge;

import java.net.http.HttpRequest;

import io.callbridge.support.CallbridgeApp;
import io.callbridge.support.Events;
import io.callbridge.support.TestBroker;
import io.callbridge.support.Topics;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Start-up: production never falls back to anything embedded, and what it needs exists before traffic. */
class StartupIT {

    @Test
    void withoutAProfileAndWithoutBrokersStartUpFailsSayingWhichSettingToSet() {
        Main main = Callbridge.create();
        main.addOverrideProperty("callbridge.http.port", "0");
        assertThatThrownBy(main::start)
                .hasMessageContaining("callbridge.kafka.brokers is not set")
                .hasMessageContaining("dev profile");
        main.stop();
    }

    @Test
    void anUnknownDefaultRegionStopsStartUp() {
        Main main = Callbridge.create();
        main.addOverrideProperty("callbridge.kafka.brokers", TestBroker.shared().bootstrapServers());
        main.addOverrideProperty("callbridge.default-region", "Helvetia");
        assertThatThrownBy(main::start).hasMessageContaining("callbridge.default-region");
        main.stop();
    }

    @Test
    void aBrokenMappingStopsStartUpWithItsFileAndLine() {
        var copy = io.callbridge.support.MappingsCopy.of(java.nio.file.Path.of("mappings"));
        copy.replace("rules.yaml", "      - update-contact\n", "      - update-kontakt\n");
        Main main = Callbridge.create();
        main.addOverrideProperty("callbridge.kafka.brokers", TestBroker.shared().bootstrapServers());
        main.addOverrideProperty("callbridge.mappings.dir", copy.dir().toString());
        assertThatThrownBy(main::start).hasMessageContaining("rules.yaml:").hasMessageContaining("unknown action 'update-kontakt'");
        main.stop();
    }

    @Test
    void anEnabledCrmWithoutItsUrlStopsStartUpWithTheKeyToSet() {
        Main main = Callbridge.create();
        main.addOverrideProperty("callbridge.kafka.brokers", TestBroker.shared().bootstrapServers());
        main.addOverrideProperty("callbridge.crm.webhook.enabled", "true");
        assertThatThrownBy(main::start).hasMessageContaining("callbridge.crm.webhook.url is not set");
        main.stop();
        Main hubspot = Callbridge.create();
        hubspot.addOverrideProperty("callbridge.kafka.brokers", TestBroker.shared().bootstrapServers());
        hubspot.addOverrideProperty("callbridge.crm.hubspot.enabled", "true");
        hubspot.addOverrideProperty("callbridge.crm.hubspot.base-url", "https://api.hubapi.com");
        assertThatThrownBy(hubspot::start).hasMessageContaining("callbridge.crm.hubspot.token is not set");
        hubspot.stop();
    }

    @Test
    void theTopicsOfTheDesignAreCreatedWithTheConfiguredPartitionsForEveryEnabledCrm() {
        var broker = TestBroker.fresh();
        try (CallbridgeApp app = CallbridgeApp.on(broker)
                .with("callbridge.kafka.partitions", "3")
                .with("callbridge.crm.webhook.enabled", "true")
                .with("callbridge.crm.webhook.url", "http://localhost:1/hook")
                .start()) {
            for (String topic : new String[] {"callbridge.call-events", "callbridge.dlq.intake",
                    "callbridge.notifications", "callbridge.crm.webhook", "callbridge.dlq.webhook"}) {
                assertThat(Topics.partitions(broker, topic)).as(topic).isEqualTo(3);
            }
            assertThat(Events.send(HttpRequest.newBuilder(app.uri("/observe/health")).build()).statusCode())
                    .isEqualTo(200);
        } finally {
            broker.close();
        }
    }
}
