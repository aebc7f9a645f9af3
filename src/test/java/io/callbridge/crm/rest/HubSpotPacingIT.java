package io.callbridge.crm.rest;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import io.callbridge.support.TestBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A stream of 120 call events (240 writes, 120 lookups) against HubSpot's default limits: nothing is
 * lost, fewer than 1 % of HubSpot's answers are 429. The 500-event stream of the DESIGN.md example is
 * {@link HubSpotStreamBenchmark} (BENCHMARKS.md); it takes minutes because HubSpot allows 10 writes a second.
 */
class HubSpotPacingIT {

    private static HubSpotStream stream;

    @BeforeAll
    static void start() {
        stream = new HubSpotStream(TestBroker.shared(), 30, Map.of());
    }

    @AfterAll
    static void stop() {
        stream.close();
    }

    @Test
    void aStreamAtHubSpotsDefaultLimitsLosesNothingAndMeetsFewerThanOnePercent429s() throws Exception {
        HubSpotStream.Result result = stream.run(120, HubSpotStream::shortCall, Duration.ofSeconds(90));

        System.out.println("HubSpot stream: " + result);
        assertThat(result.commands()).isEqualTo(240);
        assertThat(result.dead()).as("no dead letter").isZero();
        assertThat(result.share429()).as(result.toString()).isLessThan(0.01);
        List<JsonNode> calls = stream.allCalls();
        Set<String> ids = calls.stream().map(c -> c.at("/properties/callbridge_command_id").asText()).collect(Collectors.toSet());
        assertThat(calls).as("one call per event, none twice").hasSize(120);
        assertThat(ids).hasSize(120);
        assertThat(stream.crms.hubspot.json("GET", "/crm/v3/objects/contacts?limit=100", null).get("results"))
                .as("known callers: no contact created").hasSize(30);
    }
}
