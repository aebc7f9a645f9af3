package io.callbridge.erasure;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * What Callbridge writes to and reads from Kafka about a person, at the boundary, so the flows do not change: a record
 * key that is a phone number becomes the subject's pseudonym, and a value carrying personal data becomes an envelope
 * {@code {"encrypted":"aes-256-gcm","subject":…,"key":…,"data":…}} sealed with the subject's data key. Reading, a
 * value without the envelope is taken as it is (other producers write call events in clear), and one whose key was
 * shredded is {@link Opened#erased()}: the consumer skips it. An envelope that does not open although its key is there
 * (altered, truncated) or that arrives while no master key is configured is {@link Opened#unreadable()}: the consumer
 * sets it aside as a dead letter with that reason, since it may be anyone's data and may open again once the key is
 * back. Without a master key ({@link #inClear()}) everything is written and read as before.
 */
public final class SubjectCodec {

    static final String ALGORITHM = "aes-256-gcm";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] PREFIX = ("{\"encrypted\":\"" + ALGORITHM + "\"").getBytes(StandardCharsets.UTF_8);

    /**
     * A record's value as the flows read it; or erased (its subject's key is gone: skip it); or unreadable, with the
     * reason (no personal data in it) to set it aside with.
     */
    public record Opened(byte[] value, boolean erased, String unreadable) {
        static final Opened ERASED = new Opened(null, true, null);

        Opened(byte[] value) {
            this(value, false, null);
        }

        static Opened unreadable(String reason) {
            return new Opened(null, false, reason);
        }
    }

    private final SubjectCipher cipher;
    private final SubjectKeys keys;
    private final AtomicLong erasedSkipped = new AtomicLong();
    /** Number to pseudonym, an HMAC computed at every key and seal otherwise; an erased subject's number leaves. */
    private final Cache<String, String> pseudonyms = Caffeine.newBuilder().maximumSize(10_000).build();

    public SubjectCodec(SubjectCipher cipher, SubjectKeys keys) {
        this.cipher = cipher;
        this.keys = keys;
        if (keys != null) {
            keys.onShredded(pseudonym -> pseudonyms.asMap().values().removeIf(pseudonym::equals));
        }
    }

    /** Without a master key: keys and values as they are. */
    public static SubjectCodec inClear() {
        return new SubjectCodec(null, null);
    }

    public boolean sealing() {
        return cipher != null;
    }

    /** The record key (or ledger key part) for a caller: their pseudonym when sealing, the number otherwise. */
    public String key(String e164) {
        return sealing() && e164 != null && !e164.isEmpty() ? pseudonym(e164) : e164;
    }

    private String pseudonym(String e164) {
        return pseudonyms.get(e164, cipher::pseudonym);
    }

    /** The value sealed with the caller's data key (created on first use), or as it is when not sealing. */
    public byte[] seal(String e164, byte[] value) {
        if (!sealing() || e164 == null || e164.isEmpty()) {
            return value;
        }
        String subject = pseudonym(e164);
        return envelope(subject, keys.current(subject), value);
    }

    /**
     * Sealed for the same subject as {@code like}, an envelope (a dead letter's reason, which may echo the CRM's view of
     * the person); as it is when {@code like} is not an envelope or its key is gone.
     */
    public byte[] sealLike(byte[] like, byte[] value) {
        if (!sealing() || !isEnvelope(like)) {
            return value;
        }
        try {
            JsonNode e = JSON.readTree(like);
            String subject = e.path("subject").asText();
            String id = e.path("key").asText();
            Optional<byte[]> key = keys.find(subject, id);
            return key.isPresent() ? envelope(subject, new SubjectKeys.DataKey(id, key.get()), value) : new byte[0];
        } catch (IOException e) {
            return value;
        }
    }

    /** A value as it was before sealing; one that was never sealed as it is; one whose key is gone, erased. */
    public Opened open(byte[] value) {
        if (!isEnvelope(value)) {
            return new Opened(value);
        }
        if (!sealing()) {
            // sealed while a master key was configured: it opens again once the key is configured again
            return Opened.unreadable("sealed, but no master key is configured (" + ErasureSettings.MASTER_KEY_FILE.key() + ")");
        }
        try {
            JsonNode e = JSON.readTree(value);
            String subject = e.path("subject").asText();
            String id = e.path("key").asText();
            Optional<byte[]> key = keys.find(subject, id);
            if (key.isEmpty()) {
                return erased();
            }
            return new Opened(cipher.decrypt(key.get(), label(subject, id), Base64.getDecoder().decode(e.path("data").asText())));
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            return Opened.unreadable("the sealed value does not open with its subject's key (altered or truncated: "
                    + e.getClass().getSimpleName() + ")");
        }
    }

    /** How many records this instance skipped because their subject was erased. */
    public long erasedSkipped() {
        return erasedSkipped.get();
    }

    public static boolean isEnvelope(byte[] value) {
        if (value == null || value.length < PREFIX.length) {
            return false;
        }
        for (int i = 0; i < PREFIX.length; i++) {
            if (value[i] != PREFIX[i]) {
                return false;
            }
        }
        return true;
    }

    private Opened erased() {
        erasedSkipped.incrementAndGet();
        return Opened.ERASED;
    }

    private byte[] envelope(String subject, SubjectKeys.DataKey key, byte[] value) {
        ObjectNode n = JSON.createObjectNode();
        n.put("encrypted", ALGORITHM);
        n.put("subject", subject);
        n.put("key", key.id());
        n.put("data", Base64.getEncoder().encodeToString(cipher.encrypt(key.key(), label(subject, key.id()), value)));
        try {
            return JSON.writeValueAsBytes(n);
        } catch (IOException e) {
            throw new IllegalStateException("an envelope could not be written", e);
        }
    }

    private static String label(String subject, String id) {
        return "record|" + subject + "/" + id;
    }
}
