package io.callbridge.erasure;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.callbridge.state.KafkaBackedStore;
import org.apache.kafka.common.KafkaException;

/**
 * Each subject's data keys, wrapped by the master key, on a compacted topic mirrored in memory ({@link KafkaBackedStore}):
 * {@code <pseudonym>/<key id>} → the wrapped key, and {@code <pseudonym>} → the key id new records are sealed with.
 * A record names the key id it was sealed with, so two instances that meet a new caller at the same moment each create
 * a key, both stay readable, and the last pointer wins; nothing sealed is lost to that race. Shredding writes a tombstone
 * for the pointer and every key of the subject, after which nobody can open their records.
 */
public final class SubjectKeys {

    /** A subject's data key and the id records name it by. */
    public record DataKey(String id, byte[] key) {
    }

    private static final java.time.Duration CATCH_UP = java.time.Duration.ofSeconds(10);

    private final KafkaBackedStore store;
    private final SubjectCipher cipher;
    private final SecureRandom random = new SecureRandom();
    /**
     * Keys already unwrapped, by entry: every record is opened and sealed several times on its way (a decryption each
     * time), so unwrapping its key every time doubled the work. An entry is trusted only while the store still holds
     * the same wrapped key, and leaves when the store's entry is removed (shredded, by any instance).
     */
    private final Cache<String, Unwrapped> unwrapped = Caffeine.newBuilder().maximumSize(10_000).build();

    private record Unwrapped(String wrapped, byte[] key) {
    }

    public SubjectKeys(KafkaBackedStore store, SubjectCipher cipher) {
        this.store = store;
        this.cipher = cipher;
        store.onRemoved(unwrapped::invalidate);
    }

    /** The key to seal the subject's new records with, created (and acknowledged by the broker) on first use. */
    public DataKey current(String pseudonym) {
        String id = store.get(pseudonym);
        if (id != null) {
            Optional<byte[]> key = find(pseudonym, id);
            if (key.isPresent()) {
                return new DataKey(id, key.get());
            }
        }
        byte[] idBytes = new byte[6];
        random.nextBytes(idBytes);
        String newId = HexFormat.of().formatHex(idBytes);
        byte[] key = cipher.newDataKey();
        store.putAll(Map.of(entry(pseudonym, newId), cipher.wrap(entry(pseudonym, newId), key), pseudonym, newId));
        return new DataKey(newId, key);
    }

    /**
     * The data key a record names; empty once the subject was erased (or the key was made with another master key). A
     * key this instance has not seen may be one another instance created a moment ago, so the mirror catches up first:
     * a missing key must mean erased, never "not yet seen", or a consumer would skip a live caller's record.
     *
     * @throws KafkaException when the mirror could not catch up (the broker unreachable): the consumer takes the batch again
     */
    public Optional<byte[]> find(String pseudonym, String id) {
        String wrapped = store.get(entry(pseudonym, id));
        if (wrapped == null) {
            if (!store.awaitCaughtUp(CATCH_UP)) {
                throw new KafkaException(store.topic() + " could not be read up to its end; whether a subject was erased is unknown");
            }
            wrapped = store.get(entry(pseudonym, id));
        }
        if (wrapped == null) {
            return Optional.empty();
        }
        String entry = entry(pseudonym, id);
        Unwrapped known = unwrapped.getIfPresent(entry);
        if (known != null && known.wrapped().equals(wrapped)) {
            return Optional.of(known.key());
        }
        try {
            byte[] key = cipher.unwrap(entry, wrapped);
            unwrapped.put(entry, new Unwrapped(wrapped, key));
            return Optional.of(key);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Tombstones every key of the subject; answers how many entries were removed. */
    public int shred(String pseudonym) {
        List<String> keys = store.keys(k -> k.equals(pseudonym) || k.startsWith(pseudonym + "/"));
        store.removeAll(keys);
        return keys.size();
    }

    /**
     * Told the pseudonym of every subject whose keys are shredded, by any instance: what this instance holds of the
     * person outside Kafka (its caller cache) goes too.
     */
    public void onShredded(java.util.function.Consumer<String> pseudonym) {
        store.onRemoved(key -> {
            if (!key.contains("/")) {
                pseudonym.accept(key);
            }
        });
    }

    private static String entry(String pseudonym, String id) {
        return pseudonym + "/" + id;
    }
}
