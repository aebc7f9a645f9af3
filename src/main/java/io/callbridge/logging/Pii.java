package io.callbridge.logging;

/**
 * Masks personal data before it reaches a log line: enough is left to tell two callers apart while
 * debugging, never enough to call or mail them.
 */
public final class Pii {

    public static String phone(String number) {
        if (number == null || number.isEmpty()) {
            return "";
        }
        int keep = Math.min(2, Math.max(0, number.length() - 4));
        String prefix = number.startsWith("+") && number.length() > 4 ? number.substring(0, 3) : "";
        return prefix + "*".repeat(Math.max(3, number.length() - prefix.length() - keep))
                + number.substring(number.length() - keep);
    }

    public static String email(String email) {
        if (email == null || email.isEmpty()) {
            return "";
        }
        int at = email.indexOf('@');
        return at <= 0 ? "***" : email.charAt(0) + "***@***";
    }

    public static String text(String text) {
        return text == null ? "" : "[" + text.length() + " chars]";
    }
}
