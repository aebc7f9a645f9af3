package io.callbridge.sandbox.salesforce;

/**
 * Salesforce record ids: 3-char key prefix, 2-char instance, 1 reserved, 9-char base-62 counter
 * (15 case-sensitive chars) plus the 3-char case-folding checksum that makes the 18-char form.
 */
public final class SalesforceIds {

    private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final String CHECKSUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";

    private SalesforceIds() {
    }

    public static String make(String keyPrefix, long counter) {
        StringBuilder n = new StringBuilder();
        long v = counter;
        do {
            n.insert(0, BASE62.charAt((int) (v % 62)));
            v /= 62;
        } while (v > 0);
        while (n.length() < 9) n.insert(0, '0');
        return to18(keyPrefix + "5g0" + n);
    }

    /** The 18-char form of a 15- or 18-char id, or null when {@code id} is not an id. */
    public static String normalize(String id) {
        if (id == null || (id.length() != 15 && id.length() != 18)) return null;
        for (int i = 0; i < id.length(); i++) {
            if (BASE62.indexOf(id.charAt(i)) < 0) return null;
        }
        String base = id.substring(0, 15);
        String full = to18(base);
        if (id.length() == 18 && !full.substring(15).equalsIgnoreCase(id.substring(15))) return null;
        return full;
    }

    public static String prefix(String id) {
        return id.substring(0, 3);
    }

    static String to18(String id15) {
        StringBuilder suffix = new StringBuilder();
        for (int chunk = 0; chunk < 3; chunk++) {
            int flags = 0;
            for (int i = 0; i < 5; i++) {
                char c = id15.charAt(chunk * 5 + i);
                if (c >= 'A' && c <= 'Z') flags |= 1 << i;
            }
            suffix.append(CHECKSUM.charAt(flags));
        }
        return id15 + suffix;
    }
}
