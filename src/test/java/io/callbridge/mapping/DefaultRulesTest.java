package io.callbridge.mapping;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callbridge.support.Samples;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Each default rule of mappings/rules.yaml fires on its case, and only then. */
class DefaultRulesTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-28T12:00:00Z"), ZoneOffset.UTC);

    private final Mappings mappings;

    DefaultRulesTest() throws Exception {
        mappings = Mappings.load(Path.of("mappings"), CrmNames.templated(List.of("salesforce")), k -> null, ZoneId.of("Europe/Zurich"), CLOCK);
    }

    private List<String> commandIds(ObjectNode event) throws Exception {
        return mappings.plan(event).stream().map(c -> c.ruleId() + ":" + c.actionIndex() + " " + c.action()).toList();
    }

    @Test
    void theDesignExampleIsLoggedEnrichedBecomesADealAndAFollowUp() throws Exception {
        List<Command> commands = mappings.plan(Samples.designExample());
        assertThat(commands).extracting(Command::commandId).containsExactly(
                "0d6e4f3a-8a4b-4d0f-9f2e-3c1b7a9e5d21:log-call:0",
                "0d6e4f3a-8a4b-4d0f-9f2e-3c1b7a9e5d21:enrich-contact:0",
                "0d6e4f3a-8a4b-4d0f-9f2e-3c1b7a9e5d21:hot-lead:0",
                "0d6e4f3a-8a4b-4d0f-9f2e-3c1b7a9e5d21:hot-lead:1",
                "0d6e4f3a-8a4b-4d0f-9f2e-3c1b7a9e5d21:callback:0");
        assertThat(commands).extracting(Command::action)
                .containsExactly("log-call", "update-contact", "create-deal", "notify-owner", "create-task");
        Command notify = commands.get(3);
        assertThat(notify.with().get("subject").asText()).isEqualTo("Opportunité chaude - Jean Dupont intéressé par Produit X");
        assertThat(commands.get(4).dueAt()).as("the promised time").isEqualTo("2026-11-30T10:00:00+01:00");
    }

    @Test
    void aCallStartedEventCausesNothing() throws Exception {
        ObjectNode event = Samples.designExample();
        event.put("type", "call.started");
        assertThat(commandIds(event)).isEmpty();
    }

    @Test
    void aMinimalEventIsOnlyLoggedAndEnriched() throws Exception {
        assertThat(commandIds(Samples.minimal())).containsExactly("log-call:0 log-call", "enrich-contact:0 update-contact");
    }

    @Test
    void aHighScoreWithoutBudgetIsNoDeal() throws Exception {
        ObjectNode event = Samples.designExample();
        ((ObjectNode) event.at("/data/qualification")).put("budget", 0);
        assertThat(commandIds(event)).noneMatch(c -> c.startsWith("hot-lead"));
        ((ObjectNode) event.get("data")).put("leadScore", 80);
        ((ObjectNode) event.at("/data/qualification")).put("budget", 5000);
        assertThat(commandIds(event)).as("80 is not above 80").noneMatch(c -> c.startsWith("hot-lead"));
    }

    @Test
    void aNegativeComplaintOpensACaseAlertsTheOwnerAndFlagsTheContact() throws Exception {
        ObjectNode event = Samples.designExample();
        ObjectNode data = (ObjectNode) event.get("data");
        data.put("callType", "complaint");
        ((ObjectNode) data.get("sentiment")).put("label", "negative");
        data.putNull("callback");
        data.put("leadScore", 10);
        assertThat(commandIds(event)).containsExactly("log-call:0 log-call", "enrich-contact:0 update-contact",
                "angry-complaint:0 create-case", "angry-complaint:1 notify-owner", "angry-complaint:2 set-field");
    }

    @Test
    void aComplaintIntentCountsAndAPositiveComplaintDoesNot() throws Exception {
        ObjectNode event = Samples.minimal();
        ObjectNode data = (ObjectNode) event.get("data");
        ArrayNode intents = data.putArray("intents");
        intents.add("complaint");
        data.putObject("sentiment").put("label", "negative");
        assertThat(commandIds(event)).contains("angry-complaint:0 create-case");
        ((ObjectNode) data.get("sentiment")).put("label", "neutral");
        assertThat(commandIds(event)).noneMatch(c -> c.startsWith("angry-complaint"));
    }

    @Test
    void anAppointmentBecomesAMeetingWithAReminderTheDayBefore() throws Exception {
        ObjectNode event = Samples.minimal();
        ((ObjectNode) event.get("data")).putObject("appointment").put("startsAt", "2026-12-02T14:00:00+01:00");
        List<Command> commands = mappings.plan(event);
        assertThat(commands).extracting(c -> c.ruleId() + ":" + c.action())
                .contains("appointment:create-meeting", "appointment:create-task");
        Command reminder = commands.stream().filter(c -> c.ruleId().equals("appointment") && c.actionIndex() == 1).findFirst().orElseThrow();
        assertThat(reminder.dueAt()).isEqualTo("2026-12-01T14:00:00+01:00");
    }

    @Test
    void anAppointmentWithoutATimeIsNoMeeting() throws Exception {
        ObjectNode event = Samples.minimal();
        ((ObjectNode) event.get("data")).putObject("appointment").put("title", "quelque chose");
        assertThat(commandIds(event)).noneMatch(c -> c.startsWith("appointment"));
    }

    @Test
    void aCallbackWithoutATimeIsDueTwoDaysAfterTheCall() throws Exception {
        ObjectNode event = Samples.minimal();
        ObjectNode data = (ObjectNode) event.get("data");
        data.put("endedAt", "2026-11-28T09:14:03Z");
        data.putArray("intents").add("callback");
        Command task = mappings.plan(event).stream().filter(c -> c.ruleId().equals("callback")).findFirst().orElseThrow();
        assertThat(task.dueAt()).isEqualTo("2026-11-30T10:14:03+01:00");
    }

    @Test
    void actionsCanBeLimitedToSomeCrmsWhileTheWebhookSeesEverything() throws Exception {
        Mappings both = Mappings.load(Path.of("mappings"), new CrmNames(Set.of("salesforce", "webhook"), List.of("salesforce", "webhook"), Set.of("webhook")), k -> null,
                ZoneId.of("Europe/Zurich"), CLOCK);
        List<Command> commands = both.plan(Samples.minimal());
        assertThat(commands).extracting(c -> c.crm() + " " + c.commandId()).containsExactly(
                "salesforce sample-minimal:log-call:0", "webhook sample-minimal:log-call:0",
                "salesforce sample-minimal:enrich-contact:0", "webhook sample-minimal:enrich-contact:0");
    }
}
