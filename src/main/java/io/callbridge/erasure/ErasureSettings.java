package io.callbridge.erasure;

import java.util.List;

import io.callbridge.config.Setting;

/** The keys of erasure on request (crypto-shredding of personal data on Callbridge's topics). */
public final class ErasureSettings {

    public static final Setting MASTER_KEY_FILE = Setting.of("callbridge.erasure.master-key-file", null,
            "file holding the master key (32 random bytes, base64; a Kubernetes secret): set, personal data on Callbridge's "
                    + "topics is sealed per caller and `DELETE /v1/subjects/{phone}` shreds it (see Erasure); unset, it is written "
                    + "in clear and an erasure cannot reach it");

    public static final Setting CREATE_MASTER_KEY = Setting.of("callbridge.erasure.create-master-key", "false",
            "create the master key file with a new random key when it does not exist (dev: true, as `data/master.key`); in "
            + "production the operator makes and keeps the key, since losing it makes every sealed record unreadable");

    public static final List<Setting> DECLARED = List.of(MASTER_KEY_FILE, CREATE_MASTER_KEY);

    private ErasureSettings() {
    }
}
