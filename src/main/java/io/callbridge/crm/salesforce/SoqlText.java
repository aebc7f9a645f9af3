package io.callbridge.crm.salesforce;

import java.util.Collection;
import java.util.stream.Collectors;

/**
 * SOQL literals built so that no value can change the query: every character SOQL gives a meaning
 * inside a string literal is escaped (backslash, quotes, line breaks), and LIKE wildcards too where
 * a value is used in a LIKE. Field names are never taken from input.
 */
public final class SoqlText {

    private SoqlText() {
    }

    /** {@code 'value'} with SOQL's escapes. */
    public static String quote(String value) {
        StringBuilder b = new StringBuilder(value.length() + 2).append('\'');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> b.append("\\\\");
                case '\'' -> b.append("\\'");
                case '"' -> b.append("\\\"");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '\b' -> b.append("\\b");
                case '\f' -> b.append("\\f");
                default -> b.append(c);
            }
        }
        return b.append('\'').toString();
    }

    /** A LIKE pattern matching {@code value} literally: {@code %} and {@code _} escaped as well. */
    public static String quoteLike(String value) {
        String q = quote(value);
        return q.replace("%", "\\%").replace("_", "\\_");
    }

    /** {@code ('a', 'b')} */
    public static String list(Collection<String> values) {
        return values.stream().map(SoqlText::quote).collect(Collectors.joining(", ", "(", ")"));
    }
}
