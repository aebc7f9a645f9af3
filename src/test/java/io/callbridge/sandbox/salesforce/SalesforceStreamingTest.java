package io.callbridge.sandbox.salesforce;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import io.callbridge.sandbox.CrmSandbox;
import io.callbridge.sandbox.SandboxHttp;
import io.callbridge.sandbox.SandboxHttp.Resp;
import io.callbridge.sandbox.SandboxSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sandbox's Streaming API as a Bayeux client speaks to it over HTTP: handshake, subscribe with the replay extension,
 * a connect held open until a Contact or Lead changes through the REST API and then answered with its change event (replay
 * ids that grow), Salesforce's refusals (no session, an ended session, an unknown client, an unknown channel or replay id).
 */
class SalesforceStreamingTest {

    private static final String V = "60.0";
    private static final long HOLD_MS = 1500;
    private static CrmSandbox sandbox;
    private String token;

    @BeforeAll
    static void start() {
        sandbox = CrmSandbox.start(SandboxSettings.builder().port(0).seed(5).config("salesforce", Map.of("client-id", "c",
                "client-secret", "s", "streaming-timeout-ms", String.valueOf(HOLD_MS))).build());
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    @BeforeEach
    void login() {
        sandbox.reset("salesforce");
        Resp r = SandboxHttp.form(base() + "/services/oauth2/token", Map.of("grant_type", "client_credentials", "client_id", "c",
                "client_secret", "s"));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        token = r.json().get("access_token").asText();
    }

    @Test
    void aChangedContactIsDeliveredToTheConnectHeldOpenWithReplayIdsThatGrow() throws Exception {
        String client = handshake();
        JsonNode subscribed = bayeux(token, "[{\"channel\":\"/meta/subscribe\",\"clientId\":\"" + client + "\",\"id\":\"3\","
                + "\"subscription\":\"/data/ContactChangeEvent\",\"ext\":{\"replay\":{\"/data/ContactChangeEvent\":-1}}}]").get(0);
        assertThat(subscribed.path("successful").asBoolean()).as(subscribed.toString()).isTrue();
        assertThat(subscribed.path("subscription").asText()).isEqualTo("/data/ContactChangeEvent");
        assertThat(connect(client)).as("the first connect after a handshake is answered at once").hasSize(1);

        CompletableFuture<JsonNode> held = CompletableFuture.supplyAsync(() -> connect(client));
        String id = rest("POST", "/sobjects/Contact", "{\"FirstName\":\"Jean\",\"LastName\":\"Muster\",\"Phone\":\"+41791112233\"}")
                .json().get("id").asText();
        JsonNode created = event(held.get(5, TimeUnit.SECONDS));
        JsonNode header = created.at("/data/payload/ChangeEventHeader");
        assertThat(created.path("channel").asText()).isEqualTo("/data/ContactChangeEvent");
        assertThat(header.path("entityName").asText()).isEqualTo("Contact");
        assertThat(header.path("changeType").asText()).isEqualTo("CREATE");
        assertThat(header.path("recordIds").get(0).asText()).isEqualTo(id);
        assertThat(header.path("changeOrigin").asText()).isEqualTo("com/salesforce/api/rest/" + V);
        assertThat(header.path("commitTimestamp").asLong()).isPositive();
        assertThat(created.at("/data/payload/Name/FirstName").asText()).isEqualTo("Jean");
        assertThat(created.at("/data/payload/Phone").asText()).isEqualTo("+41791112233");

        held = CompletableFuture.supplyAsync(() -> connect(client));
        assertThat(rest("PATCH", "/sobjects/Contact/" + id, "{\"FirstName\":\"Hans\"}").status()).isEqualTo(204);
        JsonNode updated = event(held.get(5, TimeUnit.SECONDS));
        assertThat(updated.at("/data/payload/ChangeEventHeader/changeType").asText()).isEqualTo("UPDATE");
        assertThat(updated.at("/data/payload/ChangeEventHeader/changedFields").toString()).contains("\"Name.FirstName\"")
                .doesNotContain("Phone");
        assertThat(updated.at("/data/payload/Name/FirstName").asText()).isEqualTo("Hans");
        assertThat(updated.at("/data/payload/Phone").isMissingNode()).as("an update carries what changed only").isTrue();
        assertThat(updated.at("/data/event/replayId").asLong()).isGreaterThan(created.at("/data/event/replayId").asLong());

        assertThat(rest("DELETE", "/sobjects/Contact/" + id, null).status()).isEqualTo(204);
        JsonNode deleted = event(connect(client));
        assertThat(deleted.at("/data/payload/ChangeEventHeader/changeType").asText()).isEqualTo("DELETE");
        assertThat(deleted.at("/data/payload/ChangeEventHeader/recordIds/0").asText()).isEqualTo(id);
        assertThat(deleted.at("/data/event/replayId").asLong()).isGreaterThan(updated.at("/data/event/replayId").asLong());
    }

    @Test
    void aConnectWithoutEventsIsHeldForTheAdvisedTimeoutThenAnsweredEmpty() {
        String client = handshake();
        subscribe(client, "/data/LeadChangeEvent", -1);
        JsonNode first = connect(client).get(0);
        assertThat(first.at("/advice/timeout").asLong()).isEqualTo(HOLD_MS);
        assertThat(first.at("/advice/reconnect").asText()).isEqualTo("retry");

        rest("POST", "/sobjects/Contact", "{\"LastName\":\"NotALead\"}");
        long start = System.nanoTime();
        JsonNode answer = connect(client);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("a Contact's change is not on the Lead channel")
                .isGreaterThanOrEqualTo(Duration.ofMillis(HOLD_MS - 200));
        assertThat(answer).hasSize(1);
        assertThat(answer.get(0).path("successful").asBoolean()).isTrue();
    }

    @Test
    void aCompositeRequestRolledBackPublishesNothingAndOneCommittedPublishesEachRecord() {
        String client = handshake();
        subscribe(client, "/data/ContactChangeEvent", -1);
        connect(client);
        String rolledBack = "{\"allOrNone\":true,\"compositeRequest\":["
                + "{\"method\":\"POST\",\"url\":\"/services/data/v" + V + "/sobjects/Contact\",\"referenceId\":\"ok\",\"body\":{\"LastName\":\"Kept\"}},"
                + "{\"method\":\"POST\",\"url\":\"/services/data/v" + V + "/sobjects/Task\",\"referenceId\":\"bad\",\"body\":{\"Priority\":\"Urgent\"}}]}";
        assertThat(rest("POST", "/composite", rolledBack).status()).isEqualTo(200);
        String committed = rolledBack.replace("\"Priority\":\"Urgent\"", "\"Subject\":\"Call\"");
        assertThat(rest("POST", "/composite", committed).body()).doesNotContain("errorCode");
        List<JsonNode> events = events(connect(client));
        assertThat(events).as("the rolled-back Contact never existed; the committed one did").hasSize(1);
        assertThat(events.get(0).at("/data/payload/Name/LastName").asText()).isEqualTo("Kept");
    }

    @Test
    void replayFromTheStartOrAfterAnIdAndAnIdNeverGivenIsRefused() {
        List<String> ids = new ArrayList<>();
        for (String name : List.of("Eins", "Zwei", "Drei")) {
            ids.add(rest("POST", "/sobjects/Lead", "{\"LastName\":\"" + name + "\",\"Company\":\"X\"}").json().get("id").asText());
        }
        String client = handshake();
        subscribe(client, "/data/LeadChangeEvent", -2);
        List<JsonNode> all = events(connect(client));
        assertThat(all).extracting(e -> e.at("/data/payload/ChangeEventHeader/recordIds/0").asText()).containsExactlyElementsOf(ids);

        String again = handshake();
        subscribe(again, "/data/LeadChangeEvent", all.get(0).at("/data/event/replayId").asLong());
        assertThat(events(connect(again))).extracting(e -> e.at("/data/payload/ChangeEventHeader/recordIds/0").asText())
                .containsExactlyElementsOf(ids.subList(1, 3));

        JsonNode refused = bayeux(token, "[{\"channel\":\"/meta/subscribe\",\"clientId\":\"" + again + "\",\"subscription\":"
                + "\"/data/LeadChangeEvent\",\"ext\":{\"replay\":{\"/data/LeadChangeEvent\":999999}}}]").get(0);
        assertThat(refused.path("successful").asBoolean()).isFalse();
        assertThat(refused.path("error").asText()).matches("400::The replayId \\{.*} you provided was invalid.*");
        JsonNode unknown = bayeux(token, "[{\"channel\":\"/meta/subscribe\",\"clientId\":\"" + again + "\",\"subscription\":"
                + "\"/data/AccountChangeEvent\"}]").get(0);
        assertThat(unknown.path("error").asText()).startsWith("400::The channel you requested to subscribe to does not exist");
    }

    @Test
    void noSessionAnEndedSessionAndAnUnknownClientAreRefusedAsSalesforceRefusesThem() {
        JsonNode anonymous = bayeux(null, handshakeMessage()).get(0);
        assertThat(anonymous.path("successful").asBoolean()).isFalse();
        assertThat(anonymous.path("error").asText()).isEqualTo("403::Handshake denied");
        assertThat(anonymous.at("/ext/sfdc/failureReason").asText()).isEqualTo("401::Request requires authentication");
        JsonNode wrong = bayeux("not-a-session", handshakeMessage()).get(0);
        assertThat(wrong.at("/ext/sfdc/failureReason").asText()).isEqualTo("401::Authentication invalid");
        assertThat(wrong.at("/advice/reconnect").asText()).isEqualTo("none");

        JsonNode stranger = bayeux(token, "[{\"channel\":\"/meta/connect\",\"clientId\":\"nobody\",\"connectionType\":"
                + "\"long-polling\"}]").get(0);
        assertThat(stranger.path("error").asText()).isEqualTo("403::Unknown client");
        assertThat(stranger.at("/advice/reconnect").asText()).isEqualTo("handshake");

        String client = handshake();
        connect(client);
        SandboxHttp.send("POST", sandbox.adminUrl() + "/salesforce/tokens/expire", null, null, null);
        JsonNode ended = connect(client).get(0);
        assertThat(ended.path("successful").asBoolean()).isFalse();
        assertThat(ended.path("error").asText()).isEqualTo("401::Authentication invalid");
        assertThat(ended.at("/advice/reconnect").asText()).isEqualTo("none");
    }

    private String handshake() {
        JsonNode reply = bayeux(token, handshakeMessage()).get(0);
        assertThat(reply.path("successful").asBoolean()).as(reply.toString()).isTrue();
        assertThat(reply.at("/ext/replay").asBoolean()).as("the replay extension is supported").isTrue();
        return reply.path("clientId").asText();
    }

    private static String handshakeMessage() {
        return "[{\"channel\":\"/meta/handshake\",\"id\":\"1\",\"version\":\"1.0\",\"minimumVersion\":\"1.0\","
                + "\"supportedConnectionTypes\":[\"long-polling\"],\"ext\":{\"replay\":true}}]";
    }

    private void subscribe(String client, String channel, long replayId) {
        JsonNode reply = bayeux(token, "[{\"channel\":\"/meta/subscribe\",\"clientId\":\"" + client + "\",\"subscription\":\""
                + channel + "\",\"ext\":{\"replay\":{\"" + channel + "\":" + replayId + "}}}]").get(0);
        assertThat(reply.path("successful").asBoolean()).as(reply.toString()).isTrue();
    }

    private JsonNode connect(String client) {
        return bayeux(token, "[{\"channel\":\"/meta/connect\",\"clientId\":\"" + client + "\",\"connectionType\":\"long-polling\"}]");
    }

    /** The one change event of a connect's answer (which ends with the connect's own reply). */
    private static JsonNode event(JsonNode answer) {
        List<JsonNode> events = events(answer);
        assertThat(events).as(answer.toString()).hasSize(1);
        return events.get(0);
    }

    private static List<JsonNode> events(JsonNode answer) {
        List<JsonNode> events = new ArrayList<>();
        answer.forEach(m -> {
            if (m.path("channel").asText().startsWith("/data/")) events.add(m);
        });
        assertThat(answer.get(answer.size() - 1).path("channel").asText()).isEqualTo("/meta/connect");
        return events;
    }

    /** A Bayeux request, authenticated as camel-salesforce does it ({@code Authorization: OAuth <token>}). */
    private static JsonNode bayeux(String token, String messages) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + "/cometd/" + V)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(messages));
        if (token != null) {
            b.header("Authorization", "OAuth " + token);
        }
        Resp r = SandboxHttp.send(b.build());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    private Resp rest(String method, String path, String body) {
        return SandboxHttp.json(method, base() + "/services/data/v" + V + path, token, body);
    }

    private static String base() {
        return sandbox.baseUrl("salesforce");
    }
}
