package io.callbridge.console;

import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callbridge.broker.KafkaClients;
import io.callbridge.broker.TopicReader;
import io.callbridge.delivery.CommandLedger;
import io.callbridge.logging.Pii;
import io.callbridge.mapping.Command;
import io.callbridge.mapping.LiveMappings;
import io.callbridge.mapping.MappingException;
import org.apache.camel.Exchange;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * {@code GET /v1/console/events?limit=20}: the newest call events of the topic as an operator needs them to follow
 * a call (id, type, time, the caller's number masked, and per CRM the rules send it to, how far its commands got).
 * Names, e-mails, summaries and transcripts are never part of the answer, so nothing here needs a reveal.
 */
public final class RecentEvents {

    static final int DEFAULT_LIMIT = 20;
    static final int MAX_LIMIT = 100;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String topic;
    private final KafkaClients clients;
    private final LiveMappings mappings;
    private final CommandLedger ledger;

    private final io.callbridge.erasure.SubjectCodec codec;

    public RecentEvents(String topic, KafkaClients clients, LiveMappings mappings, CommandLedger ledger, io.callbridge.erasure.SubjectCodec codec) {
        this.codec = codec;
        this.topic = topic;
        this.clients = clients;
        this.mappings = mappings;
        this.ledger = ledger;
    }

    public void recent(Exchange exchange) throws Exception {
        int limit = limit(exchange.getMessage().getHeader("limit", String.class));
        ArrayNode out = JSON.createArrayNode();
        for (ConsumerRecord<String, byte[]> r : newest(limit)) {
            io.callbridge.erasure.SubjectCodec.Opened opened = codec.open(r.value());
            if (!opened.erased() && opened.unreadable() == null) {
                out.add(describe(r, opened.value()));
            }
        }
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        exchange.getMessage().setBody(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(out));
    }

    /** A bad or missing limit is the default, a large one the maximum: the console asks, it never has to be refused. */
    static int limit(String asked) {
        if (asked == null || !asked.matches("\\d{1,9}")) {
            return DEFAULT_LIMIT;
        }
        return Math.max(1, Math.min(MAX_LIMIT, Integer.parseInt(asked)));
    }

    private ObjectNode describe(ConsumerRecord<String, byte[]> r, byte[] value) {
        ObjectNode n = JSON.createObjectNode();
        JsonNode event;
        try {
            event = JSON.readTree(value);
        } catch (java.io.IOException | RuntimeException e) {
            // a producer wrote something that is not JSON; the core consumer dead-letters it, the console says so
            return n.put("offset", r.partition() + "-" + r.offset()).put("time", Instant.ofEpochMilli(r.timestamp()).toString())
                    .put("unreadable", true);
        }
        n.put("id", event.path("id").asText(""));
        n.put("type", event.path("type").asText(""));
        n.put("time", event.hasNonNull("time") ? event.get("time").asText() : Instant.ofEpochMilli(r.timestamp()).toString());
        n.put("caller", Pii.phone(caller(r, event)));
        n.set("crms", crms(event));
        return n;
    }

    private static String caller(ConsumerRecord<String, byte[]> r, JsonNode event) {
        String e164 = event.path("data").path("customerE164").asText(null);
        return e164 != null ? e164 : r.key();
    }

    /** Per CRM the current rules send the event to, the least advanced state of its commands there. */
    private ArrayNode crms(JsonNode event) {
        Map<String, CommandLedger.State> byCrm = new LinkedHashMap<>();
        ArrayNode out = JSON.createArrayNode();
        List<Command> commands;
        try {
            commands = mappings.current().plan(event);
        } catch (MappingException | RuntimeException e) {
            return out; // an event the rules cannot plan went to callbridge.dlq.intake, not to any CRM
        }
        for (Command c : commands) {
            CommandLedger.State state = ledger.state(c.crm(), c.commandId());
            byCrm.merge(c.crm(), state, RecentEvents::lessAdvanced);
        }
        byCrm.forEach((crm, state) -> out.addObject().put("crm", crm).put("state", label(state)));
        return out;
    }

    private static String label(CommandLedger.State state) {
        return state == CommandLedger.State.ABSENT ? "queued" : state.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** A dead command outweighs everything, then one not yet delivered (absent, pending), then done. */
    private static CommandLedger.State lessAdvanced(CommandLedger.State a, CommandLedger.State b) {
        List<CommandLedger.State> order = List.of(CommandLedger.State.DEAD, CommandLedger.State.ABSENT,
                CommandLedger.State.PENDING, CommandLedger.State.DONE);
        return order.indexOf(a) <= order.indexOf(b) ? a : b;
    }

    /** The newest {@code limit} events overall. */
    private List<ConsumerRecord<String, byte[]>> newest(int limit) {
        List<ConsumerRecord<String, byte[]>> records = TopicReader.read(clients, topic, limit);
        return records.stream().sorted(Comparator.comparingLong((ConsumerRecord<String, byte[]> r) -> r.timestamp()).reversed())
                .limit(limit).toList();
    }
}
