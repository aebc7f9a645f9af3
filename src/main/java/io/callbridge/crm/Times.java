package io.callbridge.crm;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** Timestamps as CRMs write them: ISO-8601, Salesforce's {@code +0000} offsets, epoch millis, dates, Pipedrive's {@code yyyy-MM-dd HH:mm:ss}. */
public final class Times {

    private static final DateTimeFormatter SALESFORCE = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss[.SSS]XX");
    private static final DateTimeFormatter SPACED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private Times() {
    }

    public static Instant parse(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String t = text.trim();
        try {
            if (t.chars().allMatch(Character::isDigit)) {
                return Instant.ofEpochMilli(Long.parseLong(t));
            }
            if (t.length() == 10) {
                return LocalDate.parse(t).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            if (t.length() == 19 && t.charAt(10) == ' ') {
                return java.time.LocalDateTime.parse(t, SPACED).toInstant(ZoneOffset.UTC);
            }
            try {
                return OffsetDateTime.parse(t).toInstant();
            } catch (DateTimeParseException e) {
                return OffsetDateTime.parse(t, SALESFORCE).toInstant();
            }
        } catch (RuntimeException e) {
            return null;
        }
    }
}
