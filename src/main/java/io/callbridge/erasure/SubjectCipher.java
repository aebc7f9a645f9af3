package io.callbridge.erasure;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The cryptography of crypto-shredding, and nothing else: AES-256-GCM for data and for wrapping each subject's data
 * key, and HMAC-SHA256 for the pseudonym that replaces a phone number wherever Kafka keeps a key. The pseudonym key and
 * the wrapping key are derived from the master key (HMAC with a label each), so one secret file is all an operator
 * keeps, and a pseudonym says nothing about the wrapping key. Associated data binds every ciphertext to what it is
 * for (the subject and key id), so a wrapped key or a record copied onto another subject does not open.
 */
public final class SubjectCipher {

    static final int KEY_BYTES = 32;
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final String GCM = "AES/GCM/NoPadding";

    private final SecretKeySpec pseudonymKey;
    private final SecretKeySpec wrapKey;
    private final SecureRandom random = new SecureRandom();

    public SubjectCipher(byte[] masterKey) {
        if (masterKey.length != KEY_BYTES) {
            throw new IllegalArgumentException("the master key must be " + KEY_BYTES + " bytes (256 bits), base64-encoded; it has "
                    + masterKey.length);
        }
        this.pseudonymKey = new SecretKeySpec(derive(masterKey, "callbridge pseudonym v1"), "HmacSHA256");
        this.wrapKey = new SecretKeySpec(derive(masterKey, "callbridge key wrap v1"), "AES");
    }

    /** Reads the base64 master key from a file (a Kubernetes secret); the message names the setting, never the key. */
    public static SubjectCipher fromFile(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.US_ASCII).trim();
            return new SubjectCipher(Base64.getDecoder().decode(text));
        } catch (IOException e) {
            throw new IllegalStateException(ErasureSettings.MASTER_KEY_FILE.key() + ": cannot read " + file + " ("
                    + e.getClass().getSimpleName() + ")", e);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(ErasureSettings.MASTER_KEY_FILE.key() + ": " + file + " does not hold a 256-bit "
                    + "base64 key: " + e.getMessage(), e);
        }
    }

    /**
     * As {@link #fromFile}, after writing a new random key to the file if it does not exist (readable by its owner only,
     * where the file system knows permissions); {@code created} is told when it did.
     */
    public static SubjectCipher fromFileCreatingIt(Path file, java.util.function.Consumer<Path> created) {
        if (!Files.exists(file)) {
            try {
                Path parent = file.toAbsolutePath().getParent();
                Files.createDirectories(parent);
                Path temp = Files.createTempFile(parent, ".master", ".key");
                try {
                    try {
                        Files.setPosixFilePermissions(temp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
                    } catch (UnsupportedOperationException e) {
                        // not a POSIX file system: the folder's own permissions protect it
                    }
                    Files.writeString(temp, newMasterKey() + "\n", StandardCharsets.US_ASCII);
                    // a hard link appears whole and never replaces: of two instances starting at once, one key wins
                    Files.createLink(file, temp);
                } finally {
                    Files.deleteIfExists(temp);
                }
                created.accept(file);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                // another instance created it first
            } catch (IOException e) {
                throw new IllegalStateException(ErasureSettings.MASTER_KEY_FILE.key() + ": cannot create " + file + " ("
                        + e.getClass().getSimpleName() + ")", e);
            }
        }
        return fromFile(file);
    }

    /** A new random master key, base64, e.g. for the dev profile. */
    public static String newMasterKey() {
        byte[] key = new byte[KEY_BYTES];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    /** The subject's stable pseudonym: the same number gives the same one (so Kafka partitions by caller as before). */
    public String pseudonym(String e164) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(pseudonymKey);
            return "s1-" + Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(e164.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    public byte[] newDataKey() {
        byte[] key = new byte[KEY_BYTES];
        random.nextBytes(key);
        return key;
    }

    /** The data key encrypted with the master key's wrapping key, bound to {@code label} (the subject and key id). */
    public String wrap(String label, byte[] dataKey) {
        return Base64.getEncoder().encodeToString(encrypt(wrapKey, label, dataKey));
    }

    /** @throws GeneralSecurityException when the wrapped key was made with another master key or altered */
    public byte[] unwrap(String label, String wrapped) throws GeneralSecurityException {
        return decrypt(wrapKey, label, Base64.getDecoder().decode(wrapped));
    }

    /** IV followed by the ciphertext and its tag. */
    public byte[] encrypt(byte[] dataKey, String label, byte[] plain) {
        return encrypt(new SecretKeySpec(dataKey, "AES"), label, plain);
    }

    /** @throws GeneralSecurityException when the key is not the one it was sealed with or anything was altered */
    public byte[] decrypt(byte[] dataKey, String label, byte[] sealed) throws GeneralSecurityException {
        return decrypt(new SecretKeySpec(dataKey, "AES"), label, sealed);
    }

    private byte[] encrypt(SecretKeySpec key, String label, byte[] plain) {
        try {
            byte[] iv = new byte[IV_BYTES];
            random.nextBytes(iv);
            Cipher c = Cipher.getInstance(GCM);
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
            c.updateAAD(label.getBytes(StandardCharsets.UTF_8));
            byte[] body = c.doFinal(plain);
            return ByteBuffer.allocate(IV_BYTES + body.length).put(iv).put(body).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    private static byte[] decrypt(SecretKeySpec key, String label, byte[] sealed) throws GeneralSecurityException {
        if (sealed.length < IV_BYTES + TAG_BITS / 8) {
            throw new javax.crypto.AEADBadTagException("too short to be sealed");
        }
        Cipher c = Cipher.getInstance(GCM);
        c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, Arrays.copyOf(sealed, IV_BYTES)));
        c.updateAAD(label.getBytes(StandardCharsets.UTF_8));
        return c.doFinal(sealed, IV_BYTES, sealed.length - IV_BYTES);
    }

    private static byte[] derive(byte[] master, String label) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(master, "HmacSHA256"));
            return mac.doFinal(label.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
