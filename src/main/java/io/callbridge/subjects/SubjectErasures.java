package io.callbridge.subjects;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callbridge.erasure.SubjectCodec;
import io.callbridge.http.HttpProblems;
import io.callbridge.http.NotFoundException;
import io.callbridge.http.Problem;
import io.callbridge.intake.FieldError;
import io.callbridge.logging.Pii;
import io.callbridge.phone.PhoneNormalizer;
import io.callbridge.phone.PhoneNormalizer.InvalidPhoneNumberException;
import io.callbridge.state.KafkaBackedStore;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code DELETE /v1/subjects/{phone}} and {@code GET /v1/subjects/erasures/{id}}: erases a person from what Callbridge
 * holds, one {@link Step} per holder, and records the erasure and each step's result on a compacted topic
 * ({@code callbridge.erasures}), so its progress is readable from any instance and after a restart. The record holds
 * no personal data: not the number, only the pseudonym while the erasure runs (so one interrupted by a crash is
 * finished at the next start), removed once it is done.
 */
public final class SubjectErasures {

    private static final Logger LOG = LoggerFactory.getLogger(SubjectErasures.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Whom to erase: the number when the request named it (null when an interrupted erasure is resumed), and the key. */
    public record Subject(String e164, String key) {
    }

    /** One holder of personal data: erases the subject there and says what it did. */
    public interface Step {
        String name();

        /** @return what was done, for the progress; throwing fails this step only */
        String erase(Subject subject);
    }

    /** A step failed for a reason the progress may show: its message holds no personal data. */
    public static final class StepFailed extends RuntimeException {
        public StepFailed(String reason) {
            super(reason);
        }
    }

    private final PhoneNormalizer phones;
    private final SubjectCodec codec;
    private final KafkaBackedStore erasures;
    private final List<Step> steps;
    private final Clock clock;

    public SubjectErasures(PhoneNormalizer phones, SubjectCodec codec, KafkaBackedStore erasures, List<Step> steps, Clock clock) {
        this.phones = phones;
        this.codec = codec;
        this.erasures = erasures;
        this.steps = List.copyOf(steps);
        this.clock = clock;
    }

    /**
     * Route step, before the audit trail names the action: its target is the number masked ({@link Pii#phone}), not the
     * request's path, whose number may be URL-encoded past the path's masking.
     */
    public void auditTarget(Exchange exchange) {
        String raw = exchange.getMessage().getHeader("phone", String.class);
        String target;
        try {
            target = Pii.phone(phones.toE164(raw));
        } catch (InvalidPhoneNumberException e) {
            target = "an invalid number";
        }
        io.callbridge.audit.AuditTrail.target(exchange, "subject " + target);
    }

    /** For the route: 202 with the erasure's id and its steps, 400 naming {@code /phone} for a number that is not one. */
    public void erase(Exchange exchange) throws IOException {
        String e164;
        try {
            e164 = phones.toE164(exchange.getMessage().getHeader("phone", String.class));
        } catch (InvalidPhoneNumberException e) {
            HttpProblems.answer(exchange, new Problem(400, "Invalid phone number", "The phone number in the path " + e.getMessage()
                    + ".", List.of(new FieldError("/phone", "the number " + e.getMessage()))));
            return;
        }
        String id = UUID.randomUUID().toString();
        ObjectNode erasure = run(id, new Subject(e164, codec.key(e164)));
        LOG.info("Erasure {} of {}: {}", id, Pii.phone(e164), erasure.path("state").asText());
        answer(exchange, 202, erasure);
    }

    /** For the route: the erasure's progress, 404 for an id that names none. */
    public void progress(Exchange exchange) throws IOException, NotFoundException {
        String id = exchange.getMessage().getHeader("id", String.class);
        String stored = id == null ? null : erasures.get(id);
        if (stored == null) {
            throw new NotFoundException("no erasure has this id");
        }
        ObjectNode erasure = (ObjectNode) JSON.readTree(stored);
        erasure.remove("subjectKey");
        answer(exchange, 200, erasure);
    }

    /**
     * At start: an erasure a crash interrupted is finished by its pseudonym (nothing is cached after a restart); one
     * without a pseudonym to finish it by (no master key: the record keeps nothing of the person) is marked failed, so
     * that its progress does not say "running" for ever.
     */
    public void resumeInterrupted() {
        for (String id : erasures.keys(k -> true)) {
            try {
                JsonNode erasure = JSON.readTree(erasures.get(id));
                if (!"running".equals(erasure.path("state").asText())) {
                    continue;
                }
                if (erasure.hasNonNull("subjectKey")) {
                    run(id, new Subject(null, erasure.get("subjectKey").asText()));
                    LOG.info("Erasure {} was interrupted; finished now", id);
                } else {
                    ((ObjectNode) erasure).put("state", "failed").put("finishedAt", Instant.now(clock).toString()).put("detail",
                            "interrupted by a restart; the erasure kept nothing to finish it with (no master key): erase the person again");
                    erasures.put(id, JSON.writeValueAsString(erasure));
                    LOG.warn("Erasure {} was interrupted and cannot be finished without the number; marked failed", id);
                }
            } catch (IOException | RuntimeException e) {
                LOG.warn("Erasure {} could not be resumed: {}", id, e.toString());
            }
        }
    }

    private ObjectNode run(String id, Subject subject) throws IOException {
        ObjectNode erasure = JSON.createObjectNode();
        erasure.put("erasureId", id);
        erasure.put("requestedAt", Instant.now(clock).toString());
        erasure.put("state", "running");
        erasure.put("topics", codec.sealing() ? "shredded: the person's records on Callbridge's topics can no longer be decrypted"
                : "not shreddable: no master key is configured (" + io.callbridge.erasure.ErasureSettings.MASTER_KEY_FILE.key()
                        + "), so the person's records on Callbridge's topics stay readable until their retention ends");
        if (codec.sealing()) {
            // without sealing the key is the number itself, which the record must not hold
            erasure.put("subjectKey", subject.key());
        }
        ArrayNode done = erasure.putArray("steps");
        erasures.put(id, JSON.writeValueAsString(erasure));
        boolean failed = false;
        for (Step step : steps) {
            ObjectNode s = done.addObject().put("step", step.name());
            try {
                s.put("state", "done").put("detail", step.erase(subject));
            } catch (RuntimeException e) {
                failed = true;
                String reason = e instanceof StepFailed ? e.getMessage() : e.getClass().getSimpleName();
                s.put("state", "failed").put("detail", reason);
                LOG.warn("Erasure {}: step {} failed: {}", id, step.name(), reason);
            }
            erasures.put(id, JSON.writeValueAsString(erasure));
        }
        erasure.put("state", failed ? "failed" : "done");
        erasure.put("finishedAt", Instant.now(clock).toString());
        if (!failed) {
            // the pseudonym is only needed to finish an interrupted erasure
            erasure.remove("subjectKey");
        }
        erasures.put(id, JSON.writeValueAsString(erasure));
        ObjectNode shown = erasure.deepCopy();
        shown.remove("subjectKey");
        return shown;
    }

    private static void answer(Exchange exchange, int status, JsonNode body) throws IOException {
        Message m = exchange.getMessage();
        m.removeHeaders("*");
        m.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        m.setHeader(Exchange.CONTENT_TYPE, "application/json");
        m.setBody(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(body));
    }
}
