package io.callbridge.audit;

import java.time.Clock;

import io.callbridge.broker.KafkaClients;
import io.callbridge.broker.Publisher;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What a route's first audit step keeps of the request: its action, an id to find it by, a target without personal data. */
class AuditedExchangeTest {

    private final AuditTrail trail = new AuditTrail(new Publisher("unused", KafkaClients.plain("localhost:1"), 1), Clock.systemUTC(), 60,
            new AuditMetrics(new SimpleMeterRegistry()));

    private Exchange request(String path) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.getMessage().setHeader(Exchange.HTTP_PATH, path);
        return exchange;
    }

    @Test
    void theTargetIsThePathWithAnyPhoneNumberInItMasked() {
        Exchange erase = request("/v1/subjects/+41791234567");
        trail.audited(erase, "subject.erase");
        assertThat(erase.getProperty(AuditTrail.ACTION)).isEqualTo("subject.erase");
        assertThat(erase.getProperty(AuditTrail.TARGET, String.class)).isEqualTo("/v1/subjects/+41*******67");

        Exchange typed = request("/v1/subjects/079 123 45 67");
        trail.audited(typed, "subject.erase");
        assertThat(typed.getProperty(AuditTrail.TARGET, String.class)).doesNotContain("123 45");
    }

    @Test
    void aTargetTheActionSetsStaysAndALongOneIsCut() {
        Exchange exchange = request("/v1/dlq/hubspot/replay");
        AuditTrail.target(exchange, "x".repeat(1000));
        trail.audited(exchange, "dlq.replay");
        assertThat(exchange.getProperty(AuditTrail.TARGET, String.class)).hasSize(AuditTrail.MAX_TARGET).endsWith("…");
    }

    @Test
    void theRequestIdIsTheClientsWhenItIsPlainElseTheTraceId() {
        Exchange named = request("/v1/audit");
        named.getMessage().setHeader("X-Request-Id", "c0ffee-42");
        trail.audited(named, "audit.read");
        assertThat(named.getProperty(AuditTrail.REQUEST_ID)).isEqualTo("c0ffee-42");

        Exchange hostile = request("/v1/audit");
        hostile.getMessage().setHeader("X-Request-Id", "a\r\nforged: line");
        hostile.getMessage().setHeader("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
        trail.audited(hostile, "audit.read");
        assertThat(hostile.getProperty(AuditTrail.REQUEST_ID)).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");

        Exchange none = request("/v1/audit");
        none.getMessage().setHeader("X-Request-Id", "y".repeat(500));
        trail.audited(none, "audit.read");
        assertThat(none.getProperty(AuditTrail.REQUEST_ID)).isNull();
    }
}
