package io.callbridge.intake;

import io.callbridge.erasure.SubjectCodec;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * The steps of the YAML routes that write and read {@code callbridge.call-events} through camel-kafka (the single
 * posted event, the identify warm-up): the same sealing as {@link EventPublisher}, so every call event Callbridge
 * writes is keyed by the caller's pseudonym and sealed with their key when a master key is configured.
 */
public final class EventSealing {

    private final SubjectCodec codec;

    public EventSealing(SubjectCodec codec) {
        this.codec = codec;
    }

    /** Before {@code to: kafka}: the pseudonym as the key, the event sealed, and no header naming the number. */
    public void seal(Exchange exchange) {
        if (!codec.sealing()) {
            return;
        }
        Message m = exchange.getMessage();
        String customer = m.getHeader(CallEventIntake.CUSTOMER, String.class);
        m.setBody(codec.seal(customer, m.getBody(byte[].class)));
        m.setHeader("kafka.KEY", codec.key(customer));
        m.removeHeader(CallEventIntake.CUSTOMER);
    }

    /** After {@code from: kafka}: the event as it was written; an erased caller's or an unreadable event ends the exchange here. */
    public void open(Exchange exchange) {
        byte[] value = exchange.getMessage().getBody(byte[].class);
        if (!SubjectCodec.isEnvelope(value)) {
            return;
        }
        SubjectCodec.Opened opened = codec.open(value);
        // the warm-up only reads ahead: delivery sets an unreadable event aside, with its reason
        if (opened.erased() || opened.unreadable() != null) {
            exchange.setRouteStop(true);
        } else {
            exchange.getMessage().setBody(opened.value());
        }
    }
}
