package io.callbridge.delivery;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callbridge.broker.BatchConsumer;
import io.callbridge.broker.Publisher;
import io.callbridge.crm.CrmKeys;
import io.callbridge.erasure.SubjectCodec;
import io.callbridge.intake.CallEvent;
import io.callbridge.intake.CallEventValidator;
import io.callbridge.intake.InvalidEventException;
import io.callbridge.logging.Pii;
import io.callbridge.mapping.Command;
import io.callbridge.mapping.LiveMappings;
import io.callbridge.mapping.MappingException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import io.callbridge.crm.TraceContext;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The core step from call events to commands, one poll of {@code callbridge.call-events} at a time (group
 * {@code callbridge-core}). Every event, whoever produced it, is checked against the contract again (other
 * producers may write to Kafka directly); the rules turn it into one command per (enabled CRM, action) on
 * {@code callbridge.crm.<crm>}, keyed by the caller's number, plus an owner alert on
 * {@code callbridge.notifications} for each notify-owner action. An event that breaks the contract, or that
 * the rules cannot evaluate, goes as it was received to {@code callbridge.dlq.intake} with the reason, and the
 * partition keeps flowing. The batch counts as done (and is committed) only once the broker acknowledged every
 * message of it; if it does not, the whole batch is taken again (a command written twice is delivered once).
 */
public final class CommandRouting implements BatchConsumer.Handler {

    private static final Logger LOG = LoggerFactory.getLogger(CommandRouting.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Header of a command record: its action. */
    public static final String ACTION = "CallbridgeAction";
    /** On an event's last command for a CRM: its consumer then knows the event's commands are all there. */
    public static final String LAST_OF_EVENT = "CallbridgeLastOfEvent";
    public static final String NOTIFICATIONS_TOPIC = "callbridge.notifications";
    static final String INTAKE = "intake";

    private final CallEventValidator validator;
    private final LiveMappings mappings;
    private final Publisher publisher;
    private final DeadLetterWriter deadLetters;
    private final Duration retryAfterFailure;
    private final SubjectCodec codec;

    CommandRouting(CallEventValidator validator, LiveMappings mappings, Publisher publisher, DeadLetterWriter deadLetters,
            Duration retryAfterFailure, SubjectCodec codec) {
        this.codec = codec;
        this.validator = validator;
        this.mappings = mappings;
        this.publisher = publisher;
        this.deadLetters = deadLetters;
        this.retryAfterFailure = retryAfterFailure;
    }

    @Override
    public BatchConsumer.Result handle(List<ConsumerRecord<String, byte[]>> records, BooleanSupplier stopping) {
        List<ProducerRecord<String, byte[]>> out = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : records) {
            SubjectCodec.Opened opened = codec.open(r.value());
            if (opened.erased()) {
                LOG.debug("Call event at {}/{}@{} skipped: its caller was erased", r.topic(), r.partition(), r.offset());
                continue;
            }
            if (opened.unreadable() != null) {
                deadLetters.write(INTAKE, r, INTAKE, "invalid", null, opened.unreadable(), 1);
                LOG.warn("Dead letter from {}/{}@{}: {}", r.topic(), r.partition(), r.offset(), opened.unreadable());
                continue;
            }
            try {
                CallEvent event = validator.validate(opened.value());
                List<ProducerRecord<String, byte[]>> commands = messages(event);
                // the call's trace goes on with each command (TraceContext)
                for (String name : List.of(TraceContext.TRACEPARENT, TraceContext.TRACESTATE)) {
                    org.apache.kafka.common.header.Header h = r.headers().lastHeader(name);
                    if (h != null) {
                        commands.forEach(m -> m.headers().add(name, h.value()));
                    }
                }
                out.addAll(commands);
                LOG.info("Call event {} ({}) for {} received", event.id(), event.type(), Pii.phone(event.customerE164()));
            } catch (InvalidEventException | MappingException | RuntimeException e) {
                String reason = e instanceof InvalidEventException || e instanceof MappingException ? e.getMessage()
                        : e.getClass().getSimpleName() + ": " + e.getMessage();
                deadLetters.write(INTAKE, r, INTAKE, "invalid", null, reason, 1);
                LOG.warn("Dead letter from {}/{}@{}: {}", r.topic(), r.partition(), r.offset(), reason);
            }
        }
        publisher.publish(out);
        return BatchConsumer.Result.finished();
    }

    @Override
    public Duration retryAfterFailure() {
        return retryAfterFailure;
    }

    private List<ProducerRecord<String, byte[]>> messages(CallEvent event) throws MappingException {
        List<ProducerRecord<String, byte[]>> messages = new ArrayList<>();
        Map<String, ProducerRecord<String, byte[]>> lastPerCrm = new HashMap<>();
        Set<String> alerted = new HashSet<>();
        for (Command command : mappings.current().plan(event.tree())) {
            ProducerRecord<String, byte[]> m = message(DeliveryCore.topic(command.crm()), command, command.toJson());
            messages.add(m);
            lastPerCrm.put(command.crm(), m);
            if (command.action().equals("notify-owner") && alerted.add(command.commandId())) {
                messages.add(message(NOTIFICATIONS_TOPIC, command, notification(command)));
            }
        }
        lastPerCrm.values().forEach(m -> m.headers().add(LAST_OF_EVENT, new byte[0]));
        return messages;
    }

    private ProducerRecord<String, byte[]> message(String topic, Command command, ObjectNode body) {
        try {
            ProducerRecord<String, byte[]> m = new ProducerRecord<>(topic, codec.key(command.customerE164()),
                    codec.seal(command.customerE164(), JSON.writeValueAsBytes(body)));
            m.headers().add(CrmKeys.COMMAND_ID, command.commandId().getBytes(StandardCharsets.UTF_8))
                    .add(ACTION, command.action().getBytes(StandardCharsets.UTF_8));
            return m;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a command could not be written as JSON", e);
        }
    }

    /** The owner alert: what happened and who called, for a chat or paging integration. */
    static ObjectNode notification(Command command) {
        JsonNode data = command.event().path("data");
        ObjectNode n = JSON.createObjectNode();
        n.put("notificationId", command.commandId());
        n.put("eventId", command.eventId());
        n.put("ruleId", command.ruleId());
        n.put("subject", command.with().path("subject").asText("Appel à traiter"));
        n.put("priority", command.with().path("priority").asText("normal"));
        n.put("customerE164", command.customerE164());
        n.put("callAt", command.callAt());
        if (data.path("caller").path("name").isTextual()) {
            n.put("callerName", data.path("caller").path("name").asText());
        }
        if (data.path("summary").isTextual()) {
            n.put("summary", data.path("summary").asText());
        }
        return n;
    }
}
