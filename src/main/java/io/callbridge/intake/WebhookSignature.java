package io.callbridge.intake;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@code Callbridge-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, t + "." + raw body)>}, the
 * scheme of intake and of the outbound webhook. Several secrets (comma separated) and several v1 values
 * are accepted so a secret can be rotated without downtime.
 */
public final class WebhookSignature {

    public static final String HEADER = "Callbridge-Signature";

    private final List<byte[]> secrets;
    private final long toleranceSeconds;
    private final Clock clock;

    public WebhookSignature(String secrets, long toleranceSeconds, Clock clock) {
        this.secrets = new ArrayList<>();
        if (secrets != null) {
            for (String s : secrets.split(",")) {
                if (!s.isBlank()) {
                    this.secrets.add(s.trim().getBytes(StandardCharsets.UTF_8));
                }
            }
        }
        this.toleranceSeconds = toleranceSeconds;
        this.clock = clock;
    }

    public boolean enabled() {
        return !secrets.isEmpty();
    }

    /** @return the header value for this body, signed with the first secret at the current time */
    public String sign(byte[] body) {
        long t = clock.instant().getEpochSecond();
        return "t=" + t + ",v1=" + HexFormat.of().formatHex(hmac(secrets.get(0), t, body));
    }

    public void verify(String header, byte[] body) throws SignatureException {
        if (!enabled()) {
            return;
        }
        if (header == null || header.isBlank()) {
            throw new SignatureException("the " + HEADER + " header is missing");
        }
        Long t = null;
        List<byte[]> candidates = new ArrayList<>();
        for (String part : header.split(",")) {
            int eq = part.indexOf('=');
            if (eq < 0) {
                continue;
            }
            String key = part.substring(0, eq).trim();
            String value = part.substring(eq + 1).trim();
            if (key.equals("t")) {
                try {
                    t = Long.parseLong(value);
                } catch (NumberFormatException e) {
                    throw new SignatureException("t in " + HEADER + " is not a unix time in seconds");
                }
            } else if (key.equals("v1")) {
                try {
                    candidates.add(HexFormat.of().parseHex(value));
                } catch (IllegalArgumentException e) {
                    // a malformed v1 simply never matches
                }
            }
        }
        if (t == null || candidates.isEmpty()) {
            throw new SignatureException(HEADER + " must be t=<unix seconds>,v1=<hex HMAC-SHA256>");
        }
        long age = Math.abs(clock.instant().getEpochSecond() - t);
        if (age > toleranceSeconds) {
            throw new SignatureException("the signature timestamp is outside the " + toleranceSeconds
                    + " s tolerance; sign each request when it is sent");
        }
        for (byte[] secret : secrets) {
            byte[] expected = hmac(secret, t, body);
            for (byte[] candidate : candidates) {
                if (MessageDigest.isEqual(expected, candidate)) {
                    return;
                }
            }
        }
        throw new SignatureException("the signature does not match the body");
    }

    private static byte[] hmac(byte[] secret, long t, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            mac.update((t + ".").getBytes(StandardCharsets.US_ASCII));
            return mac.doFinal(body == null ? new byte[0] : body);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    public static final class SignatureException extends Exception {
        public SignatureException(String reason) {
            super(reason);
        }
    }
}
