package io.callbridge.crm.notion;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callbridge.mapping.Command;
import io.callbridge.mapping.CrmNames;
import io.callbridge.mapping.CrmRequest;
import io.callbridge.mapping.Mappings;
import io.callbridge.sandbox.notion.NotionContract;
import io.callbridge.support.Events;
import io.callbridge.support.Samples;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every request the Notion templates render, and every {@code find} they carry, is a body Notion's own OpenAPI
 * description accepts for its operation ({@code ../shared/crm-specs/notion/}, never copied here; without it the test
 * is skipped with a message, under {@code CI=true} it fails). Rendered for the samples, with a known contact and for
 * an unknown caller, and with a summary of 100,000 characters, the most intake accepts.
 */
class NotionTemplatesContractTest {

    private static NotionContract contract;
    private static Mappings mappings;
    private static JsonNode contact;

    @BeforeAll
    static void load() throws Exception {
        contract = NotionContract.require();
        mappings = Mappings.load(Path.of("mappings"), CrmNames.templated(List.of("notion")), k -> null, ZoneId.of("Europe/Zurich"),
                Clock.systemUTC());
        contact = Events.JSON.readTree(Files.readString(Path.of("mappings/notion/sample-contact.json")));
    }

    private static List<CrmRequest> rendered(ObjectNode event) throws Exception {
        List<CrmRequest> out = new ArrayList<>();
        for (Command command : mappings.plan(event)) {
            CrmRequest r = mappings.render(command, contact);
            if (r != null) {
                out.add(r);
            }
        }
        assertThat(out).as("the rules planned requests for Notion").isNotEmpty();
        return out;
    }

    private static void assertNotionAccepts(CrmRequest r) {
        assertThat(contract.checkRequest(r.method(), r.path(), r.body())).as(r.method() + " " + r.path() + " " + r.body()).isEmpty();
        if (r.find() != null) {
            JsonNode f = r.find();
            assertThat(contract.checkRequest(f.get("method").asText(), f.get("path").asText(), f.get("body"))).as("find " + f).isEmpty();
        }
    }

    @Test
    void everyActionOfTheDefaultRulesRendersABodyNotionAccepts() throws Exception {
        List<String> actions = new ArrayList<>();
        for (String sample : List.of("design-example", "complaint-with-appointment", "minimal")) {
            for (Command command : mappings.plan(Samples.event(sample))) {
                CrmRequest r = mappings.render(command, contact);
                if (r != null) {
                    assertNotionAccepts(r);
                    actions.add(command.action());
                }
            }
        }
        assertThat(actions).contains("log-call", "update-contact", "create-deal", "notify-owner", "create-task", "create-case",
                "create-meeting", "set-field");
    }

    @Test
    void anUnknownCallersContactPageIsABodyNotionAccepts() throws Exception {
        ObjectNode event = Samples.designExample();
        Command create = new Command("callbridge-caller:+41791234567", event.get("id").asText(), "unknown-caller", 0, "create-contact",
                "notion", "+41791234567", event.get("time").asText(), null, Events.JSON.createObjectNode(), event);
        CrmRequest r = mappings.render(create, null);
        assertNotionAccepts(r);
        assertThat(r.body().at("/properties/Phone E164/rich_text/0/text/content").asText()).isEqualTo("+41791234567");
    }

    @Test
    void theLongestSummaryIntakeAcceptsIsAtMostOneHundredBlocksOfTextItemsWithinNotionsLimits() throws Exception {
        ObjectNode event = Samples.designExample();
        StringBuilder summary = new StringBuilder();
        while (summary.length() < 100_000) {
            summary.append("Le client rappelle la commande 4411 et demande une offre. ");
        }
        String text = summary.substring(0, 100_000);
        ((ObjectNode) event.get("data")).put("summary", text);
        for (CrmRequest r : rendered(event)) {
            assertNotionAccepts(r);
            JsonNode children = r.body().path("children");
            if (r.path().equals("/v1/pages") && r.body().at("/parent/data_source_id").asText().endsWith("202")) {
                assertThat(children.size()).isBetween(50, 100);
                StringBuilder joined = new StringBuilder();
                children.forEach(b -> joined.append(b.at("/paragraph/rich_text/0/text/content").asText()));
                assertThat(joined.toString()).isEqualTo(text);
            }
        }
    }
}
