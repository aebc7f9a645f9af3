package io.callbridge.logging;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

    private static final Pattern EMAIL = Pattern.compile("[\\w.%+-]+@[\\w-]+(\\.[\\w-]+)+");
    /** Digits as people type a number (at least 8), spaces, dots, dashes, slashes and brackets between. */
    private static final Pattern PHONE = Pattern.compile("(?<![\\w.])\\+?\\(?\\d[\\d ()./-]{6,40}\\d(?![\\w])");
    private static final Pattern ISO_DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

    /**
     * Free text someone else wrote (a CRM's error message) with every e-mail address and phone number in it masked:
     * CRMs echo the values they refuse. Dates stay readable; a long numeric record id may be masked too, which is
     * the safer mistake.
     */
    public static String inText(String text) {
        if (text == null || text.isEmpty()) {
            return text == null ? "" : text;
        }
        String noEmails = replace(EMAIL.matcher(text), Pii::email);
        return replace(PHONE.matcher(noEmails), Pii::phoneAsTyped);
    }

    private static String phoneAsTyped(String match) {
        String digits = match.replaceAll("[^0-9]", "");
        // more than 15 digits may be two numbers typed side by side: masked too
        if (digits.length() < 8 || ISO_DATE.matcher(match).matches()) {
            return match;
        }
        return phone((match.startsWith("+") ? "+" : "") + digits);
    }

    private static String replace(Matcher m, java.util.function.UnaryOperator<String> mask) {
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(mask.apply(m.group())));
        }
        m.appendTail(out);
        return out.toString();
    }

    public static String text(String text) {
        return text == null ? "" : "[" + text.length() + " chars]";
    }
}
