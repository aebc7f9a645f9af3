package io.callbridge.intake;

import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
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

    private final CallEventValidator validator;
    private final WebhookSignature signature;

    public CallEventIntake(CallEventValidator validator, WebhookSignature signature) {
        this.validator = validator;
        this.signature = signature;
    }

    public void requireJson(Exchange exchange) throws UnsupportedMediaTypeException {
        String type = exchange.getMessage().getHeader(Exchange.CONTENT_TYPE, String.class);
        String mediaType = type == null ? "" : type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (!mediaType.equals("application/cloudevents+json") && !mediaType.equals("application/json")) {
            throw new UnsupportedMediaTypeException("Content-Type must be application/cloudevents+json or "
                    + "application/json" + (mediaType.isEmpty() ? "; none was sent" : ", not " + mediaType));
        }
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
