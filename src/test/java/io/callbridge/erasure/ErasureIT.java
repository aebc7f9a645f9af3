package io.callbridge.erasure;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callbridge.broker.EmbeddedKafkaBroker;
import io.callbridge.delivery.CommandLedger;
import io.callbridge.phone.PhoneFormats;
import io.callbridge.state.KafkaBackedStore;
import io.callbridge.support.CallbridgeApp;
import io.callbridge.support.CrmFixture;
import io.callbridge.support.CrmSandboxes;
import io.callbridge.support.Events;
import io.callbridge.support.TestBroker;
import io.callbridge.support.Topics;
import io.callbridge.support.WebhookReceiver;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Erasure on request, end to end on a broker of its own (so every {@code callbridge.*} topic holds this person and
 * nobody else): a person calls, one of their commands ends as a dead letter, they are erased; then a plain Kafka
 * consumer reading every Callbridge topic from offset 0 finds their number (in every format), e-mail and name nowhere,
 * and nothing of them decrypts with the keys left; the cache, the dead-letter list and a restart bring nothing back.
 */
class ErasureIT {

    private static final String ADMIN = "admin-erasure-key";
    private static final String AGENT = "agent-erasure-key";
    private static final String E164 = "+41796412233";
    private static final String NAME = "Erika Vergessen";
    private static final String EMAIL = "erika.vergessen@example.ch";

    @TempDir
    Path dir;
    private EmbeddedKafkaBroker broker;
    private CrmSandboxes crms;
    private WebhookReceiver receiver;
    private CallbridgeApp app;
    private Path masterKeyFile;

    @BeforeEach
    void start() throws Exception {
        broker = TestBroker.fresh();
        crms = CrmSandboxes.start(71, true, List.of(CrmFixture.of("hubspot")));
        receiver = WebhookReceiver.start(EmbeddedKafkaBroker.freePort());
        masterKeyFile = Files.writeString(dir.resolve("master.key"), SubjectCipher.newMasterKey());
        app = app();
    }

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
        receiver.close();
        crms.close();
        broker.close();
    }

    @Test
    void anErasedPersonIsNowhereOnTheTopicsNorInTheCacheNorTheDeadLettersAndARestartBringsNothingBack() throws Exception {
        receiver.script(new WebhookReceiver.Answer(400, "{\"error\":\"contact " + EMAIL + " (" + NAME + ") is locked\"}", Map.of()));
        ObjectNode first = call();
        app.post(first);
        await().atMost(Duration.ofSeconds(45)).until(() -> app.deadLetters("webhook", ADMIN, id(first)).size() == 1);
        ObjectNode second = call();
        // in CloudEvents' batched mode, which intake publishes by its own producer (EventPublisher), not camel-kafka
        HttpResponse<String> batch = Events.post(app.uri("/v1/call-events"), "application/cloudevents-batch+json",
                Events.bytes(Events.JSON.createArrayNode().add(second)));
        assertThat(batch.statusCode()).as(batch.body()).isEqualTo(202);
        awaitDone(second);
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                .until(() -> lookUp().headers().firstValue("Callbridge-Cache").orElse("").equals("hit"));
        assertThat(revealedDeadLetters()).as("sealed, the CRM's message still reads for an admin before the erasure").contains(EMAIL);
        assertThat(decryptable()).as("sealed with the person's key before the erasure").isNotEmpty();

        HttpResponse<String> erased = send(HttpRequest.newBuilder(app.uri("/v1/subjects/%2B41796412233")).DELETE(), ADMIN);

        assertThat(erased.statusCode()).as(erased.body()).isEqualTo(202);
        String erasureId = json(erased).get("erasureId").asText();
        assertThat(erased.body()).doesNotContain(E164, "796412233");
        assertThat(decryptable()).as("records of the person that still decrypt").isEmpty();
        assertPersonIsNowhereOnTheTopics();
        assertThat(lookUp().headers().firstValue("Callbridge-Cache")).as("the cached caller was dropped").isNotEqualTo(java.util.Optional.of("hit"));
        assertThat(app.deadLetters("webhook", ADMIN, id(first))).isEmpty();
        assertThat(revealedDeadLetters()).doesNotContain(EMAIL, NAME);

        ObjectNode afresh = call();
        app.post(afresh);
        awaitDone(afresh);
        assertThat(decryptable()).as("only the new call decrypts, with a new key").isNotEmpty()
                .allSatisfy(text -> assertThat(text).doesNotContain(id(first), id(second)));

        app.close();
        app = app();
        HttpResponse<String> progress = send(HttpRequest.newBuilder(app.uri("/v1/subjects/erasures/" + erasureId)).GET(), ADMIN);
        assertThat(progress.statusCode()).as(progress.body()).isEqualTo(200);
        JsonNode p = json(progress);
        assertThat(p.get("state").asText()).isEqualTo("done");
        assertThat(p.get("steps")).extracting(s -> s.get("step").asText()).contains("subject-keys", "delivery-ledger", "caller-cache");
        assertThat(progress.body()).doesNotContain(E164, "796412233", "s1-");
        HttpResponse<String> audit = send(HttpRequest.newBuilder(app.uri("/v1/audit?action=subject.erase")).GET(), ADMIN);
        assertThat(audit.statusCode()).as(audit.body()).isEqualTo(200);
        assertThat(audit.body()).as("the erasure on the audit trail, the number masked").contains("subject.erase", "subject +41*******33")
                .doesNotContain(E164, "796412233");
        assertThat(app.deadLetters("webhook", ADMIN, id(first))).isEmpty();
        assertThat(recentEvents()).doesNotContain(id(first), id(second)).contains(id(afresh));
    }

    @Test
    void anotherInstanceDropsItsCachedCallerWhenItMeetsTheShreddedKey() {
        ObjectNode event = call();
        app.post(event);
        awaitDone(event);
        try (CallbridgeApp other = app()) {
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                    .until(() -> lookUp(other).headers().firstValue("Callbridge-Cache").orElse("").equals("hit"));

            assertThat(send(HttpRequest.newBuilder(app.uri("/v1/subjects/%2B41796412233")).DELETE(), ADMIN).statusCode()).isEqualTo(202);

            // the other instance follows the key topic: within a poll its cache no longer answers for the person
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                    .until(() -> !lookUp(other).headers().firstValue("Callbridge-Cache").orElse("").equals("hit"));
        }
    }

    @Test
    void theEndpointsNeedTheAdminKeyAndAPhoneNumber() {
        assertThat(send(HttpRequest.newBuilder(app.uri("/v1/subjects/%2B41796412233")).DELETE(), null).statusCode()).isEqualTo(401);
        assertThat(send(HttpRequest.newBuilder(app.uri("/v1/subjects/%2B41796412233")).DELETE(), AGENT).statusCode()).isEqualTo(403);
        HttpResponse<String> bad = send(HttpRequest.newBuilder(app.uri("/v1/subjects/not-a-number")).DELETE(), ADMIN);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(json(bad).at("/errors/0/pointer").asText()).isEqualTo("/phone");
        HttpResponse<String> unknown = send(HttpRequest.newBuilder(app.uri("/v1/subjects/erasures/no-such-erasure")).GET(), ADMIN);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(send(HttpRequest.newBuilder(app.uri("/v1/subjects/erasures/x")).GET(), AGENT).statusCode()).isEqualTo(403);
    }

    private CallbridgeApp app() {
        CallbridgeApp.Builder b = CallbridgeApp.on(broker)
                .with("callbridge.api-keys", ADMIN + ":admin," + AGENT + ":agent")
                .with("callbridge.erasure.master-key-file", masterKeyFile.toString())
                .with("callbridge.primary-crm", "hubspot")
                .with("callbridge.crm.webhook.enabled", "true")
                .with("callbridge.crm.webhook.url", receiver.url())
                .with("callbridge.crm.webhook.check-url", receiver.checkUrl())
                .with("callbridge.crm.webhook.secret", "whsec-erasure")
                .fastRetries();
        crms.settings().forEach(b::with);
        return b.start();
    }

    /** A call of the person: the design example with their number, name and e-mail. */
    private static ObjectNode call() {
        ObjectNode event = Events.exampleWithNewId();
        ObjectNode data = (ObjectNode) event.get("data");
        data.put("from", "079 641 22 33");
        data.put("callId", "call-" + id(event));
        ((ObjectNode) data.get("caller")).put("name", NAME).put("email", EMAIL);
        return event;
    }

    private void awaitDone(ObjectNode event) {
        await().atMost(Duration.ofSeconds(45)).until(() -> app.ledger().state("webhook", id(event) + ":log-call:0") == CommandLedger.State.DONE
                && app.ledger().state("hubspot", id(event) + ":log-call:0") == CommandLedger.State.DONE);
    }

    private void assertPersonIsNowhereOnTheTopics() {
        PhoneFormats formats = new PhoneFormats("CH");
        Set<String> forbidden = new TreeSet<>(formats.variants(E164));
        forbidden.addAll(formats.digitForms(E164));
        forbidden.addAll(List.of(NAME, "Vergessen", EMAIL, "erika.vergessen"));
        try {
            // nor the master key itself, whatever it wraps
            forbidden.add(Files.readString(masterKeyFile).trim());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Set<String> topics = callbridgeTopics();
        assertThat(topics).contains("callbridge.call-events", "callbridge.crm.webhook", "callbridge.crm.hubspot", "callbridge.dlq.webhook",
                "callbridge.subject-keys", "callbridge.erasures", "callbridge.delivery.ledger");
        int records = 0;
        for (Map.Entry<String, List<ConsumerRecord<String, byte[]>>> onTopic : Topics.readAll(broker, topics).entrySet()) {
            String topic = onTopic.getKey();
            for (ConsumerRecord<String, byte[]> r : onTopic.getValue()) {
                records++;
                String where = topic + " " + r.partition() + "@" + r.offset();
                assertThat(String.valueOf(r.key())).as(where + " key").doesNotContain(forbidden);
                assertThat(text(r.value())).as(where + " value").doesNotContain(forbidden);
                for (Header h : r.headers()) {
                    assertThat(text(h.value())).as(where + " header " + h.key()).doesNotContain(forbidden);
                }
            }
        }
        assertThat(records).as("records read").isGreaterThan(10);
    }

    /** Every sealed value or header on every Callbridge topic that opens with the keys on the key topic now, opened. */
    private List<String> decryptable() throws Exception {
        KafkaBackedStore keyStore = new KafkaBackedStore("callbridge.subject-keys", io.callbridge.broker.KafkaClients.plain(broker.bootstrapServers()), Long.MAX_VALUE, 5000);
        keyStore.start();
        try {
            SubjectCipher cipher = SubjectCipher.fromFile(masterKeyFile);
            SubjectCodec codec = new SubjectCodec(cipher, new SubjectKeys(keyStore, cipher));
            List<String> opened = new ArrayList<>();
            int sealed = 0;
            for (List<ConsumerRecord<String, byte[]>> onTopic : Topics.readAll(broker, callbridgeTopics()).values()) {
                for (ConsumerRecord<String, byte[]> r : onTopic) {
                    List<byte[]> values = new ArrayList<>();
                    values.add(r.value());
                    r.headers().forEach(h -> values.add(h.value()));
                    for (byte[] v : values) {
                        if (SubjectCodec.isEnvelope(v)) {
                            sealed++;
                            SubjectCodec.Opened o = codec.open(v);
                            if (!o.erased()) {
                                opened.add(text(o.value()));
                            }
                        }
                    }
                }
            }
            assertThat(sealed).as("sealed values on the topics").isGreaterThan(0);
            return opened;
        } finally {
            keyStore.stop();
        }
    }

    private Set<String> callbridgeTopics() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        try (Admin admin = Admin.create(p)) {
            Set<String> out = new TreeSet<>();
            admin.listTopics().names().get().stream().filter(t -> t.startsWith("callbridge.")).forEach(out::add);
            return out;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private HttpResponse<String> lookUp() {
        return lookUp(app);
    }

    private static HttpResponse<String> lookUp(CallbridgeApp on) {
        HttpResponse<String> r = send(HttpRequest.newBuilder(on.uri("/v1/callers/%2B41796412233")).GET(), AGENT);
        // 503: the CRM was slower than the lookup deadline (a loaded machine) and nothing is cached, which is no cache answer either
        assertThat(r.statusCode()).as(r.body()).isIn(200, 404, 503);
        return r;
    }

    private String revealedDeadLetters() {
        HttpResponse<String> r = send(HttpRequest.newBuilder(app.uri("/v1/dlq/webhook?reveal=true")).GET(), ADMIN);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return r.body();
    }

    private String recentEvents() {
        HttpResponse<String> r = send(HttpRequest.newBuilder(app.uri("/v1/console/events?limit=50")).GET(), ADMIN);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return r.body();
    }

    private static HttpResponse<String> send(HttpRequest.Builder request, String key) {
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return Events.send(request.build());
    }

    private static JsonNode json(HttpResponse<String> r) {
        return Events.parse(r.body().getBytes(StandardCharsets.UTF_8));
    }

    private static String id(ObjectNode event) {
        return event.get("id").asText();
    }

    private static String text(byte[] bytes) {
        return bytes == null ? "" : new String(bytes, StandardCharsets.UTF_8);
    }
}
