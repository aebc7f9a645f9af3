package io.callbridge.crm.salesforce;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import io.callbridge.config.Settings;
import io.callbridge.crm.CallerSearch;
import io.callbridge.crm.CrmConnection;
import io.callbridge.crm.CrmContext;
import io.callbridge.crm.CrmException;
import io.callbridge.crm.CrmHttp;
import io.callbridge.crm.Outcome;
import io.callbridge.phone.PhoneFormats;
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
 * The three OAuth flows, configured only through {@code callbridge.crm.salesforce.*}, log in against the
 * Salesforce sandbox once for caller lookups and camel-salesforce alike (one session); a refused login is a
 * 401, retried, never set aside; missing credentials stop start-up with the key to set; secrets never show
 * in the settings' text.
 */
class SalesforceAuthFlowsIT {

    private static CrmSandbox sandbox;
    private static CrmHttp http;

    @BeforeAll
    static void start() throws Exception {
        sandbox = CrmSandbox.start(SandboxSettings.builder().port(0).seed(5)
                .config("salesforce", Map.of("client-id", "flow-client", "client-secret", "flow-secret",
                        "refresh-token", "flow-refresh", "username", "flows@example.test",
                        "jwt-certificate", java.nio.file.Path.of(SalesforceAuthFlowsIT.class
                                .getResource("/sandbox/salesforce/jwt-test.crt").toURI()).toString()))
                .build());
        http = new CrmHttp(Duration.ofSeconds(5), io.callbridge.crm.CrmMetrics.none());
    }

    @AfterAll
    static void stop() {
        http.close();
        sandbox.close();
    }

    @Test
    void clientCredentials() throws Exception {
        assertOneLoginServesLookupsAndTheConnector(Map.of("client-id", "flow-client", "client-secret", "flow-secret"));
    }

    @Test
    void refreshToken() throws Exception {
        assertOneLoginServesLookupsAndTheConnector(Map.of("client-id", "flow-client", "client-secret", "flow-secret",
                "refresh-token", "flow-refresh"));
    }

    @Test
    void jwtBearerServesCallerLookupsToo() throws Exception {
        assertOneLoginServesLookupsAndTheConnector(Map.of("client-id", "flow-client", "username", "flows@example.test",
                "jwt-keystore", "sandbox/salesforce/jwt-test.p12", "jwt-keystore-password", "sandbox-test"));
    }

    @Test
    void theJwtCertificatesExpiryIsOnTheMetrics() throws Exception {
        CamelContext camel = camel(Map.of("client-id", "flow-client", "username", "flows@example.test",
                "jwt-keystore", "sandbox/salesforce/jwt-test.p12", "jwt-keystore-password", "sandbox-test"));
        io.micrometer.core.instrument.simple.SimpleMeterRegistry meters = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        try {
            new SalesforceCrm().connect(new CrmContext(new Settings(camel), null, camel, http, java.time.Clock.systemUTC(),
                    new io.callbridge.crm.CrmMetrics(meters)));
            double seconds = meters.get("callbridge.crm.credential.expiry").tags("crm", "salesforce", "credential", "certificate")
                    .gauge().value();
            // jwt-test.crt is valid until 4 November 2126
            java.time.Instant notAfter = java.time.Instant.parse("2126-11-04T10:20:28Z");
            assertThat(seconds).isCloseTo(java.time.Duration.between(java.time.Instant.now(), notAfter).toSeconds(),
                    org.assertj.core.data.Offset.offset(120.0));
        } finally {
            camel.stop();
        }
    }

    @Test
    void aRefusedLoginIsA401SoTheCommandIsRetriedNotSetAside() throws Exception {
        CamelContext camel = camel(Map.of("client-id", "flow-client", "client-secret", "wrong-secret"));
        try {
            CallerSearch search = connect(camel).callerSearch().orElseThrow();
            camel.start();
            assertThatThrownBy(() -> search.candidates("+41791112233", new PhoneFormats("CH")).join())
                    .hasCauseInstanceOf(CrmException.class)
                    .satisfies(e -> {
                        assertThat(((CrmException) e.getCause()).status()).isEqualTo(401);
                        assertThat(Outcome.of(e, java.time.Clock.systemUTC())).isInstanceOf(Outcome.Retryable.class);
                    });
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

    /** A lookup logs in; camel-salesforce's request then reuses that session: one token request for both. */
    private static void assertOneLoginServesLookupsAndTheConnector(Map<String, String> credentials) throws Exception {
        CamelContext camel = camel(credentials);
        try {
            CallerSearch search = connect(camel).callerSearch().orElseThrow();
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:limits").to("salesforce:raw?rawPayload=true&format=JSON");
                }
            });
            camel.start();
            long loginsBefore = tokenRequests();
            assertThat(search.candidates("+41791112233", new PhoneFormats("CH")).get()).as("nobody has the number").isEmpty();
            Object answer = camel.createProducerTemplate().requestBodyAndHeaders("direct:limits", null,
                    Map.of("rawMethod", "GET", "rawPath", "/services/data/v60.0/limits"));
            JsonNode limits = Events.parse(camel.getTypeConverter().mandatoryConvertTo(String.class, answer)
                    .getBytes(StandardCharsets.UTF_8));
            assertThat(limits.path("DailyApiRequests").path("Max").asLong()).isPositive();
            assertThat(tokenRequests() - loginsBefore).as("one login for the lookup and the connector").isEqualTo(1);
        } finally {
            camel.stop();
        }
    }

    private static long tokenRequests() {
        JsonNode journal = Events.parse(Events.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(sandbox.adminUrl()
                + "/salesforce/requests")).GET().build()).body().getBytes(StandardCharsets.UTF_8));
        long n = 0;
        for (JsonNode entry : journal) {
            if (entry.path("path").asText().endsWith("/services/oauth2/token")) {
                n++;
            }
        }
        return n;
    }

    private static CrmConnection connect(CamelContext camel) {
        return new SalesforceCrm().connect(new CrmContext(new Settings(camel), null, camel, http, java.time.Clock.systemUTC(), io.callbridge.crm.CrmMetrics.none()));
    }

    private static CamelContext camel(Map<String, String> credentials) {
        CamelContext camel = new DefaultCamelContext();
        camel.getPropertiesComponent().setInitialProperties(properties(credentials));
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
