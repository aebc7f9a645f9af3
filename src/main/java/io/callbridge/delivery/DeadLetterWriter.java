package io.callbridge.delivery;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import io.callbridge.broker.Publisher;
import io.callbridge.erasure.SubjectCodec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Sets a command aside on {@code callbridge.dlq.<crm>}: the original record (key, value and headers unchanged)
 * plus the dead-letter headers of DESIGN.md, acknowledged by the broker before the consumer commits past it.
 */
final class DeadLetterWriter {

    private static final int MAX_REASON = 4000;

    private final Publisher publisher;
    private final Clock clock;
    private final SubjectCodec codec;

    DeadLetterWriter(Publisher publisher, Clock clock, SubjectCodec codec) {
        this.publisher = publisher;
        this.clock = clock;
        this.codec = codec;
    }

    /** Writes the dead letter and waits for the broker's acknowledgement. */
    void write(String crm, ConsumerRecord<String, byte[]> original, String action, String errorClass, Integer httpStatus,
            String reason, int attempts) {
        ProducerRecord<String, byte[]> out = new ProducerRecord<>("callbridge.dlq." + crm, original.key(), original.value());
        String firstFailure = null;
        for (Header h : original.headers()) {
            if (h.key().equals(DeadLetters.FIRST_FAILURE)) {
                firstFailure = new String(h.value(), StandardCharsets.UTF_8);
            } else if (!h.key().startsWith("callbridge-")) {
                out.headers().add(h);
            }
        }
        String now = Instant.now(clock).toString();
        Map<String, String> added = new LinkedHashMap<>();
        added.put(DeadLetters.CRM, crm);
        added.put(DeadLetters.ACTION, action);
        added.put(DeadLetters.ERROR_CLASS, errorClass);
        if (httpStatus != null) {
            added.put(DeadLetters.HTTP_STATUS, String.valueOf(httpStatus));
        }
        added.put(DeadLetters.CRM_ERROR, reason == null ? "" : reason.length() <= MAX_REASON ? reason : reason.substring(0, MAX_REASON) + "…");
        added.put(DeadLetters.ATTEMPTS, String.valueOf(attempts));
        added.put(DeadLetters.FIRST_FAILURE, firstFailure == null ? now : firstFailure);
        added.put(DeadLetters.LAST_FAILURE, now);
        added.put(DeadLetters.SOURCE_TOPIC, original.topic());
        added.put(DeadLetters.SOURCE_PARTITION, String.valueOf(original.partition()));
        added.put(DeadLetters.SOURCE_OFFSET, String.valueOf(original.offset()));
        // the CRM's message may echo the person (their e-mail, name): sealed with their key, like the command itself
        added.forEach((k, v) -> out.headers().add(k, k.equals(DeadLetters.CRM_ERROR)
                ? codec.sealLike(original.value(), v.getBytes(StandardCharsets.UTF_8)) : v.getBytes(StandardCharsets.UTF_8)));
        publisher.publish(out);
    }
}
