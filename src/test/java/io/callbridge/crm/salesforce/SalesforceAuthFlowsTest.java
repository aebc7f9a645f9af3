package io.callbridge.crm.salesforce;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import io.callbridge.config.Settings;
import io.callbridge.delivery.CrmException;
import io.callbridge.sandbox.CrmSandbox;
import io.callbridge.sandbox.SandboxSettings;
import io.callbridge.support.Events;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The three OAuth flows, configured only through {@code callbridge.crm.salesforce.*}, log camel-salesforce
 * in against the Salesforce sandbox; missing credentials stop start-up with the key to set; secrets never
 * show in the settings' text.
 */
class SalesforceAuthFlowsTest {

    private static CrmSandbox sandbox;

    @BeforeAll
    static void start() throws Exception {
        sandbox = CrmSandbox.start(SandboxSettings.builder().port(0).seed(5)
                .config("salesforce", Map.of("client-id", "flow-client", "client-secret", "flow-secret",
                        "refresh-token", "flow-refresh", "username", "flows@example.test",
                        "jwt-certificate", java.nio.file.Path.of(SalesforceAuthFlowsTest.class
                                .getResource("/sandbox/salesforce/jwt-test.crt").toURI()).toString()))
                .build());
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    @Test
    void clientCredentials() throws Exception {
        assertLogsInAndReadsTheLimits(Map.of("client-id", "flow-client", "client-secret", "flow-secret"),
                SalesforceSettings.Flow.CLIENT_CREDENTIALS);
    }

    @Test
    void refreshToken() throws Exception {
        assertLogsInAndReadsTheLimits(Map.of("client-id", "flow-client", "client-secret", "flow-secret",
                "refresh-token", "flow-refresh"), SalesforceSettings.Flow.REFRESH_TOKEN);
    }

    @Test
    void jwtBearer() throws Exception {
        assertLogsInAndReadsTheLimits(Map.of("client-id", "flow-client", "username", "flows@example.test",
                "jwt-keystore", "sandbox/salesforce/jwt-test.p12", "jwt-keystore-password", "sandbox-test"),
                SalesforceSettings.Flow.JWT);
    }

    @Test
    void aRefusedLoginIsA401ForTheDeliveryCoreSoTheCommandIsRetriedNotSetAside() throws Exception {
        CamelContext camel = camel(Map.of("client-id", "flow-client", "client-secret", "wrong-secret"));
        try {
            SalesforceConnector connector = camel.getRegistry().lookupByNameAndType("salesforceConnector", SalesforceConnector.class);
            assertThatThrownBy(() -> connector.ensureSession(camel)).isInstanceOfSatisfying(CrmException.class,
                    e -> assertThat(e.status()).isEqualTo(401));
        } finally {
            camel.stop();
        }
    }

    @Test
    void missingCredentialsStopStartUpWithTheKeyToSet() {
        assertThatThrownBy(() -> settings(Map.of("client-id", "x")))
                .hasMessageContaining("callbridge.crm.salesforce.client-secret is not set");
        assertThatThrownBy(() -> settings(Map.of("client-id", "x", "auth-flow", "refresh-token")))
                .hasMessageContaining("callbridge.crm.salesforce.refresh-token is not set");
        assertThatThrownBy(() -> settings(Map.of("client-id", "x", "auth-flow", "jwt", "username", "u")))
                .hasMessageContaining("callbridge.crm.salesforce.jwt-keystore is not set");
        assertThatThrownBy(() -> settings(Map.of("client-id", "x", "client-secret", "y", "unknown-caller", "account")))
                .hasMessageContaining("use lead, contact or unlinked");
        assertThat(settings(Map.of("client-id", "x", "client-secret", "very-secret", "refresh-token", "refresh-secret")).toString())
                .doesNotContain("very-secret").doesNotContain("refresh-secret");
    }

    private static void assertLogsInAndReadsTheLimits(Map<String, String> credentials, SalesforceSettings.Flow flow) throws Exception {
        CamelContext camel = camel(credentials);
        try {
            SalesforceConnector connector = camel.getRegistry().lookupByNameAndType("salesforceConnector", SalesforceConnector.class);
            assertThat(connector.settings().flow()).isEqualTo(flow);
            connector.ensureSession(camel);
            Object answer = camel.createProducerTemplate().requestBodyAndHeaders("direct:limits", null,
                    Map.of("rawMethod", "GET", "rawPath", "/services/data/v60.0/limits"));
            JsonNode limits = Events.parse(camel.getTypeConverter().mandatoryConvertTo(String.class, answer)
                    .getBytes(StandardCharsets.UTF_8));
            assertThat(limits.path("DailyApiRequests").path("Max").asLong()).isPositive();
        } finally {
            camel.stop();
        }
    }

    private static CamelContext camel(Map<String, String> credentials) throws Exception {
        CamelContext camel = new DefaultCamelContext();
        camel.getPropertiesComponent().setInitialProperties(properties(credentials));
        SalesforceBeans.bind(camel, new Settings(camel));
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:limits").to("salesforce:raw?rawPayload=true&format=JSON");
            }
        });
        camel.start();
        return camel;
    }

    private static SalesforceSettings settings(Map<String, String> values) {
        CamelContext camel = new DefaultCamelContext();
        camel.getPropertiesComponent().setInitialProperties(properties(values));
        return SalesforceSettings.from(new Settings(camel));
    }

    private static Properties properties(Map<String, String> values) {
        Properties p = new Properties();
        p.put("callbridge.crm.salesforce.enabled", "true");
        p.put("callbridge.crm.salesforce.login-url", sandbox.baseUrl("salesforce"));
        values.forEach((k, v) -> p.put("callbridge.crm.salesforce." + k, v));
        return p;
    }
}
