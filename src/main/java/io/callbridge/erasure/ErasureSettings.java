package io.callbridge.erasure;

import java.util.List;

import io.callbridge.config.Setting;

/** The keys of erasure on request (crypto-shredding of personal data on Callbridge's topics). */
public final class ErasureSettings {

    public static final Setting MASTER_KEY_FILE = Setting.of("callbridge.erasure.master-key-file", "",
            "File holding the master key (32 random bytes, base64) that wraps each caller's data key; set, personal data on "
                    + "Callbridge's topics is encrypted per caller and DELETE /v1/subjects/{phone} shreds it. Unset, records are "
                    + "written in clear and an erasure cannot reach them");

    public static final List<Setting> DECLARED = List.of(MASTER_KEY_FILE);

    private ErasureSettings() {
    }
}
