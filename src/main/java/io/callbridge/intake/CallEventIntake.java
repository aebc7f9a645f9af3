package io.callbridge.intake;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callbridge.intake.WebhookSignature.SignatureException;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * The steps of intake that YAML expresses badly: content type, signature, contract and the
 * answer. The routes call them by name; the Kafka key and headers they set are documented in
 * ARCHITECTURE.md.
 */
public final class CallEventIntake {

    public static final String EVENT_ID = "CallbridgeEventId";
    public static final String EVENT_TYPE = "CallbridgeEventType";
    public static final String CUSTOMER = "CallbridgeCustomerE164";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** CloudEvents' batched mode: a JSON array of events. */
    public static final String BATCH_MEDIA_TYPE = "application/cloudevents-batch+json";

    private final CallEventValidator validator;
    private final WebhookSignature signature;
    private final AcceptedEventIds accepted;
    private final EventPublisher publisher;
    private final int maxBatch;
    private final IntakeMetrics metrics;

    public CallEventIntake(CallEventValidator validator, WebhookSignature signature, AcceptedEventIds accepted, EventPublisher publisher,
            int maxBatch, IntakeMetrics metrics) {
        this.metrics = metrics;
        this.validator = validator;
        this.signature = signature;
        this.accepted = accepted;
        this.publisher = publisher;
        this.maxBatch = maxBatch;
    }

    public void requireJson(Exchange exchange) throws UnsupportedMediaTypeException {
        String mediaType = mediaType(exchange);
        if (!mediaType.equals("application/cloudevents+json") && !mediaType.equals("application/json") && !mediaType.equals(BATCH_MEDIA_TYPE)) {
            throw new UnsupportedMediaTypeException("Content-Type must be application/cloudevents+json, application/json or "
                    + BATCH_MEDIA_TYPE + (mediaType.isEmpty() ? "; none was sent" : ", not " + mediaType));
        }
    }

    public boolean isBatch(Exchange exchange) {
        return mediaType(exchange).equals(BATCH_MEDIA_TYPE);
    }

    /**
     * A batch of events: each validated on its own; the valid ones not accepted before are published together and
     * remembered as accepted. Answers 202 with their ids when every event was accepted, 207 with one result per event
     * when some were refused (each refusal's pointers start with its index, e.g. {@code /3/data/from}); when none is
     * valid, the refusal is the problem of the whole request (400).
     */
    public void acceptBatch(Exchange exchange) throws InvalidEventException, JsonProcessingException {
        List<CallEventValidator.Validated> batch = validator.validateBatch(body(exchange), maxBatch);
        List<FieldError> errors = batch.stream().flatMap(v -> v.errors().stream()).toList();
        metrics.refused(exchange, "invalid", (int) batch.stream().filter(v -> v.event() == null).count());
        if (batch.stream().allMatch(v -> v.event() == null)) {
            throw new InvalidEventException(errors);
        }
        List<CallEvent> fresh = batch.stream().map(CallEventValidator.Validated::event)
                .filter(e -> e != null && !accepted.isAccepted(e.id())).toList();
        publisher.publish(fresh);
        fresh.forEach(e -> accepted.markAccepted(e.id()));
        Message m = exchange.getMessage();
        m.removeHeaders("*");
        m.setHeader(Exchange.CONTENT_TYPE, "application/json");
        ObjectNode answer = JSON.createObjectNode();
        if (errors.isEmpty()) {
            m.setHeader(Exchange.HTTP_RESPONSE_CODE, 202);
            ArrayNode ids = answer.putArray("ids");
            batch.forEach(v -> ids.add(v.event().id()));
        } else {
            m.setHeader(Exchange.HTTP_RESPONSE_CODE, 207);
            ArrayNode results = answer.putArray("results");
            for (CallEventValidator.Validated v : batch) {
                ObjectNode r = results.addObject().put("index", v.index());
                if (v.event() != null) {
                    r.put("status", 202).put("id", v.event().id());
                } else {
                    r.put("status", 400);
                    ArrayNode es = r.putArray("errors");
                    v.errors().forEach(f -> es.addObject().put("pointer", f.pointer()).put("detail", f.detail()));
                }
            }
        }
        m.setBody(JSON.writeValueAsString(answer));
    }

    private static String mediaType(Exchange exchange) {
        String type = exchange.getMessage().getHeader(Exchange.CONTENT_TYPE, String.class);
        return type == null ? "" : type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    }

    public void verifySignature(Exchange exchange) throws SignatureException {
        signature.verify(exchange.getMessage().getHeader(WebhookSignature.HEADER, String.class), body(exchange));
    }

    /** Validates the body and replaces it with the event to publish, with its identity in headers. */
    public void validate(Exchange exchange) throws InvalidEventException {
        CallEvent event = validator.validate(body(exchange));
        Message m = exchange.getMessage();
        m.setBody(event.json());
        m.setHeader(EVENT_ID, event.id());
        m.setHeader(EVENT_TYPE, event.type());
        m.setHeader(CUSTOMER, event.customerE164());
    }

    /** 202 with the event id; the request's headers are not echoed back. */
    public void answerAccepted(Exchange exchange) throws JsonProcessingException {
        Message m = exchange.getMessage();
        String id = m.getHeader(EVENT_ID, String.class);
        m.removeHeaders("*");
        m.setHeader(Exchange.HTTP_RESPONSE_CODE, 202);
        m.setHeader(Exchange.CONTENT_TYPE, "application/json");
        m.setBody(JSON.writeValueAsString(Map.of("id", id)));
    }

    private static byte[] body(Exchange exchange) {
        byte[] body = exchange.getMessage().getBody(byte[].class);
        return body == null ? new byte[0] : body;
    }
}
