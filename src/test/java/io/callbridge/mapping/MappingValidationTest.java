package io.callbridge.mapping;

import java.time.Clock;
import java.time.ZoneId;
import java.util.List;

import io.callbridge.support.MappingsCopy;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A broken rule or template is refused with the file, the line and the reason, never used. */
class MappingValidationTest {

    private static final io.callbridge.crm.CrmCatalog CATALOG = io.callbridge.support.ProductionCatalog.load();

    private final MappingsCopy copy = MappingsCopy.of(java.nio.file.Path.of("mappings"));

    private Mappings load() throws MappingException {
        return Mappings.load(copy.dir(), CrmNames.templated(List.of("salesforce")), k -> null, ZoneId.of("Europe/Zurich"), Clock.systemUTC());
    }

    @Test
    void theShippedMappingsAreValid() throws Exception {
        assertThat(load().planner().rules()).extracting(r -> r.id())
                .containsExactly("log-call", "enrich-contact", "hot-lead", "angry-complaint", "appointment", "callback");
    }

    @Test
    void everyCrmWithTemplatesLoadsTogether() throws Exception {
        Mappings all = Mappings.load(copy.dir(), CATALOG.mappingNames(CATALOG.all()), k -> null,
                ZoneId.of("Europe/Zurich"), Clock.systemUTC());
        assertThat(all.plan(io.callbridge.support.Samples.designExample())).hasSize(5 * CATALOG.all().size());
    }

    @Test
    void aCrmSettingCanBeOverriddenByProperty() throws Exception {
        Mappings overridden = Mappings.load(copy.dir(), CrmNames.templated(List.of("salesforce")),
                k -> k.equals("callbridge.crm.salesforce.opportunity-stage") ? "Prospecting" : null,
                ZoneId.of("Europe/Zurich"), Clock.systemUTC());
        assertThat(overridden.settings("salesforce").get("opportunity-stage").asText()).isEqualTo("Prospecting");
    }

    @Test
    void aTemplateThatDoesNotParseIsRefusedWithItsLine() {
        copy.write("salesforce/create-case.jsonata", "{\n  \"method\": \"PATCH\",\n  \"path\": \"/x\" &,\n}\n");
        assertThatThrownBy(this::load).isInstanceOfSatisfying(MappingException.class, e -> {
            assertThat(e.file()).endsWith("salesforce/create-case.jsonata");
            assertThat(e.line()).isEqualTo(3);
        });
    }

    @Test
    void aTemplateThatFailsOnTheSamplesIsRefused() {
        copy.write("salesforce/log-call.jsonata", "{ \"method\": \"PATCH\", \"path\": $substring(data.summary, 0, 3) & 1 }");
        assertThatThrownBy(this::load).isInstanceOf(MappingException.class)
                .hasMessageContaining("salesforce/log-call.jsonata");
    }

    @Test
    void aTemplateThatYieldsNoRequestShapeIsRefused() {
        copy.write("salesforce/log-call.jsonata", "{ \"verb\": \"PATCH\" }");
        assertThatThrownBy(this::load).hasMessageContaining("log-call.jsonata").hasMessageContaining("method, path, body");
    }

    @Test
    void anUnknownActionIsRefusedWithItsLine() {
        copy.replace("rules.yaml", "      - create-deal\n", "      - create-opportunity\n");
        assertThatThrownBy(this::load).isInstanceOfSatisfying(MappingException.class, e -> {
            assertThat(e.file()).endsWith("rules.yaml");
            assertThat(e.line()).isEqualTo(lineOf("rules.yaml", "create-opportunity"));
            assertThat(e.getMessage()).contains("unknown action 'create-opportunity'");
        });
    }

    @Test
    void anUnknownCrmIsRefused() {
        copy.replace("rules.yaml", "      - action: create-case\n", "      - action: create-case\n        crms: [dynamics]\n");
        assertThatThrownBy(this::load).hasMessageContaining("unknown CRM 'dynamics'")
                .hasMessageContaining("rules.yaml:" + lineOf("rules.yaml", "dynamics"));
    }

    @Test
    void aConditionThatDoesNotParseIsRefusedWithItsLine() {
        copy.replace("rules.yaml", "when: type = 'call.ended' and data.leadScore > 80", "when: type = 'call.ended' and data.leadScore >");
        assertThatThrownBy(this::load).hasMessageContaining("rules.yaml:" + lineOf("rules.yaml", "data.leadScore >"));
    }

    @Test
    void aRuleThatAsksForAMissingTemplateIsRefused() throws Exception {
        java.nio.file.Files.delete(copy.file("salesforce/create-meeting.jsonata"));
        assertThatThrownBy(this::load).hasMessageContaining("asks salesforce to create-meeting")
                .hasMessageContaining("create-meeting.jsonata does not exist");
    }

    @Test
    void invalidYamlIsRefusedWithItsLine() {
        copy.write("rules.yaml", "rules:\n  - id: a\n    when: true\n   actions: [log-call]\n");
        assertThatThrownBy(this::load).isInstanceOfSatisfying(MappingException.class,
                e -> assertThat(e.line()).isEqualTo(4));
    }

    @Test
    void aDuplicateRuleIdIsRefused() {
        copy.write("rules.yaml", "rules:\n  - id: a\n    when: 'true'\n    actions: [log-call]\n  - id: a\n    when: 'true'\n    actions: [log-call]\n");
        assertThatThrownBy(this::load).hasMessageContaining("rules.yaml:5").hasMessageContaining("used twice");
    }

    private int lineOf(String file, String text) {
        String[] lines = copy.read(file).split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].contains(text)) {
                return i + 1;
            }
        }
        throw new IllegalArgumentException(text);
    }
}
