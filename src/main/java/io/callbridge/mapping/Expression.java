package io.callbridge.mapping;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.Period;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;

import com.dashjoin.jsonata.JException;
import com.dashjoin.jsonata.Jsonata;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A compiled JSONata expression (dashjoin jsonata, the engine of camel-jsonata) with the date functions
 * integrators need and JSONata lacks: time zones by name and ISO-8601 periods.
 * <ul>
 * <li>{@code $local(instant, pattern)}: the instant in {@code callbridge.timezone}, formatted (Java pattern)</li>
 * <li>{@code $localDate(instant)}: its local date, {@code yyyy-MM-dd}</li>
 * <li>{@code $plus(instant, period)}: the instant moved by {@code P2D}, {@code -P1D}, {@code PT30M} (calendar-aware)</li>
 * <li>{@code $epochMillis(instant)}: milliseconds since 1970</li>
 * <li>{@code $blank(value)}: true when the value is absent, null or only white space (JSONata's own
 * functions answer nothing at all for an absent value, which makes "only if empty" hard to write)</li>
 * <li>{@code $phoneRegion(e164)}: the number's ISO country</li>
 * <li>{@code $chunks(text, max)}: the text in pieces of at most {@code max} characters as the vendors count them
 * (UTF-16 units), cut after a space or line break where one is near, never inside a character; joined they are the
 * text (Notion takes 2,000 characters per rich-text item)</li>
 * </ul>
 */
public final class Expression {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Always with seconds: CRMs such as Salesforce refuse 2026-12-02T14:45+01:00. */
    private static final DateTimeFormatter ISO_SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX");

    private final Jsonata compiled;
    private final String file;
    private final int firstLine;
    private final String source;

    private Expression(Jsonata compiled, String file, int firstLine, String source) {
        this.compiled = compiled;
        this.file = file;
        this.firstLine = firstLine;
        this.source = source;
    }

    /** @param firstLine the line of {@code file} the source starts on, for error messages */
    public static Expression compile(String source, String file, int firstLine, ZoneId zone) throws MappingException {
        Jsonata compiled;
        try {
            compiled = Jsonata.jsonata(source);
        } catch (JException e) {
            throw new MappingException(file, lineOf(source, e.getLocation(), firstLine), describe(e));
        } catch (RuntimeException e) {
            throw new MappingException(file, firstLine, "does not parse: " + e.getMessage());
        }
        register(compiled, zone);
        return new Expression(compiled, file, firstLine, source);
    }

    /** Evaluates against a JSON input; {@code null} when the expression yields nothing. */
    public JsonNode evaluate(JsonNode input) throws MappingException {
        Object result;
        try {
            result = compiled.evaluate(JSON.convertValue(input, Object.class));
        } catch (JException e) {
            throw new MappingException(file, lineOf(source, e.getLocation(), firstLine), describe(e));
        } catch (RuntimeException e) {
            throw new MappingException(file, firstLine, "fails: " + e.getMessage());
        }
        if (result == null || result == Jsonata.NULL_VALUE) {
            return null;
        }
        return JSON.valueToTree(result);
    }

    public boolean test(JsonNode input) throws MappingException {
        JsonNode result = evaluate(input);
        return result != null && Jsonata.boolize(JSON.convertValue(result, Object.class));
    }

    public String file() {
        return file;
    }

    /** The ISO country of an E.164 number ({@code +41…} → {@code CH}), for CRMs that store a number with its country. */
    private static String phoneRegion(String e164) {
        if (e164 == null) {
            return null;
        }
        try {
            com.google.i18n.phonenumbers.PhoneNumberUtil util = com.google.i18n.phonenumbers.PhoneNumberUtil.getInstance();
            return util.getRegionCodeForNumber(util.parse(e164, null));
        } catch (com.google.i18n.phonenumbers.NumberParseException e) {
            return null;
        }
    }

    private static void register(Jsonata expr, ZoneId zone) {
        expr.registerFunction("local", (Jsonata.Fn2<String, String, String>) (iso, pattern) -> iso == null ? null
                : parse(iso).atZoneSameInstant(zone).format(DateTimeFormatter.ofPattern(pattern, Locale.ROOT)));
        expr.registerFunction("localDate", (Jsonata.Fn1<String, String>) iso -> iso == null ? null
                : parse(iso).atZoneSameInstant(zone).toLocalDate().toString());
        expr.registerFunction("plus", (Jsonata.Fn2<String, String, String>) (iso, period) -> iso == null ? null
                : plusPeriod(iso, period, zone));
        expr.registerFunction("blank", (Jsonata.Fn1<Object, Boolean>) v -> v == null || v == Jsonata.NULL_VALUE
                || (v instanceof String str && str.isBlank()));
        expr.registerFunction("epochMillis", (Jsonata.Fn1<String, Long>) iso -> iso == null ? null
                : parse(iso).toInstant().toEpochMilli());
        expr.registerFunction("phoneRegion", (Jsonata.Fn1<String, String>) Expression::phoneRegion);
        expr.registerFunction("chunks", (Jsonata.Fn2<String, Number, java.util.List<String>>) (text, max) -> text == null ? null
                : chunks(text, max == null ? 2000 : max.intValue()));
    }

    static java.util.List<String> chunks(String text, int max) {
        if (max < 2) {
            throw new IllegalArgumentException("$chunks needs pieces of at least 2 characters, not " + max);
        }
        java.util.List<String> out = new java.util.ArrayList<>();
        int from = 0;
        while (from < text.length()) {
            int end = Math.min(text.length(), from + max);
            if (end < text.length()) {
                int cut = end;
                while (cut > from + max / 2 && !Character.isWhitespace(text.charAt(cut - 1))) {
                    cut--;
                }
                if (cut > from + max / 2) {
                    end = cut;
                } else if (Character.isHighSurrogate(text.charAt(end - 1))) {
                    end--;
                }
            }
            out.add(text.substring(from, end));
            from = end;
        }
        return out;
    }

    static OffsetDateTime parse(String iso) {
        try {
            return OffsetDateTime.parse(iso);
        } catch (DateTimeParseException e) {
            try {
                return Instant.parse(iso).atOffset(java.time.ZoneOffset.UTC);
            } catch (DateTimeParseException e2) {
                return LocalDate.parse(iso).atStartOfDay().atOffset(java.time.ZoneOffset.UTC);
            }
        }
    }

    /** {@code iso} moved by an ISO-8601 period in {@code zone}, as an offset date-time. */
    public static String plusPeriod(String iso, String period, ZoneId zone) {
        return plus(parse(iso).atZoneSameInstant(zone), period).format(ISO_SECONDS);
    }

    /** Adds an ISO-8601 period ({@code P2D}), duration ({@code PT2H}) or both ({@code P1DT2H}), signs allowed. */
    static ZonedDateTime plus(ZonedDateTime at, String amount) {
        String s = amount.trim().toUpperCase(Locale.ROOT);
        boolean negative = s.startsWith("-");
        if (negative || s.startsWith("+")) {
            s = s.substring(1);
        }
        int t = s.indexOf('T');
        Period period = t < 0 ? Period.parse(s) : t == 1 ? Period.ZERO : Period.parse(s.substring(0, t));
        Duration duration = t < 0 ? Duration.ZERO : Duration.parse("P" + s.substring(t));
        return negative ? at.minus(period).minus(duration) : at.plus(period).plus(duration);
    }

    private static int lineOf(String source, int position, int firstLine) {
        int line = firstLine;
        for (int i = 0; i < Math.min(position, source.length()); i++) {
            if (source.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

    private static String describe(JException e) {
        String m = e.getMessage();
        return (m == null ? e.getError() : m) + (e.getError() != null ? " (" + e.getError() + ")" : "");
    }
}
