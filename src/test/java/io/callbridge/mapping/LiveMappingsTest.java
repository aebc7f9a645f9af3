package io.callbridge.mapping;

import java.time.Clock;
import java.time.ZoneId;
import java.util.List;

import io.callbridge.support.MappingsCopy;
import io.callbridge.support.Samples;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LiveMappingsTest {

    private final MappingsCopy copy = MappingsCopy.of(java.nio.file.Path.of("mappings"));

    private LiveMappings live() throws MappingException {
        return new LiveMappings(copy.dir(), () -> Mappings.load(copy.dir(), CrmNames.templated(List.of("salesforce")), k -> null,
                ZoneId.of("Europe/Zurich"), Clock.systemUTC()), 0);
    }

    @Test
    void anEditedRuleTakesEffectOnReload() throws Exception {
        LiveMappings live = live();
        assertThat(live.current().plan(Samples.minimal())).hasSize(2);
        copy.replace("rules.yaml", "      - update-contact\n", "      - update-contact\n      - action: create-task\n        with:\n          due: P1D\n");

        assertThat(live.reloadIfChanged()).isTrue();

        assertThat(live.current().plan(Samples.minimal())).extracting(c -> c.action())
                .containsExactly("log-call", "update-contact", "create-task");
        assertThat(live.reloadIfChanged()).as("nothing changed since").isFalse();
    }

    @Test
    void aBrokenEditIsRefusedAndTheVersionInUseStays() throws Exception {
        LiveMappings live = live();
        Mappings before = live.current();
        copy.replace("rules.yaml", "      - update-contact\n", "      - update-the-contact\n");

        assertThat(live.reloadIfChanged()).isFalse();

        assertThat(live.current()).isSameAs(before);
        assertThat(live.lastRefusal()).hasMessageContaining("rules.yaml:").hasMessageContaining("update-the-contact");
        copy.replace("rules.yaml", "      - update-the-contact\n", "      - update-contact\n");
        assertThat(live.reloadIfChanged()).as("fixed again").isTrue();
        assertThat(live.lastRefusal()).isNull();
    }
}
