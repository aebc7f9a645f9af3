package io.callbridge.intake;

import java.nio.charset.StandardCharsets;
import java.util.List;

import io.callbridge.broker.Publisher;
import io.callbridge.erasure.SubjectCodec;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Publishes a batch of validated events to {@code callbridge.call-events} with the same key and headers a single
 * event gets, acknowledged together. camel-kafka sends an iterable body as one batch too, but gives every record
 * the same headers.
 */
public final class EventPublisher {

    private final String topic;
    private final Publisher publisher;
    private final SubjectCodec codec;

    public EventPublisher(String topic, Publisher publisher, SubjectCodec codec) {
        this.topic = topic;
        this.publisher = publisher;
        this.codec = codec;
    }

    /** Sends every event and waits for all acknowledgements; a broker that does not answer in time is a KafkaException. */
    public void publish(List<CallEvent> events) {
        publisher.publish(events.stream().map(this::record).toList());
    }

    private ProducerRecord<String, byte[]> record(CallEvent e) {
        ProducerRecord<String, byte[]> r = new ProducerRecord<>(topic, codec.key(e.customerE164()), codec.seal(e.customerE164(), e.json()));
        r.headers().add(CallEventIntake.EVENT_ID, e.id().getBytes(StandardCharsets.UTF_8))
                .add(CallEventIntake.EVENT_TYPE, e.type().getBytes(StandardCharsets.UTF_8));
        if (!codec.sealing()) {
            // sealed, the number stays inside the envelope: a header cannot be shredded
            r.headers().add(CallEventIntake.CUSTOMER, e.customerE164().getBytes(StandardCharsets.UTF_8));
        }
        r.headers().add("content-type", "application/cloudevents+json".getBytes(StandardCharsets.UTF_8));
        return r;
    }
}
