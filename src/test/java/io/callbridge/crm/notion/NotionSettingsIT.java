package io.callbridge.crm.notion;

import io.callbridge.Callbridge;
import io.callbridge.support.TestBroker;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Start-up refuses a Notion configuration the connector cannot work with, naming the key to fix. */
class NotionSettingsIT {

    private static Main notion(String key, String value) {
        Main main = Callbridge.create();
        main.addOverrideProperty("callbridge.http.port", "0");
        main.addOverrideProperty("callbridge.http.plain", "true");
        main.addOverrideProperty("callbridge.kafka.brokers", TestBroker.shared().bootstrapServers());
        main.addOverrideProperty("callbridge.crm.notion.enabled", "true");
        main.addOverrideProperty("callbridge.crm.notion.base-url", "https://api.notion.com");
        main.addOverrideProperty("callbridge.crm.notion.token", "ntn_placeholder");
        main.addOverrideProperty(key, value);
        return main;
    }

    @Test
    void aVersionWithoutDataSourcesStopsStartUpNamingTheSetting() {
        Main main = notion("callbridge.crm.notion.notion-version", "2022-06-28");
        assertThatThrownBy(main::start).hasMessageContaining("callbridge.crm.notion.notion-version").hasMessageContaining("2025-09-03");
        main.stop();
    }

    @Test
    void aMissingSecretStopsStartUpNamingTheSetting() {
        Main main = notion("callbridge.crm.notion.token", "");
        assertThatThrownBy(main::start).hasMessageContaining("callbridge.crm.notion.token");
        main.stop();
    }
}
