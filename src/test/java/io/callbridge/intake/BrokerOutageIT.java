package io.callbridge.intake;

import java.net.http.HttpResponse;
import java.time.Duration;

import io.callbridge.broker.EmbeddedKafkaBroker;
import io.callbridge.support.CallbridgeApp;
import io.callbridge.support.Events;
import io.callbridge.support.TestBroker;
import io.callbridge.support.Topics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The broker is the durability promise: when it cannot acknowledge, intake says so quickly and accepts nothing. */
class BrokerOutageIT {

    private static EmbeddedKafkaBroker broker;
    private static CallbridgeApp app;

    @BeforeAll
    static void start() {
        broker = TestBroker.fresh();
        app = CallbridgeApp.on(broker).start();
    }

    @AfterAll
    static void stop() {
        app.close();
        broker.close();
    }

    @Test
    void brokerDownAnswers503WithinFiveSecondsAndBrokerBackAnswers202() {
        assertThat(post(Events.exampleWithNewId().toString()).statusCode()).isEqualTo(202);

        broker.close();
        String during = Events.exampleWithNewId().toString();
        long begin = System.nanoTime();
        HttpResponse<String> refused = post(during);
        long elapsedMs = (System.nanoTime() - begin) / 1_000_000;

        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
        assertThat(elapsedMs).as("answered within 5 s").isLessThan(5_000);
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("5");
        assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");

        broker.start();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .until(() -> post(during).statusCode() == 202);
        String id = Events.parse(during.getBytes()).get("id").asText();
        assertThat(Topics.readAll(broker, "callbridge.call-events").stream()
                .filter(r -> id.equals(Events.parse(r.value()).path("id").asText())).count())
                .as("the refused event, once retried, is on the topic exactly once").isEqualTo(1);
    }

    private static HttpResponse<String> post(String json) {
        return Events.post(app.uri("/v1/call-events"), "application/cloudevents+json", json.getBytes());
    }
}
