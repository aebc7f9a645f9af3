package io.callbridge.delivery;

import java.time.Clock;
import java.time.Instant;

import io.callbridge.intake.InvalidEventException;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;

/**
 * Adds the dead-letter headers of DESIGN.md to the original message, so an operator sees why it was
 * set aside and a replay knows where it came from.
 */
public final class DeadLetters {

    public static final String CRM = "callbridge-crm";
    public static final String ACTION = "callbridge-action";
    public static final String ERROR_CLASS = "callbridge-error-class";
    public static final String HTTP_STATUS = "callbridge-http-status";
    public static final String CRM_ERROR = "callbridge-crm-error";
    public static final String ATTEMPTS = "callbridge-attempts";
    public static final String FIRST_FAILURE = "callbridge-first-failure";
    public static final String LAST_FAILURE = "callbridge-last-failure";
    public static final String SOURCE_TOPIC = "callbridge-source-topic";
    public static final String SOURCE_PARTITION = "callbridge-source-partition";
    public static final String SOURCE_OFFSET = "callbridge-source-offset";

    private static final int MAX_REASON = 4000;

    private final Clock clock;

    public DeadLetters(Clock clock) {
        this.clock = clock;
    }

    /** An event that can never be processed as it is: the reason names the field. */
    public void invalidEvent(Exchange exchange) {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String reason = e instanceof InvalidEventException invalid ? invalid.getMessage()
                : e == null ? "unknown" : e.getClass().getSimpleName() + ": " + e.getMessage();
        mark(exchange, "intake", "intake", "invalid", null, reason, 1);
    }

    public void mark(Exchange exchange, String crm, String action, String errorClass, Integer httpStatus,
            String reason, int attempts) {
        Message m = exchange.getMessage();
        String now = Instant.now(clock).toString();
        m.setHeader(CRM, crm);
        m.setHeader(ACTION, action);
        m.setHeader(ERROR_CLASS, errorClass);
        if (httpStatus != null) {
            m.setHeader(HTTP_STATUS, String.valueOf(httpStatus));
        }
        m.setHeader(CRM_ERROR, truncate(reason));
        m.setHeader(ATTEMPTS, String.valueOf(attempts));
        if (m.getHeader(FIRST_FAILURE) == null) {
            m.setHeader(FIRST_FAILURE, now);
        }
        m.setHeader(LAST_FAILURE, now);
        copy(m, KafkaConstants.TOPIC, SOURCE_TOPIC);
        copy(m, KafkaConstants.PARTITION, SOURCE_PARTITION);
        copy(m, KafkaConstants.OFFSET, SOURCE_OFFSET);
    }

    private static void copy(Message m, String from, String to) {
        Object v = m.getHeader(from);
        if (v != null) {
            m.setHeader(to, String.valueOf(v));
        }
    }

    private static String truncate(String s) {
        if (s == null) {
            return "";
        }
        return s.length() <= MAX_REASON ? s : s.substring(0, MAX_REASON) + "…";
    }
}
