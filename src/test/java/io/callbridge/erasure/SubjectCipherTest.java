package io.callbridge.erasure;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

import javax.crypto.AEADBadTagException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SubjectCipherTest {

    private static final byte[] PERSON = "{\"name\":\"Jean Dupont\",\"phone\":\"+41791234567\"}".getBytes(StandardCharsets.UTF_8);

    private final SubjectCipher cipher = new SubjectCipher(Base64.getDecoder().decode(SubjectCipher.newMasterKey()));

    @Test
    void whatIsSealedOpensWithItsKeyAndLabel() throws Exception {
        byte[] key = cipher.newDataKey();
        byte[] sealed = cipher.encrypt(key, "record|s/1", PERSON);

        assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain("Jean", "+4179");
        assertThat(cipher.decrypt(key, "record|s/1", sealed)).isEqualTo(PERSON);
    }

    @Test
    void aTamperedCiphertextIsRefused() {
        byte[] key = cipher.newDataKey();
        byte[] sealed = cipher.encrypt(key, "record|s/1", PERSON);
        sealed[sealed.length / 2] ^= 1;

        assertThatThrownBy(() -> cipher.decrypt(key, "record|s/1", sealed)).isInstanceOf(AEADBadTagException.class);
    }

    @Test
    void anotherKeyOrAnotherSubjectsLabelIsRefused() {
        byte[] key = cipher.newDataKey();
        byte[] sealed = cipher.encrypt(key, "record|s/1", PERSON);

        assertThatThrownBy(() -> cipher.decrypt(cipher.newDataKey(), "record|s/1", sealed)).isInstanceOf(AEADBadTagException.class);
        assertThatThrownBy(() -> cipher.decrypt(key, "record|s/2", sealed)).isInstanceOf(AEADBadTagException.class);
        assertThatThrownBy(() -> cipher.decrypt(key, "record|s/1", new byte[3])).isInstanceOf(AEADBadTagException.class);
    }

    @Test
    void aWrappedKeyOpensOnlyWithTheSameMasterKey() throws Exception {
        byte[] dataKey = cipher.newDataKey();
        String wrapped = cipher.wrap("s1-abc/01", dataKey);
        SubjectCipher otherMaster = new SubjectCipher(Base64.getDecoder().decode(SubjectCipher.newMasterKey()));

        assertThat(cipher.unwrap("s1-abc/01", wrapped)).isEqualTo(dataKey);
        assertThatThrownBy(() -> otherMaster.unwrap("s1-abc/01", wrapped)).isInstanceOf(AEADBadTagException.class);
        assertThatThrownBy(() -> cipher.unwrap("s1-xyz/01", wrapped)).isInstanceOf(AEADBadTagException.class);
    }

    @Test
    void thePseudonymIsStablePerMasterKeyAndHidesTheNumber() {
        SubjectCipher otherMaster = new SubjectCipher(Base64.getDecoder().decode(SubjectCipher.newMasterKey()));

        assertThat(cipher.pseudonym("+41791234567")).isEqualTo(cipher.pseudonym("+41791234567"))
                .isNotEqualTo(cipher.pseudonym("+41791234568")).isNotEqualTo(otherMaster.pseudonym("+41791234567"))
                .startsWith("s1-").doesNotContain("4179");
    }

    @Test
    void aMissingMasterKeyFileIsCreatedForItsOwnerOnlyAndAnExistingOneIsKept(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("data/master.key");
        java.util.List<Path> created = new java.util.ArrayList<>();

        SubjectCipher first = SubjectCipher.fromFileCreatingIt(file, created::add);
        String key = Files.readString(file);
        SubjectCipher again = SubjectCipher.fromFileCreatingIt(file, created::add);

        assertThat(created).containsExactly(file);
        assertThat(Files.readString(file)).as("kept, not replaced").isEqualTo(key);
        assertThat(Base64.getDecoder().decode(key.trim())).hasSize(32);
        assertThat(Files.getPosixFilePermissions(file)).containsExactlyInAnyOrder(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
        assertThat(again.pseudonym("+41791234567")).isEqualTo(first.pseudonym("+41791234567"));
        try (var left = Files.list(file.getParent())) {
            assertThat(left).as("no temporary file left").containsExactly(file);
        }
    }

    @Test
    void theMasterKeyFileMustHoldA256BitKey(@TempDir Path dir) throws Exception {
        Path good = Files.writeString(dir.resolve("good"), SubjectCipher.newMasterKey() + "\n");
        Path shortKey = Files.writeString(dir.resolve("short"), Base64.getEncoder().encodeToString(new byte[16]));
        Path notBase64 = Files.writeString(dir.resolve("text"), "not a key!");

        assertThat(SubjectCipher.fromFile(good).pseudonym("+41791234567")).startsWith("s1-");
        assertThatThrownBy(() -> SubjectCipher.fromFile(shortKey)).hasMessageContaining(ErasureSettings.MASTER_KEY_FILE.key())
                .hasMessageContaining("256");
        assertThatThrownBy(() -> SubjectCipher.fromFile(notBase64)).hasMessageContaining(ErasureSettings.MASTER_KEY_FILE.key());
        assertThatThrownBy(() -> SubjectCipher.fromFile(dir.resolve("missing"))).hasMessageContaining("cannot read");
    }
}
