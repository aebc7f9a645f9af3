package io.callbridge.audit;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.callbridge.broker.KafkaClients;
import io.callbridge.broker.TopicReader;
import io.callbridge.http.BadRequestException;
import org.apache.camel.Exchange;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * {@code GET /v1/audit?limit=50&action=dlq.reveal&since=2026-11-28T00:00:00Z&keyId=9f86d081884c}: the audit trail,
 * newest first. The newest {@value #SCAN} records (after {@code since}) are read by a short-lived consumer and filtered;
 * a filter that matches only older records needs {@code since}. A parameter that cannot be read is 400, never ignored:
 * an audit query that quietly dropped its filter would answer a question nobody asked.
 */
public final class AuditLog {

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 500;
    static final int SCAN = 10_000;
    private static final Pattern ACTION = Pattern.compile("[a-z][a-z0-9.-]{0,63}");
    private static final Pattern KEY_ID = Pattern.compile("[0-9a-f]{12}");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KafkaClients kafka;

    public AuditLog(KafkaClients kafka) {
        this.kafka = kafka;
    }

    /** The query, checked: what was asked, as the audit.read record's target says it. */
    record Query(int limit, String action, Instant since, String keyId) {

        static Query of(Exchange exchange) throws BadRequestException {
            return new Query(parseLimit(header(exchange, "limit")), matching("action", header(exchange, "action"), ACTION),
                    parseSince(header(exchange, "since")), matching("keyId", header(exchange, "keyId"), KEY_ID));
        }

        boolean matches(AuditRecord r) {
            return (action == null || action.equals(r.action())) && (since == null || !r.time().isBefore(since))
                    && (keyId == null || keyId.equals(r.keyId()));
        }

        String describe() {
            return "limit=" + limit + (action == null ? "" : " action=" + action) + (since == null ? "" : " since=" + since)
                    + (keyId == null ? "" : " keyId=" + keyId);
        }
    }

    public void list(Exchange exchange) throws Exception {
        Query query = Query.of(exchange);
        AuditTrail.target(exchange, query.describe());
        List<AuditRecord> found = new ArrayList<>();
        List<ConsumerRecord<String, byte[]>> read = TopicReader.read(kafka, AuditTrail.TOPIC, SCAN,
                query.since() == null ? 0 : query.since().toEpochMilli());
        for (ConsumerRecord<String, byte[]> r : read) {
            AuditRecord record = AuditRecord.parse(r.value());
            if (record != null && query.matches(record)) {
                found.add(record);
            }
        }
        // one partition keeps the broker's order; the sort is stable, so records of the same millisecond stay in it, reversed
        List<AuditRecord> newestFirst = new ArrayList<>(found);
        java.util.Collections.reverse(newestFirst);
        newestFirst.sort(Comparator.comparing(AuditRecord::time).reversed());
        ArrayNode out = JSON.createArrayNode();
        newestFirst.stream().limit(query.limit()).forEach(r -> out.add(r.toJson()));
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        exchange.getMessage().setBody(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(out));
    }

    private static String header(Exchange exchange, String name) {
        String value = exchange.getMessage().getHeader(name, String.class);
        return value == null || value.isBlank() ? null : value.trim();
    }

    /** Absent: the default; larger than the bound: the bound; anything but a whole number: refused. */
    static int parseLimit(String asked) throws BadRequestException {
        if (asked == null) {
            return DEFAULT_LIMIT;
        }
        if (!asked.matches("\\d{1,9}")) {
            throw new BadRequestException("limit", "limit must be a whole number (at most " + MAX_LIMIT + ")");
        }
        return Math.max(1, Math.min(MAX_LIMIT, Integer.parseInt(asked)));
    }

    /** An ISO-8601 instant ({@code 2026-11-28T09:00:00Z}) or date-time with offset ({@code 2026-11-28T10:00:00+01:00}). */
    static Instant parseSince(String asked) throws BadRequestException {
        if (asked == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(asked).toInstant();
        } catch (DateTimeParseException e) {
            throw new BadRequestException("since", "since must be an ISO-8601 date-time with its offset, e.g. 2026-11-28T09:00:00Z");
        }
    }

    private static String matching(String name, String asked, Pattern allowed) throws BadRequestException {
        if (asked != null && !allowed.matcher(asked).matches()) {
            throw new BadRequestException(name, name + " must match " + allowed.pattern());
        }
        return asked;
    }
}
