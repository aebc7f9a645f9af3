package io.callbridge.delivery;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callbridge.audit.AuditTrail;
import io.callbridge.broker.DurableProducer;
import io.callbridge.broker.KafkaClients;
import io.callbridge.broker.TopicReader;
import io.callbridge.http.ApiKeys;
import io.callbridge.logging.Pii;
import io.callbridge.mapping.Command;
import io.callbridge.state.KafkaBackedStore;
import org.apache.camel.Exchange;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * {@code GET /v1/dlq/{crm}} and {@code POST /v1/dlq/{crm}/replay}: the dead letters of a CRM with their
 * reason, and sending them back through the CRM's delivery route once the cause is fixed. A replay
 * of a command that would overwrite a record with older data than what was applied since is
 * reported, not sent. The CRM's message may echo the caller's e-mail or number: it is masked unless the
 * request asks {@code ?reveal=true} on purpose. Both are admin actions on the audit trail (routes/dead-letters.yaml);
 * this class says what they were about: the CRM, and the dead letters' ids (never their content).
 */
public final class DeadLetterApi {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long REPLAY_TIMEOUT_MS = 10_000;

    private final Set<String> crms;
    private final KafkaClients clients;
    private final KafkaBackedStore replays;
    private final CommandLedger ledger;
    private final io.callbridge.erasure.SubjectCodec codec;

    /** @param crms the enabled CRMs, whose dead letters this answers for */
    public DeadLetterApi(Set<String> crms, KafkaClients clients, KafkaBackedStore replays, CommandLedger ledger,
            io.callbridge.erasure.SubjectCodec codec) {
        this.codec = codec;
        this.crms = Set.copyOf(crms);
        this.clients = clients;
        this.replays = replays;
        this.ledger = ledger;
    }

    public void list(Exchange exchange) throws Exception {
        String crm = crm(exchange);
        boolean reveal = "true".equalsIgnoreCase(exchange.getMessage().getHeader("reveal", String.class));
        if (reveal && !"admin".equals(exchange.getProperty(ApiKeys.ROLE, String.class))) {
            throw new ApiKeys.ForbiddenException("only an admin key may reveal personal data in the CRMs' messages");
        }
        ArrayNode out = JSON.createArrayNode();
        for (ConsumerRecord<String, byte[]> r : read(crm)) {
            // a dead letter of an erased caller is not theirs to show any more, nor anyone's to replay
            if (!codec.open(r.value()).erased()) {
                out.add(describe(crm, r, reveal));
            }
        }
        AuditTrail.target(exchange, crm + ": " + out.size() + " dead letters");
        answer(exchange, 200, out);
    }

    /** Body: empty or {} for every open dead letter, or {"ids": ["<partition>-<offset>", …]}. */
    public void replay(Exchange exchange) throws Exception {
        String crm = crm(exchange);
        String body = exchange.getMessage().getBody(String.class);
        JsonNode request = body == null || body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
        Set<String> wanted = null;
        if (request.has("ids")) {
            wanted = new java.util.HashSet<>();
            for (JsonNode id : request.get("ids")) {
                wanted.add(id.asText());
            }
        }
        ArrayNode replayed = JSON.createArrayNode();
        ArrayNode superseded = JSON.createArrayNode();
        ArrayNode unreadable = JSON.createArrayNode();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(clients.properties(DurableProducer.settings(null,
                REPLAY_TIMEOUT_MS)), new StringSerializer(), new ByteArraySerializer())) {
            for (ConsumerRecord<String, byte[]> r : read(crm)) {
                String id = id(r);
                if ((wanted != null && !wanted.contains(id)) || replays.get(replayKey(crm, id)) != null) {
                    continue;
                }
                io.callbridge.erasure.SubjectCodec.Opened opened = codec.open(r.value());
                if (opened.erased()) {
                    continue;
                }
                if (opened.unreadable() != null) {
                    // stays a dead letter: replayed once its key is configured again
                    unreadable.addObject().put("id", id).put("reason", opened.unreadable());
                    continue;
                }
                Command command = Command.fromJson(JSON.readTree(opened.value()));
                String newer = Delivery.OVERWRITING.contains(command.action())
                        ? ledger.lastApplied(crm, command.customerE164(), command.action()) : null;
                if (newer != null && command.callAt() != null && CommandLedger.normalise(newer)
                        .compareTo(CommandLedger.normalise(command.callAt())) > 0) {
                    superseded.addObject().put("id", id).put("commandId", command.commandId())
                            .put("reason", "a newer call (" + newer + ") was applied to this record since; replaying would put older data back");
                    replays.put(replayKey(crm, id), "superseded");
                    continue;
                }
                ProducerRecord<String, byte[]> out = new ProducerRecord<>("callbridge.crm." + crm, r.key(), r.value());
                out.headers().add("callbridge-replay-of", id.getBytes(StandardCharsets.UTF_8));
                producer.send(out).get(REPLAY_TIMEOUT_MS, TimeUnit.MILLISECONDS);
                replays.put(replayKey(crm, id), "replayed");
                replayed.addObject().put("id", id).put("commandId", command.commandId());
            }
        }
        AuditTrail.target(exchange, crm + ": replayed " + ids(replayed) + "; superseded " + ids(superseded));
        ObjectNode result = JSON.createObjectNode();
        result.set("replayed", replayed);
        result.set("superseded", superseded);
        if (!unreadable.isEmpty()) {
            result.set("unreadable", unreadable);
        }
        answer(exchange, 200, result);
    }

    private ObjectNode describe(String crm, ConsumerRecord<String, byte[]> r, boolean reveal) {
        ObjectNode n = JSON.createObjectNode();
        String id = id(r);
        n.put("id", id);
        for (Map.Entry<String, String> h : Map.of("commandId", "CallbridgeCommandId", "action", DeadLetters.ACTION,
                "errorClass", DeadLetters.ERROR_CLASS, "httpStatus", DeadLetters.HTTP_STATUS, "reason", DeadLetters.CRM_ERROR,
                "attempts", DeadLetters.ATTEMPTS, "firstFailure", DeadLetters.FIRST_FAILURE,
                "lastFailure", DeadLetters.LAST_FAILURE).entrySet()) {
            Header header = r.headers().lastHeader(h.getValue());
            if (header != null) {
                byte[] value = h.getValue().equals(DeadLetters.CRM_ERROR) ? codec.open(header.value()).value() : header.value();
                n.put(h.getKey(), value == null ? "" : new String(value, StandardCharsets.UTF_8));
            }
        }
        if (!reveal && n.has("reason")) {
            n.put("reason", Pii.inText(n.get("reason").asText()));
        }
        String state = replays.get(replayKey(crm, id));
        n.put("status", state == null ? "open" : state);
        return n;
    }

    private List<ConsumerRecord<String, byte[]>> read(String crm) {
        return TopicReader.read(clients, "callbridge.dlq." + crm, Long.MAX_VALUE);
    }

    private String crm(Exchange exchange) throws io.callbridge.http.NotFoundException {
        String crm = exchange.getMessage().getHeader("crm", String.class);
        if (crm == null || !crms.contains(crm)) {
            throw new io.callbridge.http.NotFoundException("no such CRM; dead letters are kept for " + new java.util.TreeSet<>(crms));
        }
        return crm;
    }

    private static String id(ConsumerRecord<?, ?> r) {
        return r.partition() + "-" + r.offset();
    }

    /** At most 20 ids, then how many more: an audit target stays one line. */
    private static String ids(ArrayNode entries) {
        if (entries.isEmpty()) {
            return "none";
        }
        java.util.List<String> ids = new java.util.ArrayList<>();
        entries.forEach(e -> ids.add(e.get("id").asText()));
        return String.join(", ", ids.subList(0, Math.min(20, ids.size()))) + (ids.size() > 20 ? " and " + (ids.size() - 20) + " more" : "");
    }

    private static String replayKey(String crm, String id) {
        return "dlq|" + crm + "|" + id;
    }

    private static void answer(Exchange exchange, int status, JsonNode body) throws Exception {
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        exchange.getMessage().setBody(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(body));
    }
}
