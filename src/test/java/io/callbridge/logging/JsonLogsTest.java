package io.callbridge.logging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.callbridge.support.CapturedLog;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code callbridge.log.format=json}: one JSON object per line, masked as the text lines are. */
class JsonLogsTest {

    private static final Logger LOG = LoggerFactory.getLogger(JsonLogsTest.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    @AfterEach
    void backToText() {
        LogFormat.apply("text");
    }

    @Test
    void aJsonLineCarriesTheEventsFieldsWithPersonalDataMasked() throws Exception {
        JsonNode line;
        try (CapturedLog log = CapturedLog.start("json")) {
            LOG.warn("caller +41791234567 wrote from anna.meier@example.ch", new IllegalStateException("refused +41791234567"));
            line = JSON.readTree(log.lines().get(log.lines().size() - 1));
        }
        assertThat(line.path("log.level").asText()).isEqualTo("WARN");
        assertThat(line.path("log.logger").asText()).isEqualTo(JsonLogsTest.class.getName());
        assertThat(line.path("service.name").asText()).isEqualTo("callbridge");
        assertThat(line.path("@timestamp").asText()).matches("\\d{4}-\\d{2}-\\d{2}T.*");
        assertThat(line.path("message").asText()).isEqualTo("caller +41*****67 wrote from ***@***");
        assertThat(line.path("error.message").asText()).isEqualTo("refused +41*****67");
        assertThat(line.path("error.stack_trace").asText()).contains("IllegalStateException: refused +41*****67")
                .contains("JsonLogsTest");
        assertThat(line.toString()).doesNotContain("791234567").doesNotContain("anna.meier");
    }

    @Test
    void theFormatSwitchesTheRootLoggersAppenderAndRefusesAnUnknownOne() {
        LogFormat.apply("json");
        assertThat(rootAppenders()).containsExactly("json");
        LogFormat.apply("text");
        assertThat(rootAppenders()).containsExactly("text");
        assertThatThrownBy(() -> LogFormat.apply("xml")).hasMessageContaining("callbridge.log.format").hasMessageContaining("text or json");
    }

    private static java.util.Set<String> rootAppenders() {
        return ((LoggerContext) LogManager.getContext(false)).getConfiguration().getRootLogger().getAppenders().keySet();
    }
}
