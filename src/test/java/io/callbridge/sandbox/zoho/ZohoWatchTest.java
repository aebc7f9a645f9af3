package io.callbridge.sandbox.zoho;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.callbridge.sandbox.SandboxHttp.Resp;
import io.callbridge.support.CrmWebhookReceiver;
import io.callbridge.support.CrmWebhookReceiver.Request;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The org's instant notifications as Zoho's notification pages describe them ({@code /crm/v8/actions/watch}: enable,
 * list, update, disable; the expiry a channel gets), and what a channel sends, received over real HTTP: Zoho's callback
 * body for each Contacts or Leads record inserted, updated or deleted, with the channel's token, until the channel expires.
 */
class ZohoWatchTest extends ZohoTestSupport {

    private CrmWebhookReceiver receiver;
    private String target;

    @BeforeEach
    void startReceiver() {
        receiver = CrmWebhookReceiver.start("/hooks/zoho");
        target = receiver.url() + "?source=crm";
        // channels outlive a reset of the records: each test starts without any
        watch("DELETE", "?channel_ids=1000000068001,1000000068002", null);
    }

    @AfterEach
    void stopReceiver() {
        receiver.close();
    }

    @Test
    void aChannelIsEnabledListedUpdatedAndDisabledAsTheNotificationPagesSay() {
        Resp enabled = watch("POST", "", "{\"watch\":[{\"channel_id\":1000000068001,\"events\":[\"Contacts.all\",\"Leads.all\"],"
                + "\"channel_expiry\":\"2026-11-29T10:00:00+01:00\",\"token\":\"TOKEN_FOR_VERIFICATION\",\"notify_url\":\"" + target + "\"}]}");
        assertThat(enabled.status()).as(enabled.body()).isEqualTo(200);
        JsonNode answer = enabled.json().at("/watch/0");
        assertThat(answer.get("code").asText()).isEqualTo("SUCCESS");
        assertThat(answer.get("status").asText()).isEqualTo("success");
        assertThat(answer.get("message").asText()).isEqualTo("Successfully subscribed for actions-watch of the given module");
        assertThat(answer.at("/details/events")).extracting(e -> e.get("resource_name").asText()).containsExactly("Contacts", "Leads");
        assertThat(answer.at("/details/events/0/channel_expiry").asText()).isEqualTo("2026-11-29T10:00:00+01:00");
        assertThat(answer.at("/details/events/0/channel_id").asText()).isEqualTo("1000000068001");
        assertThat(answer.at("/details/events/0/resource_uri").asText()).isEqualTo(base() + "/crm/v8/Contacts");

        Resp listed = watch("GET", "", null);
        assertThat(listed.status()).isEqualTo(200);
        assertThat(listed.json().get("watch")).hasSize(2);
        assertThat(listed.json().at("/watch/0/events")).extracting(JsonNode::asText)
                .containsExactlyInAnyOrder("Contacts.create", "Contacts.edit", "Contacts.delete");
        assertThat(listed.json().at("/watch/0/notify_url").asText()).isEqualTo(target);
        assertThat(listed.json().at("/info/count").asInt()).isEqualTo(2);

        Resp patched = watch("PATCH", "", "{\"watch\":[{\"channel_id\":1000000068001,\"events\":[\"Contacts.all\"],"
                + "\"channel_expiry\":\"2026-11-30T10:00:00+01:00\"}]}");
        assertThat(patched.status()).as(patched.body()).isEqualTo(200);
        assertThat(patched.json().at("/watch/0/details/events/0/channel_expiry").asText()).isEqualTo("2026-11-30T10:00:00+01:00");

        Resp disabled = watch("DELETE", "?channel_ids=1000000068001", null);
        assertThat(disabled.status()).as(disabled.body()).isEqualTo(200);
        assertThat(disabled.json().at("/watch/0/code").asText()).isEqualTo("SUCCESS");
        assertThat(watch("GET", "", null).status()).as("no channel left").isEqualTo(204);
    }

    @Test
    void aChannelWithoutExpiryOrBeyondAWeekGetsAnHourAndItsTokenAtMostFiftyCharacters() {
        Resp beyond = watch("POST", "", "{\"watch\":[{\"channel_id\":1000000068001,\"events\":[\"Contacts.all\"],"
                + "\"channel_expiry\":\"2026-12-28T10:00:00+01:00\",\"notify_url\":\"" + target + "\"}]}");
        assertThat(beyond.json().at("/watch/0/details/events/0/channel_expiry").asText()).as("an hour from now, in the org's time zone")
                .isEqualTo(java.time.format.DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssxxx")
                        .format(clock.instant().plus(Duration.ofHours(1)).atZone(java.time.ZoneId.of("Europe/Zurich"))));
        Resp tooLong = watch("POST", "", "{\"watch\":[{\"channel_id\":1000000068002,\"events\":[\"Contacts.all\"],\"token\":\""
                + "x".repeat(51) + "\",\"notify_url\":\"" + target + "\"}]}");
        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(tooLong.json().at("/watch/0/code").asText()).isEqualTo("INVALID_DATA");
        assertThat(tooLong.json().at("/watch/0/details/api_name").asText()).isEqualTo("token");
        Resp noUrl = watch("POST", "", "{\"watch\":[{\"channel_id\":1000000068002,\"events\":[\"Contacts.all\"]}]}");
        assertThat(noUrl.status()).isEqualTo(400);
        assertThat(noUrl.json().at("/watch/0/code").asText()).isEqualTo("MANDATORY_NOT_FOUND");
        assertThat(raw("GET", "/crm/v8/actions/watch", Map.of(), null).status()).as("no token").isEqualTo(401);
    }

    @Test
    void eachContactOrLeadWrittenIsPostedWithTheChannelsTokenUntilTheChannelExpires() {
        watch("POST", "", "{\"watch\":[{\"channel_id\":1000000068001,\"events\":[\"Contacts.all\",\"Leads.create\"],"
                + "\"channel_expiry\":\"2026-11-28T10:30:00+01:00\",\"token\":\"TOKEN_FOR_VERIFICATION\",\"notify_url\":\"" + target + "\"}]}");
        String contact = insert("Contacts", "{\"Last_Name\":\"Dupont\",\"First_Name\":\"Jean\",\"Phone\":\"+41791234567\"}");
        assertThat(call("PUT", "/crm/v8/Contacts/" + contact, "{\"data\":[{\"First_Name\":\"Hans\"}]}").status()).isEqualTo(200);
        String lead = insert("Leads", "{\"Last_Name\":\"Muster\",\"Company\":\"Muster AG\"}");
        assertThat(call("PUT", "/crm/v8/Leads/" + lead, "{\"data\":[{\"First_Name\":\"Rita\"}]}").status()).as("not watched: Leads.create only")
                .isEqualTo(200);
        insert("Calls", "{\"Subject\":\"Appel\",\"Call_Type\":\"Inbound\",\"Call_Start_Time\":\"2026-11-28T10:10:01+01:00\","
                + "\"Call_Duration\":\"04:02\",\"Who_Id\":{\"id\":\"" + contact + "\"}}");

        await().atMost(Duration.ofSeconds(5)).until(() -> receiver.received().size() >= 3);
        List<JsonNode> received = bodies();
        assertThat(received).extracting(b -> b.get("module").asText() + " " + b.get("operation").asText())
                .containsExactlyInAnyOrder("Contacts insert", "Contacts update", "Leads insert");
        JsonNode update = received.stream().filter(b -> b.get("operation").asText().equals("update")).findFirst().orElseThrow();
        assertThat(update.get("ids")).extracting(JsonNode::asText).containsExactly(contact);
        assertThat(update.get("channel_id").asText()).isEqualTo("1000000068001");
        assertThat(update.get("token").asText()).isEqualTo("TOKEN_FOR_VERIFICATION");
        assertThat(update.get("resource_uri").asText()).isEqualTo(base() + "/crm/v8/Contacts");
        assertThat(update.get("server_time").asLong()).isEqualTo(clock.millis());
        assertThat(update.at("/query_params/source").asText()).as("the notify URL's query").isEqualTo("crm");

        clock.advance(Duration.ofMinutes(31));
        assertThat(watch("GET", "", null).status()).as("the channel expired").isEqualTo(204);
        receiver.clear();
        assertThat(call("PUT", "/crm/v8/Contacts/" + contact, "{\"data\":[{\"First_Name\":\"Otto\"}]}").status()).isEqualTo(200);
        watch("POST", "", "{\"watch\":[{\"channel_id\":1000000068002,\"events\":[\"Contacts.create\"],\"notify_url\":\"" + target + "\"}]}");
        insert("Contacts", "{\"Last_Name\":\"Nach\"}");
        await().atMost(Duration.ofSeconds(5)).until(() -> !receiver.received().isEmpty());
        assertThat(bodies()).as("nothing from the expired channel, only the new one's insert")
                .allSatisfy(b -> assertThat(b.get("channel_id").asText()).isEqualTo("1000000068002"));
    }

    @Test
    void aDeletedRecordIsPostedAsDeleteToAChannelWatchingDeletes() {
        watch("POST", "", "{\"watch\":[{\"channel_id\":1000000068001,\"events\":[\"Contacts.delete\"],"
                + "\"token\":\"TOKEN_FOR_VERIFICATION\",\"notify_url\":\"" + target + "\"}]}");
        String contact = insert("Contacts", "{\"Last_Name\":\"Dupont\"}");
        assertThat(call("DELETE", "/crm/v8/Contacts/" + contact, null).status()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(5)).until(() -> !receiver.received().isEmpty());
        assertThat(bodies()).as("the insert is not watched").singleElement().satisfies(b -> {
            assertThat(b.get("operation").asText()).isEqualTo("delete");
            assertThat(b.get("module").asText()).isEqualTo("Contacts");
            assertThat(b.get("ids")).extracting(JsonNode::asText).containsExactly(contact);
            assertThat(b.get("token").asText()).isEqualTo("TOKEN_FOR_VERIFICATION");
        });
    }

    private List<JsonNode> bodies() {
        return receiver.received().stream().map(Request::json).toList();
    }

    private static Resp watch(String method, String query, String body) {
        return raw(method, "/crm/v8/actions/watch" + query, Map.of("Authorization", "Zoho-oauthtoken " + token), body);
    }
}
