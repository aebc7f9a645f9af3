package io.callbridge.delivery;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callbridge.broker.EmbeddedKafkaBroker;
import io.callbridge.support.CallbridgeApp;
import io.callbridge.support.Events;
import io.callbridge.support.Samples;
import io.callbridge.support.TestBroker;
import io.callbridge.support.Topics;
import io.callbridge.support.WebhookReceiver;
import io.callbridge.support.WebhookReceiver.Answer;
import io.callbridge.support.WebhookReceiver.Received;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The delivery core end to end through the signed webhook sink: intake → rules → callbridge.crm.webhook →
 * a real HTTP receiver, with the receiver failing, refusing, rate-limiting and going away.
 */
class DeliveryCoreIT {

    private static final String SECRET = "whsec-out-77";
    private static final String ADMIN = "admin-dlq-key";
    private static EmbeddedKafkaBroker broker;
    private static WebhookReceiver receiver;
    private static CallbridgeApp app;

    @BeforeAll
    static void start() {
        broker = TestBroker.fresh();
        receiver = WebhookReceiver.start(EmbeddedKafkaBroker.freePort());
        app = CallbridgeApp.on(broker)
                .with("callbridge.api-keys", ADMIN + ":admin")
                .with("callbridge.crm.webhook.enabled", "true")
                .with("callbridge.crm.webhook.url", receiver.url())
                .with("callbridge.crm.webhook.check-url", receiver.checkUrl())
                .with("callbridge.crm.webhook.secret", SECRET)
                .with("callbridge.delivery.retry.initial-ms", "200")
                .with("callbridge.delivery.retry.max-ms", "1000")
                .with("callbridge.delivery.breaker.failure-threshold", "3")
                .with("callbridge.delivery.breaker.probe-interval-ms", "1000")
                .with("callbridge.delivery.max-attempts", "3")
                .start();
    }

    @AfterAll
    static void stop() {
        app.close();
        receiver.close();
        broker.close();
    }

    @BeforeEach
    void clear() {
        receiver.clear();
    }

    @Test
    void theDesignExampleYieldsItsCommandsInOrderSignedOnceEach() {
        ObjectNode event = newEvent();
        String id = event.get("id").asText();

        post(event);

        await().atMost(Duration.ofSeconds(30)).until(() -> forEvent(id, receiver.acknowledged()).size() == 5);
        List<Received> got = forEvent(id, receiver.acknowledged());
        assertThat(got).extracting(Received::commandId).containsExactly(
                id + ":log-call:0", id + ":enrich-contact:0", id + ":hot-lead:0", id + ":hot-lead:1", id + ":callback:0");
        Received first = got.get(0);
        assertThat(first.body().get("action").asText()).isEqualTo("log-call");
        assertThat(first.body().at("/event/data/customerE164").asText()).isEqualTo("+41791234567");
        assertThat(first.header("Callbridge-Command-Id")).isEqualTo(id + ":log-call:0");
        assertThat(validSignature(first)).as("signed with callbridge.crm.webhook.secret").isTrue();
        assertThat(first.header("CallbridgeCustomerE164")).as("no internal header leaks to the receiver").isNull();
        List<JsonNode> alerts = Topics.readAll(broker, "callbridge.notifications").stream().map(r -> Events.parse(r.value()))
                .filter(n -> n.path("eventId").asText().equals(id)).toList();
        assertThat(alerts).hasSize(1);
        assertThat(alerts.get(0).get("subject").asText()).isEqualTo("Opportunité chaude - Jean Dupont intéressé par Produit X");
        assertThat(alerts.get(0).get("notificationId").asText()).isEqualTo(id + ":hot-lead:1");
        List<String> closing = Topics.readAll(broker, DeliveryCore.topic("webhook")).stream()
                .filter(r -> r.headers().lastHeader(CommandRouting.LAST_OF_EVENT) != null)
                .map(r -> Events.parse(r.value()).path("commandId").asText()).filter(c -> c.startsWith(id + ":")).toList();
        assertThat(closing).as("the event's last command for the CRM says so, and only it").containsExactly(id + ":callback:0");
    }

    @Test
    void severalCallersAreDeliveredSideBySideButOneCallersCommandsNeverOverlap() {
        receiver.slow(Duration.ofMillis(150));
        app.coreConsumer().stop();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            ObjectNode event = newEvent();
            ((ObjectNode) event.get("data")).put("from", "+41 79 777 00 0" + (i % 4));
            ids.add(event.get("id").asText());
            post(event);
        }
        app.coreConsumer().start();

        await().atMost(Duration.ofSeconds(60)).until(() -> ids.stream().allMatch(id -> forEvent(id, receiver.acknowledged()).size() == 5));
        assertThat(receiver.mostAtOnce()).as("commands of different callers in flight together").isGreaterThan(1);
        assertThat(receiver.callerOverlaps()).as("two commands of one caller in flight together").isZero();
    }

    @Test
    void aReplayThatWouldPutOlderDataOverNewerIsReportedNotSent() {
        String customer = "+41 79 444 55 66";
        ObjectNode older = newEvent();
        ((ObjectNode) older.get("data")).put("from", customer).put("endedAt", "2026-11-20T10:00:00Z");
        String olderId = older.get("id").asText();
        receiver.alwaysFail(id -> false);
        receiver.script(new Answer(200, "{}", Map.of()), new Answer(422, "{\"error\":\"contact locked\"}", Map.of()));
        post(older);
        await().atMost(Duration.ofSeconds(30)).until(() -> forEvent(olderId, receiver.acknowledged()).size() == 4);
        JsonNode dead = dlqList().stream().filter(d -> d.path("commandId").asText().equals(olderId + ":enrich-contact:0"))
                .findFirst().orElseThrow();

        ObjectNode newer = newEvent();
        ((ObjectNode) newer.get("data")).put("from", customer).put("endedAt", "2026-11-27T10:00:00Z");
        post(newer);
        await().atMost(Duration.ofSeconds(30)).until(() -> forEvent(newer.get("id").asText(), receiver.acknowledged()).size() == 5);

        HttpResponse<String> replay = Events.post(app.uri("/v1/dlq/webhook/replay"), "application/json",
                ("{\"ids\":[\"" + dead.get("id").asText() + "\"]}").getBytes(StandardCharsets.UTF_8),
                "Authorization", "Bearer " + ADMIN);

        assertThat(replay.statusCode()).isEqualTo(200);
        JsonNode answer = Events.parse(replay.body().getBytes(StandardCharsets.UTF_8));
        assertThat(answer.get("replayed")).isEmpty();
        assertThat(answer.get("superseded")).extracting(n -> n.get("commandId").asText()).containsExactly(olderId + ":enrich-contact:0");
        assertThat(receiver.acknowledged(olderId + ":enrich-contact:0")).isEmpty();
    }

    @Test
    void theSameEventThreeTimesAndAReplayOfTheInputTopicYieldEachCommandOnce() throws Exception {
        ObjectNode event = newEvent();
        String id = event.get("id").asText();
        // straight onto Kafka, past intake's own duplicate check, as another producer might
        for (int i = 0; i < 3; i++) {
            Topics.send(broker, "callbridge.call-events", "+41791234567",
                    Events.bytes(withCustomer(event)));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> forEvent(id, receiver.acknowledged()).size() == 5);

        replayInputTopicFromTheBeginning();
        ObjectNode marker = newEvent();
        post(marker);
        await().atMost(Duration.ofSeconds(60)).until(() -> forEvent(marker.get("id").asText(), receiver.acknowledged()).size() == 5);

        Map<String, Long> perCommand = forEvent(id, receiver.received()).stream()
                .collect(Collectors.groupingBy(Received::commandId, Collectors.counting()));
        assertThat(perCommand).hasSize(5).allSatisfy((command, count) -> assertThat(count).as(command).isEqualTo(1));
    }

    @Test
    void oneCustomersCommandsArriveInEventOrderAlsoAcrossRetries() {
        List<String> ids = new java.util.ArrayList<>();
        receiver.script(new Answer(200, "{}", Map.of()), new Answer(200, "{}", Map.of()), new Answer(200, "{}", Map.of()),
                new Answer(503, "{}", Map.of()), new Answer(429, "{}", Map.of("Retry-After", "1")));
        for (int i = 0; i < 6; i++) {
            ObjectNode event = newEvent();
            ((ObjectNode) event.get("data")).put("from", "+41 79 555 00 77").put("endedAt", "2026-11-2" + i + "T10:00:00Z");
            ids.add(event.get("id").asText());
            post(event);
        }

        await().atMost(Duration.ofSeconds(60)).until(() -> ids.stream().allMatch(id -> forEvent(id, receiver.acknowledged()).size() == 5));
        List<String> arrived = receiver.acknowledged().stream().map(Received::commandId)
                .filter(c -> ids.stream().anyMatch(c::startsWith)).toList();
        List<String> expected = new java.util.ArrayList<>();
        for (String id : ids) {
            for (String suffix : List.of(":log-call:0", ":enrich-contact:0", ":hot-lead:0", ":hot-lead:1", ":callback:0")) {
                expected.add(id + suffix);
            }
        }
        assertThat(arrived).as("per customer, commands are applied in event order").containsExactlyElementsOf(expected);
    }

    @Test
    void aServerErrorThenSuccessIsOneDelivery() {
        receiver.script(new Answer(503, "{\"error\":\"busy\"}", Map.of()));
        ObjectNode event = newEvent();
        String id = event.get("id").asText();

        post(event);

        await().atMost(Duration.ofSeconds(30)).until(() -> forEvent(id, receiver.acknowledged()).size() == 5);
        assertThat(forEvent(id, receiver.received())).filteredOn(r -> r.commandId().endsWith(":log-call:0"))
                .extracting(Received::answered).containsExactly(503, 200);
        assertThat(deadLettersOf(id)).isEmpty();
    }

    @Test
    void a429WithRetryAfterIsHonouredByPausingNotByRebalancing() throws Exception {
        Pacer pacer = app.context().getRegistry().lookupByNameAndType("pacer-webhook", Pacer.class);
        ObjectNode warmUp = newEvent();
        post(warmUp);
        await().atMost(Duration.ofSeconds(30)).until(() -> forEvent(warmUp.get("id").asText(), receiver.acknowledged()).size() == 5);
        List<String> membersBefore = members("callbridge-crm-webhook");
        long pausesBefore = pacer.pauses();
        receiver.script(new Answer(429, "{\"error\":\"slow down\"}", Map.of("Retry-After", "2")));
        ObjectNode event = newEvent();
        String id = event.get("id").asText();

        post(event);

        await().atMost(Duration.ofSeconds(30)).until(() -> forEvent(id, receiver.acknowledged()).size() == 5);
        List<Received> logCall = forEvent(id, receiver.received()).stream()
                .filter(r -> r.commandId().endsWith(":log-call:0")).toList();
        assertThat(logCall).extracting(Received::answered).containsExactly(429, 200);
        assertThat(logCall.get(1).atMillis() - logCall.get(0).atMillis()).as("waited for Retry-After").isGreaterThanOrEqualTo(2000);
        assertThat(pacer.pauses()).as("the consumer paused").isGreaterThan(pausesBefore);
        assertThat(members("callbridge-crm-webhook")).as("same consumer, no rebalance").isEqualTo(membersBefore);
    }

    @Test
    void aRefusedCommandIsOneDeadLetterListedAndReplayedOnceFixed() {
        receiver.script(new Answer(400, "{\"error\":\"field 'amount' is required\"}", Map.of()));
        ObjectNode event = newEvent();
        String id = event.get("id").asText();

        post(event);

        await().atMost(Duration.ofSeconds(30)).until(() -> forEvent(id, receiver.acknowledged()).size() == 4);
        assertThat(deadLettersOf(id)).hasSize(1);
        JsonNode listed = dlqList().stream().filter(d -> d.path("commandId").asText().startsWith(id)).findFirst().orElseThrow();
        assertThat(listed.get("commandId").asText()).isEqualTo(id + ":log-call:0");
        assertThat(listed.get("errorClass").asText()).isEqualTo("rejected");
        assertThat(listed.get("httpStatus").asText()).isEqualTo("400");
        assertThat(listed.get("reason").asText()).contains("field 'amount' is required");
        assertThat(listed.get("status").asText()).isEqualTo("open");

        HttpResponse<String> replay = Events.post(app.uri("/v1/dlq/webhook/replay"), "application/json",
                ("{\"ids\":[\"" + listed.get("id").asText() + "\"]}").getBytes(StandardCharsets.UTF_8),
                "Authorization", "Bearer " + ADMIN);

        assertThat(replay.statusCode()).as(replay.body()).isEqualTo(200);
        assertThat(replay.body()).contains(id + ":log-call:0");
        await().atMost(Duration.ofSeconds(30)).until(() -> receiver.acknowledged(id + ":log-call:0").size() == 1);
        assertThat(dlqList().stream().filter(d -> d.path("commandId").asText().startsWith(id)).findFirst().orElseThrow()
                .get("status").asText()).isEqualTo("replayed");
    }

    @Test
    void aCommandThatKeepsFailingWhileTheReceiverAnswersOthersIsSetAside() {
        ObjectNode event = newEvent();
        String id = event.get("id").asText();
        receiver.alwaysFail(commandId -> commandId.equals(id + ":log-call:0"));

        post(event);

        await().atMost(Duration.ofSeconds(60)).until(() -> forEvent(id, receiver.acknowledged()).size() == 4);
        assertThat(receiver.received().stream().filter(r -> r.commandId().equals(id + ":log-call:0")).count())
                .as("tried max-attempts times, and once more after the probe showed the receiver answers").isEqualTo(4);
        List<JsonNode> dead = deadLettersOf(id);
        assertThat(dead).hasSize(1);
    }

    @Test
    void aCommandThatFailedUntilTheReceiverCameBackIsTriedOnceMoreNotSetAside() {
        // the tail of an outage: max-attempts failures, and the receiver answers again by the time it is probed
        Answer busy = new Answer(503, "{\"error\":\"down\"}", Map.of());
        receiver.script(busy, busy, busy);
        ObjectNode event = newEvent();
        String id = event.get("id").asText();

        post(event);

        await().atMost(Duration.ofSeconds(60)).until(() -> forEvent(id, receiver.acknowledged()).size() == 5);
        assertThat(forEvent(id, receiver.received())).filteredOn(r -> r.commandId().endsWith(":log-call:0"))
                .extracting(Received::answered).containsExactly(503, 503, 503, 200);
        assertThat(deadLettersOf(id)).isEmpty();
    }

    @Test
    void aPendingCommandIsCheckedWithTheReceiverBeforeItIsSentAgain() {
        CommandLedger ledger = app.context().getRegistry().lookupByNameAndType("commandLedger", CommandLedger.class);
        ObjectNode event = newEvent();
        String id = event.get("id").asText();
        // a crash between the POST and the done record: the receiver has one command, the other is only pending
        ledger.pending("webhook", id + ":log-call:0");
        receiver.alreadyHas(id + ":log-call:0");
        ledger.pending("webhook", id + ":enrich-contact:0");

        post(event);

        await().atMost(Duration.ofSeconds(30)).until(() -> forEvent(id, receiver.acknowledged()).size() == 4);
        assertThat(receiver.received()).noneMatch(r -> r.commandId().equals(id + ":log-call:0"));
        Received resent = receiver.acknowledged(id + ":enrich-contact:0").get(0);
        assertThat(resent.header("Callbridge-Possible-Duplicate")).isEqualTo("true");
        assertThat(ledger.state("webhook", id + ":log-call:0")).isEqualTo(CommandLedger.State.DONE);
    }

    @Test
    void aReceiverDownTenSecondsOpensTheBreakerAndEverythingArrivesOnceAfterwards() {
        Pacer pacer = app.context().getRegistry().lookupByNameAndType("pacer-webhook", Pacer.class);
        long openingsBefore = pacer.breakerOpenings();
        ObjectNode event = newEvent();
        String id = event.get("id").asText();
        receiver.stop();
        long downSince = System.currentTimeMillis();
        try {
            post(event);

            await().atMost(Duration.ofSeconds(20)).until(pacer::breakerOpen);
            assertThat(pacer.isPaused()).isTrue();
            // five times what max-attempts' retries take, ten probes: without the breaker the command would be set aside
            // (CrmOutageIT holds a CRM down the full 30 s)
            await().pollDelay(Duration.ofMillis(Math.max(0, 10_000 - (System.currentTimeMillis() - downSince)))).atMost(Duration.ofSeconds(11))
                    .until(() -> true);
            assertThat(deadLettersOf(id)).as("no dead letters while the breaker is open").isEmpty();
        } finally {
            receiver.start();
        }

        await().atMost(Duration.ofSeconds(30)).until(() -> forEvent(id, receiver.acknowledged()).size() == 5);
        assertThat(forEvent(id, receiver.received())).extracting(Received::commandId).doesNotHaveDuplicates();
        assertThat(pacer.breakerOpenings()).isGreaterThan(openingsBefore);
        await().atMost(Duration.ofSeconds(5)).until(() -> !pacer.breakerOpen());
        String metrics = app.metrics();
        assertThat(metrics).contains("callbridge_delivery_breaker_open{crm=\"webhook\"} 0.0")
                .containsPattern("callbridge_delivery_breaker_openings_total\\{crm=\"webhook\"\\} [1-9]");
        assertThat(deadLettersOf(id)).isEmpty();
    }

    // ---- helpers ----

    private static ObjectNode newEvent() {
        ObjectNode event = Samples.designExample();
        event.put("id", java.util.UUID.randomUUID().toString());
        ((ObjectNode) event.get("data")).remove("customerE164"); // intake adds it
        return event;
    }

    private static ObjectNode withCustomer(ObjectNode event) {
        ObjectNode copy = event.deepCopy();
        ((ObjectNode) copy.get("data")).put("customerE164", "+41791234567");
        return copy;
    }

    private static void post(ObjectNode event) {
        app.post(event);
    }

    private static List<Received> forEvent(String eventId, List<Received> received) {
        return received.stream().filter(r -> r.commandId().startsWith(eventId + ":")).toList();
    }

    private static List<JsonNode> deadLettersOf(String eventId) {
        return Topics.readAll(broker, "callbridge.dlq.webhook").stream().map(r -> Events.parse(r.value()))
                .filter(c -> c.path("eventId").asText().equals(eventId)).toList();
    }

    private static List<JsonNode> dlqList() {
        HttpResponse<String> r = Events.send(HttpRequest.newBuilder(app.uri("/v1/dlq/webhook"))
                .header("Authorization", "Bearer " + ADMIN).GET().build());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        List<JsonNode> out = new java.util.ArrayList<>();
        Events.parse(r.body().getBytes(StandardCharsets.UTF_8)).forEach(out::add);
        return out;
    }

    private static boolean validSignature(Received r) {
        try {
            String header = r.header("Callbridge-Signature");
            String t = header.split(",")[0].substring(2);
            String v1 = header.split(",")[1].substring(3);
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((t + ".").getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(mac.doFinal(Events.JSON.writeValueAsBytes(r.body()))).equals(v1);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Admin admin() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        return Admin.create(p);
    }

    private static List<String> members(String group) throws Exception {
        try (Admin admin = admin()) {
            ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(group)).all().get().get(group);
            return d.members().stream().map(MemberDescription::consumerId).sorted().toList();
        }
    }

    private static void replayInputTopicFromTheBeginning() throws Exception {
        app.coreConsumer().stop();
        try (Admin admin = admin()) {
            Map<TopicPartition, OffsetAndMetadata> zero = admin.describeTopics(List.of("callbridge.call-events")).allTopicNames().get()
                    .get("callbridge.call-events").partitions().stream()
                    .collect(Collectors.toMap(p -> new TopicPartition("callbridge.call-events", p.partition()), p -> new OffsetAndMetadata(0)));
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() ->
                    admin.alterConsumerGroupOffsets("callbridge-core", zero).all().get());
        }
        app.coreConsumer().start();
    }
}
