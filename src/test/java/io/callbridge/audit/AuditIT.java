package io.callbridge.audit;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import io.callbridge.broker.EmbeddedKafkaBroker;
import io.callbridge.http.ApiKeys;
import io.callbridge.support.CallbridgeApp;
import io.callbridge.support.Events;
import io.callbridge.support.Scrape;
import io.callbridge.support.TestBroker;
import io.callbridge.support.Topics;
import io.callbridge.support.WebhookReceiver;
import io.callbridge.support.WebhookReceiver.Answer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Admin actions on the audit trail, over real HTTP and a real broker: a reveal and a replay with an admin key, a replay
 * refused to an agent key and to a request without one, each on {@code GET /v1/audit} (newest first, who, what, how it
 * ended) and on {@code callbridge.audit} as a plain consumer reads it, with no key and no clear phone number anywhere.
 * Reading the trail takes an admin key; a flood of refusals is bounded per key; and an audit trail the broker will not
 * take refuses the admin actions (503) instead of doing them unaudited.
 */
class AuditIT {

    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final Map<String, String> KEYS = Map.of("admin", "audit-admin-" + RUN, "manager", "audit-manager-" + RUN,
            "agent", "audit-agent-" + RUN, "support", "audit-support-" + RUN);
    private static final String FLOODER = "audit-flooder-" + RUN;
    private static final String EMAIL = "jean.dupont@example.ch";
    private static final String LOCKED = "{\"error\":\"contact " + EMAIL + " / +41 79 123 45 67 is locked\"}";
    private static final int REFUSALS_PER_MINUTE = 20;

    private static WebhookReceiver receiver;
    private static CallbridgeApp app;

    @BeforeAll
    static void start() {
        receiver = WebhookReceiver.start(EmbeddedKafkaBroker.freePort());
        app = webhookApp(TestBroker.shared(), receiver).start();
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
        receiver.close();
    }

    static CallbridgeApp.Builder webhookApp(EmbeddedKafkaBroker broker, WebhookReceiver receiver) {
        StringBuilder keys = new StringBuilder();
        KEYS.forEach((role, key) -> keys.append(ApiKeys.hashed(key)).append(':').append(role).append(','));
        keys.append(ApiKeys.hashed(FLOODER)).append(":support");
        return CallbridgeApp.on(broker).with("callbridge.api-keys", keys.toString())
                .with("callbridge.audit.refusals-per-minute", String.valueOf(REFUSALS_PER_MINUTE))
                .with("callbridge.crm.webhook.enabled", "true")
                .with("callbridge.crm.webhook.url", receiver.url())
                .with("callbridge.crm.webhook.check-url", receiver.checkUrl())
                .with("callbridge.crm.webhook.secret", "whsec-audit")
                .fastRetries();
    }

    @Test
    void revealAndReplayAreRecordedWithTheirRefusalsNewestFirstAndWithoutKeysOrNumbers() {
        String deadLetter = aDeadLetter(app, receiver);
        String requests = "audit-it-" + RUN + "-";

        HttpResponse<String> revealed = call(app, "GET", "/v1/dlq/webhook?reveal=true", null, KEYS.get("admin"), requests + "reveal");
        assertThat(revealed.statusCode()).as(revealed.body()).isEqualTo(200);
        assertThat(revealed.body()).contains(EMAIL);
        HttpResponse<String> replayed = call(app, "POST", "/v1/dlq/webhook/replay", "{\"ids\":[\"" + deadLetter + "\"]}",
                KEYS.get("admin"), requests + "replay");
        assertThat(replayed.statusCode()).as(replayed.body()).isEqualTo(200);
        assertThat(replayed.body()).contains(deadLetter);
        assertThat(call(app, "POST", "/v1/dlq/webhook/replay", "{}", KEYS.get("agent"), requests + "agent").statusCode()).isEqualTo(403);
        assertThat(call(app, "POST", "/v1/dlq/webhook/replay", "{}", null, requests + "anonymous").statusCode()).isEqualTo(401);

        HttpResponse<String> trail = call(app, "GET", "/v1/audit?limit=500", null, KEYS.get("admin"), null);
        assertThat(trail.statusCode()).as(trail.body()).isEqualTo(200);
        assertThat(trail.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        List<JsonNode> ours = new ArrayList<>();
        Events.parse(trail.body().getBytes(StandardCharsets.UTF_8)).forEach(r -> {
            if (r.path("requestId").asText().startsWith(requests)) {
                ours.add(r);
            }
        });
        assertThat(ours).extracting(r -> r.get("requestId").asText().substring(requests.length()) + " " + r.get("action").asText()
                + " " + r.get("outcome").asText()).containsExactly(
                        "anonymous dlq.replay 401", "agent dlq.replay 403", "replay dlq.replay ok", "replay dlq.replay started",
                        "reveal dlq.reveal ok");
        for (int i = 1; i < ours.size(); i++) {
            assertThat(Instant.parse(ours.get(i - 1).get("time").asText())).as("newest first")
                    .isAfterOrEqualTo(Instant.parse(ours.get(i).get("time").asText()));
        }
        String adminId = keyId(KEYS.get("admin"));
        JsonNode anonymous = ours.get(0);
        assertThat(anonymous.has("keyId")).isFalse();
        assertThat(anonymous.has("role")).isFalse();
        assertThat(anonymous.get("problem").asText()).isEqualTo("https://callbridge.io/problems/unauthorized");
        assertThat(anonymous.get("target").asText()).isEqualTo("/v1/dlq/webhook/replay");
        JsonNode agent = ours.get(1);
        assertThat(agent.get("keyId").asText()).isEqualTo(keyId(KEYS.get("agent")));
        assertThat(agent.get("role").asText()).isEqualTo("agent");
        assertThat(agent.get("problem").asText()).isEqualTo("https://callbridge.io/problems/forbidden");
        JsonNode replay = ours.get(2);
        assertThat(replay.get("keyId").asText()).isEqualTo(adminId);
        assertThat(replay.get("role").asText()).isEqualTo("admin");
        assertThat(replay.get("target").asText()).isEqualTo("webhook: replayed " + deadLetter + "; superseded none");
        assertThat(replay.has("problem")).isFalse();
        JsonNode reveal = ours.get(4);
        assertThat(reveal.get("keyId").asText()).isEqualTo(adminId);
        assertThat(reveal.get("target").asText()).matches("webhook: \\d+ dead letters");
        assertThat(Instant.parse(reveal.get("time").asText())).isBefore(Instant.now().plusSeconds(1)).isAfter(Instant.now().minusSeconds(120));

        // the topic, as any consumer reads it: the same records, and nowhere a key or the caller's number in clear
        List<ConsumerRecord<String, byte[]>> onTopic = Topics.readAll(TestBroker.shared(), AuditTrail.TOPIC);
        List<String> values = onTopic.stream().map(r -> new String(r.value(), StandardCharsets.UTF_8)).toList();
        assertThat(values.stream().filter(v -> v.contains(requests))).hasSize(5);
        assertThat(values.stream().filter(v -> v.contains("\"requestId\":\"" + requests + "replay\"")))
                .anySatisfy(v -> assertThat(v).contains("\"keyId\":\"" + adminId + "\"", "\"outcome\":\"started\""));
        String all = String.join("\n", values) + onTopic.stream().map(r -> String.valueOf(r.key())).toList();
        KEYS.values().forEach(key -> assertThat(all).doesNotContain(key).doesNotContain(ApiKeys.hashed(key).substring(7)));
        assertThat(all).doesNotContain("+41791234567", "79 123 45 67", "791234567", EMAIL, "dupont");
        assertThat(Topics.partitions(TestBroker.shared(), AuditTrail.TOPIC)).isEqualTo(1);

        // filters: the action, and nothing before a time
        HttpResponse<String> reveals = call(app, "GET", "/v1/audit?action=dlq.reveal&since=" + reveal.get("time").asText(), null,
                KEYS.get("admin"), null);
        assertThat(reveals.statusCode()).as(reveals.body()).isEqualTo(200);
        JsonNode onlyReveals = Events.parse(reveals.body().getBytes(StandardCharsets.UTF_8));
        assertThat(onlyReveals).isNotEmpty().allSatisfy(r -> assertThat(r.get("action").asText()).isEqualTo("dlq.reveal"));
        assertThat(onlyReveals).anySatisfy(r -> assertThat(r.path("requestId").asText()).isEqualTo(requests + "reveal"));
        assertThat(Events.parse(call(app, "GET", "/v1/audit?limit=1", null, KEYS.get("admin"), null).body()
                .getBytes(StandardCharsets.UTF_8))).hasSize(1);
    }

    @Test
    void theTrailIsForAdminKeysOnlyAndItsRefusalsAreRecordedToo() {
        String requests = "audit-roles-" + RUN + "-";
        for (String role : List.of("manager", "agent", "support")) {
            HttpResponse<String> refused = call(app, "GET", "/v1/audit", null, KEYS.get(role), requests + role);
            assertThat(refused.statusCode()).as(role).isEqualTo(403);
            assertThat(refused.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
            assertThat(refused.body()).contains("\"status\":403");
        }
        HttpResponse<String> none = call(app, "GET", "/v1/audit", null, null, requests + "none");
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        assertThat(none.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        assertThat(call(app, "GET", "/v1/audit", null, "not-a-key", null).statusCode()).isEqualTo(401);
        HttpResponse<String> badSince = call(app, "GET", "/v1/audit?since=yesterday", null, KEYS.get("admin"), null);
        assertThat(badSince.statusCode()).isEqualTo(400);
        assertThat(badSince.body()).contains("\"pointer\":\"/since\"");
        assertThat(call(app, "GET", "/v1/audit?limit=lots", null, KEYS.get("admin"), null).statusCode()).isEqualTo(400);

        JsonNode reads = Events.parse(call(app, "GET", "/v1/audit?action=audit.read", null, KEYS.get("admin"), null).body()
                .getBytes(StandardCharsets.UTF_8));
        List<String> ours = new ArrayList<>();
        reads.forEach(r -> {
            if (r.path("requestId").asText().startsWith(requests)) {
                ours.add(r.get("requestId").asText().substring(requests.length()) + " " + r.path("role").asText("-") + " "
                        + r.get("outcome").asText());
            }
        });
        assertThat(ours).containsExactly("none - 401", "support support 403", "agent agent 403", "manager manager 403");
        assertThat(reads).anySatisfy(r -> assertThat(r.get("outcome").asText()).isEqualTo("400"));
    }

    @Test
    void aFloodOfRefusalsIsRecordedUpToTheKeysBudgetAndTheNextRecordSaysHowManyWereLeftOut() {
        String requests = "audit-flood-" + RUN + "-";
        double leftOutBefore = Scrape.of(app).sum("callbridge_audit_unrecorded_total", "reason", "left_out");
        for (int i = 0; i < REFUSALS_PER_MINUTE + 10; i++) {
            assertThat(call(app, "POST", "/v1/dlq/webhook/replay", "{}", FLOODER, requests + i).statusCode()).isEqualTo(403);
        }
        // another key's refusal is not held back by the flood
        assertThat(call(app, "POST", "/v1/dlq/webhook/replay", "{}", KEYS.get("manager"), requests + "manager").statusCode())
                .isEqualTo(403);
        String flooder = keyId(FLOODER);
        List<JsonNode> recorded = byKey(flooder);
        assertThat(recorded).hasSizeBetween(REFUSALS_PER_MINUTE, REFUSALS_PER_MINUTE + 3);
        assertThat(byKey(keyId(KEYS.get("manager")))).anySatisfy(r -> assertThat(r.get("requestId").asText()).isEqualTo(requests + "manager"));
        assertThat(Scrape.of(app).sum("callbridge_audit_unrecorded_total", "reason", "left_out") - leftOutBefore)
                .isGreaterThanOrEqualTo(9);

        // a token comes back every 60 / budget seconds: the next refusal recorded says how many were left out
        int[] next = {0};
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            call(app, "POST", "/v1/dlq/webhook/replay", "{}", FLOODER, requests + "later-" + next[0]++);
            return byKey(flooder).stream().anyMatch(r -> r.path("suppressed").asLong() >= 9);
        });
        assertThat(Scrape.of(app).sum("callbridge_audit_records_total", "action", "dlq.replay", "outcome", "403"))
                .isGreaterThanOrEqualTo(REFUSALS_PER_MINUTE);
    }

    @Test
    void anAuditTrailTheBrokerWillNotTakeRefusesTheAdminActionsInsteadOfDoingThemUnaudited() throws Exception {
        EmbeddedKafkaBroker broker = TestBroker.fresh();
        try (WebhookReceiver ownReceiver = WebhookReceiver.start(EmbeddedKafkaBroker.freePort());
                CallbridgeApp own = webhookApp(broker, ownReceiver).start()) {
            JsonNode dead = deadLetter(own, ownReceiver);
            String deadLetter = dead.get("id").asText();
            String command = dead.get("commandId").asText();
            // the audit topic, and only it, takes no record any more (as after a mistaken change of its configuration)
            auditTopic(broker, "max.message.bytes", "64");

            HttpResponse<String> replay = call(own, "POST", "/v1/dlq/webhook/replay", "{}", KEYS.get("admin"), null);
            assertThat(replay.statusCode()).as(replay.body()).isEqualTo(503);
            assertThat(replay.headers().firstValue("Retry-After")).isPresent();
            assertThat(replay.body()).contains("audit-trail-unavailable", "was not done");
            HttpResponse<String> reveal = call(own, "GET", "/v1/dlq/webhook?reveal=true", null, KEYS.get("admin"), null);
            assertThat(reveal.statusCode()).as(reveal.body()).isEqualTo(503);
            assertThat(reveal.body()).doesNotContain(EMAIL, "45 67");
            // reading without revealing is no admin action: it still works, and shows the dead letter was not replayed
            HttpResponse<String> list = call(own, "GET", "/v1/dlq/webhook", null, KEYS.get("manager"), null);
            assertThat(list.statusCode()).isEqualTo(200);
            assertThat(Events.parse(list.body().getBytes(StandardCharsets.UTF_8)))
                    .anySatisfy(d -> assertThat(d.get("id").asText() + " " + d.get("status").asText()).isEqualTo(deadLetter + " open"));
            assertThat(ownReceiver.acknowledged(command)).isEmpty();
            assertThat(Scrape.of(own).sum("callbridge_audit_unrecorded_total", "reason", "unavailable")).isGreaterThanOrEqualTo(2);

            auditTopic(broker, "max.message.bytes", "1048588");
            await().atMost(Duration.ofSeconds(30)).until(() -> call(own, "POST", "/v1/dlq/webhook/replay", "{}", KEYS.get("admin"), null)
                    .statusCode() == 200);
            await().atMost(Duration.ofSeconds(30)).until(() -> !ownReceiver.acknowledged(command).isEmpty());
        } finally {
            broker.close();
        }
    }

    /** A command the webhook refuses, with the caller's e-mail and number in its message: its dead letter's id. */
    private static String aDeadLetter(CallbridgeApp app, WebhookReceiver receiver) {
        return deadLetter(app, receiver).get("id").asText();
    }

    private static JsonNode deadLetter(CallbridgeApp app, WebhookReceiver receiver) {
        receiver.script(new Answer(400, LOCKED, Map.of()));
        var event = Events.exampleWithNewId();
        String id = event.get("id").asText();
        app.post(event);
        await().atMost(Duration.ofSeconds(30)).until(() -> app.deadLetters("webhook", KEYS.get("admin"), id).size() == 1);
        return app.deadLetters("webhook", KEYS.get("admin"), id).get(0);
    }

    private static List<JsonNode> byKey(String keyId) {
        List<JsonNode> out = new ArrayList<>();
        Events.parse(call(app, "GET", "/v1/audit?limit=500&keyId=" + keyId, null, KEYS.get("admin"), null).body()
                .getBytes(StandardCharsets.UTF_8)).forEach(out::add);
        return out;
    }

    private static void auditTopic(EmbeddedKafkaBroker broker, String config, String value) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, AuditTrail.TOPIC);
            admin.incrementalAlterConfigs(Map.of(topic, List.of(new AlterConfigOp(new ConfigEntry(config, value),
                    AlterConfigOp.OpType.SET)))).all().get();
            // the controller has it; the broker applies it once it has read the metadata log
            await().atMost(Duration.ofSeconds(10)).until(() -> value.equals(admin.describeConfigs(List.of(topic)).all().get()
                    .get(topic).get(config).value()));
        }
    }

    /** The id the audit trail names a key by: 12 hex digits of its hash. */
    private static String keyId(String key) {
        return ApiKeys.hashed(key).substring("sha256:".length(), "sha256:".length() + 12);
    }

    private static HttpResponse<String> call(CallbridgeApp app, String method, String path, String body, String key, String requestId) {
        HttpRequest.Builder r = HttpRequest.newBuilder(app.uri(path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            r.header("Content-Type", "application/json");
        }
        if (key != null) {
            r.header("Authorization", "Bearer " + key);
        }
        if (requestId != null) {
            r.header("X-Request-Id", requestId);
        }
        return Events.send(r.build());
    }
}
