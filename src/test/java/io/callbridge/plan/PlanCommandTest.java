package io.callbridge.plan;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.callbridge.support.Events;
import io.callbridge.support.Samples;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** java -jar callbridge.jar plan events.json: the dry run offline, for a file of events. */
class PlanCommandTest {

    @Test
    void plansEveryEventOfAFile() throws Exception {
        Path file = Files.createTempFile("events", ".json");
        Files.writeString(file, "[" + Samples.designExample() + "," + Samples.minimal() + "]");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setProperty("callbridge.crm.salesforce.enabled", "true");
        try {
            int status = PlanCommand.run(List.of(file.toString()), io.callbridge.crm.CrmCatalog.load(), new PrintStream(out, true, StandardCharsets.UTF_8), System.err);

            assertThat(status).isZero();
            JsonNode plan = Events.parse(out.toByteArray());
            assertThat(plan).hasSize(2);
            assertThat(plan.get(0).get("commands")).extracting(c -> c.get("action").asText())
                    .containsExactly("log-call", "update-contact", "create-deal", "notify-owner", "create-task");
            assertThat(plan.get(1).get("eventId").asText()).isEqualTo("sample-minimal");
        } finally {
            System.clearProperty("callbridge.crm.salesforce.enabled");
        }
    }

    @Test
    void anInvalidEventIsReportedWithExitCodeOne() throws Exception {
        Path file = Files.createTempFile("events", ".json");
        Files.writeString(file, "{\"specversion\":\"1.0\",\"id\":\"x\",\"source\":\"s\",\"type\":\"call.ended\",\"data\":{}}");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = PlanCommand.run(List.of(file.toString()), io.callbridge.crm.CrmCatalog.load(), new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
        assertThat(status).isEqualTo(1);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("/data/callId");
    }

    @Test
    void withoutAFileItExplainsItsUsage() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertThat(PlanCommand.run(List.of(), io.callbridge.crm.CrmCatalog.load(), System.out, new PrintStream(err, true, StandardCharsets.UTF_8))).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("usage: java -jar callbridge.jar plan");
    }
}
