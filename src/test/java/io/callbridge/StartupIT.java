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
        main.addOverrideProperty("callbridge.http.plain", "true");
        assertThatThrownBy(main::start)
                .hasMessageContaining("callbridge.kafka.brokers is not set")
                .hasMessageContaining("dev profile");
        main.stop();
    }

    @Test
    void anUnknownDefaultRegionStopsStartUp() {
        Main main = production();
        main.addOverrideProperty("callbridge.default-region", "Helvetia");
        assertThatThrownBy(main::start).hasMessageContaining("callbridge.default-region");
        main.stop();
    }

    @Test
    void aBrokenMappingStopsStartUpWithItsFileAndLine() {
        var copy = io.callbridge.support.MappingsCopy.of(java.nio.file.Path.of("mappings"));
        copy.replace("rules.yaml", "      - update-contact\n", "      - update-kontakt\n");
        Main main = production();
        main.addOverrideProperty("callbridge.mappings.dir", copy.dir().toString());
        assertThatThrownBy(main::start).hasMessageContaining("rules.yaml:").hasMessageContaining("unknown action 'update-kontakt'");
        main.stop();
    }

    /** Callbridge as production starts it, on the shared broker, serving plain HTTP (as behind a proxy that ends TLS). */
    private static Main production() {
        Main main = Callbridge.create();
        main.addOverrideProperty("callbridge.kafka.brokers", TestBroker.shared().bootstrapServers());
        main.addOverrideProperty("callbridge.http.port", "0");
        main.addOverrideProperty("callbridge.http.plain", "true");
        return main;
    }

    @Test
    void withoutACertificateStartUpFailsUnlessPlainHttpIsAskedForByName() {
        Main main = Callbridge.create();
        main.addOverrideProperty("callbridge.kafka.brokers", TestBroker.shared().bootstrapServers());
        main.addOverrideProperty("callbridge.http.port", "0");
        assertThatThrownBy(main::start).hasMessageContaining("callbridge.http.tls.cert-file and callbridge.http.tls.key-file "
                + "are not set").hasMessageContaining("callbridge.http.plain=true");
        main.stop();
        Main both = production();
        both.addOverrideProperty("callbridge.http.tls.cert-file", "README.md");
        assertThatThrownBy(both::start).hasMessageContaining("callbridge.http.plain=true and callbridge.http.tls.cert-file are both set");
        both.stop();
        Main unreadable = Callbridge.create();
        unreadable.addOverrideProperty("callbridge.kafka.brokers", TestBroker.shared().bootstrapServers());
        unreadable.addOverrideProperty("callbridge.http.port", "0");
        unreadable.addOverrideProperty("callbridge.http.tls.cert-file", "/nonexistent/cert.pem");
        unreadable.addOverrideProperty("callbridge.http.tls.key-file", "/nonexistent/key.pem");
        assertThatThrownBy(unreadable::start).hasMessageContaining("callbridge.http.tls.cert-file names /nonexistent/cert.pem, "
                + "which cannot be read");
        unreadable.stop();
    }

    @Test
    void aCrmUrlInPlainHttpStopsStartUpUnlessThatCrmIsAllowedPlainHttp() {
        Main main = production();
        main.addOverrideProperty("callbridge.crm.hubspot.enabled", "true");
        main.addOverrideProperty("callbridge.crm.hubspot.base-url", "http://api.hubapi.com");
        main.addOverrideProperty("callbridge.crm.hubspot.token", "pat-placeholder");
        assertThatThrownBy(main::start).hasMessageContaining("callbridge.crm.hubspot.base-url is http://api.hubapi.com")
                .hasMessageContaining("callbridge.crm.hubspot.allow-plain-http=true");
        main.stop();
    }

    @Test
    void anEnabledCrmWithoutItsUrlStopsStartUpWithTheKeyToSet() {
        Main main = production();
        main.addOverrideProperty("callbridge.crm.webhook.enabled", "true");
        assertThatThrownBy(main::start).hasMessageContaining("callbridge.crm.webhook.url is not set");
        main.stop();
        Main hubspot = production();
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
