package io.callbridge.identify;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import io.callbridge.crm.CrmHttp;
import io.callbridge.http.HttpProblems;
import io.callbridge.http.Problem;
import io.callbridge.intake.FieldError;
import io.callbridge.logging.Pii;
import io.callbridge.phone.PhoneNormalizer;
import io.callbridge.phone.PhoneNormalizer.InvalidPhoneNumberException;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bean {@code callers}: {@code GET /v1/callers/{phone}} answered from {@code callbridge.primary-crm},
 * the warm-up on {@code call.started}, and {@link #written} for the connectors after each write. Answers carry {@code Callbridge-Cache: hit|miss|stale}.
 */
public final class Callers {

    private static final Logger LOG = LoggerFactory.getLogger(Callers.class);
    public static final String CACHE_HEADER = "Callbridge-Cache";

    private final PhoneNormalizer phones;
    private final CallerIdentifier primary;
    private final Collection<CallerIdentifier> all;
    private final CallerProfile profiles;
    private final int retryAfterSeconds;
    private final long warmupMaxAgeMillis;
    private final LookupMetrics metrics;

    public Callers(PhoneNormalizer phones, CallerIdentifier primary, Collection<CallerIdentifier> all, CallerProfile profiles,
            int retryAfterSeconds, long warmupMaxAgeMillis, LookupMetrics metrics) {
        this.metrics = metrics;
        this.phones = phones;
        this.primary = primary;
        this.all = List.copyOf(all);
        this.profiles = profiles;
        this.retryAfterSeconds = retryAfterSeconds;
        this.warmupMaxAgeMillis = warmupMaxAgeMillis;
    }

    public CallerIdentifier primary() {
        return primary;
    }

    /** For the route: the {@code phone} path parameter in, the profile or a problem out. */
    public void answer(Exchange exchange) throws Exception {
        long started = System.nanoTime();
        Message m = exchange.getMessage();
        String raw = m.getHeader("phone", String.class);
        String e164;
        try {
            e164 = phones.toE164(raw);
        } catch (InvalidPhoneNumberException e) {
            HttpProblems.answer(exchange, new Problem(400, "Invalid phone number", "The phone number in the path " + e.getMessage()
                    + ".", List.of(new FieldError("/phone", "the number " + e.getMessage()))));
            return;
        }
        if (primary == null) {
            unavailable(exchange, "No primary CRM is configured for caller lookups (callbridge.primary-crm).");
            metrics.answered("unavailable", null, started);
            return;
        }
        CallerIdentifier.Lookup lookup;
        try {
            lookup = primary.identify(e164, started);
        } catch (CallerIdentifier.CrmUnavailableException e) {
            unavailable(exchange, "The CRM did not answer in time and nothing is cached for this number; greet generically.");
            metrics.answered("unavailable", "miss", started);
            return;
        }
        String source = lookup.source().name().toLowerCase(java.util.Locale.ROOT);
        if (!lookup.identification().found()) {
            HttpProblems.answer(exchange, Problem.of(404, "Unknown caller", "Nobody in " + primary.crm() + " has this number."));
            m.setHeader(CACHE_HEADER, source);
            LOG.debug("Caller {} unknown in {} ({})", Pii.phone(e164), primary.crm(), source);
            metrics.answered("unknown", source, started);
            return;
        }
        m.removeHeaders("*");
        m.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        m.setHeader(Exchange.CONTENT_TYPE, "application/json");
        m.setHeader(CACHE_HEADER, source);
        com.fasterxml.jackson.databind.node.ObjectNode profile = profiles.toJson(e164, lookup.identification());
        if ("support".equals(exchange.getProperty(io.callbridge.http.ApiKeys.ROLE, String.class))) {
            // support answers the caller, but deals and cases are sales' business
            profile.remove(List.of("openDeals", "openCases"));
        }
        m.setBody(CrmHttp.JSON.writeValueAsString(profile));
        LOG.debug("Caller {} identified in {} ({}, {} match(es))", Pii.phone(e164), primary.crm(), source,
                lookup.identification().matches());
        metrics.answered("found", source, started);
    }

    /**
     * For the warm-up route: a {@code call.started} event (from Kafka) starts the lookup of its
     * caller, without waiting for it. Events older than {@code warmup-max-age-ms} are skipped: that
     * call is long answered.
     */
    public void warm(Exchange exchange) {
        if (primary == null) {
            return;
        }
        Message m = exchange.getMessage();
        Long timestamp = m.getHeader("kafka.TIMESTAMP", Long.class);
        if (timestamp != null && System.currentTimeMillis() - timestamp > warmupMaxAgeMillis) {
            return;
        }
        String type = m.getHeader("CallbridgeEventType", String.class);
        String e164 = m.getHeader("CallbridgeCustomerE164", String.class);
        if (type == null || e164 == null) {
            JsonNode event = readEvent(m);
            if (event == null) {
                return;
            }
            type = event.path("type").asText(null);
            JsonNode data = event.path("data");
            e164 = data.path("customerE164").asText(null);
            if (e164 == null) {
                e164 = data.path("direction").asText("").equals("outbound") ? data.path("to").asText(null) : data.path("from").asText(null);
            }
        }
        if (!"call.started".equals(type) || e164 == null) {
            return;
        }
        try {
            String normalised = phones.toE164(e164);
            primary.warm(normalised);
            LOG.debug("Warming the cache for {}", Pii.phone(normalised));
        } catch (InvalidPhoneNumberException e) {
            // the core route dead-letters such events; nothing to warm
        }
    }

    /** Actions that change the caller's record itself, not only its activity. */
    public static final Set<String> CONTACT_WRITES = Set.of("create-contact", "update-contact", "set-field");

    /** Drops every cached answer for the number, in every CRM: Callbridge just wrote to that contact. */
    public void invalidate(String e164) {
        all.forEach(i -> i.invalidate(e164));
    }

    /** Drops every cached number that matches, in every CRM (an erasure: the caller is known by their pseudonym only). */
    public void invalidateWhere(java.util.function.Predicate<String> e164) {
        all.forEach(i -> i.invalidateWhere(e164));
    }

    /**
     * After a connector wrote for the number in one CRM: a contact write drops what that CRM's cache holds; any other
     * write, and any write in another CRM, only outdates the profile ({@link CallerIdentifier#touch}), so the next
     * command needs no new search (a write in one CRM changes no record of another).
     */
    void written(CallerIdentifier in, String action, String e164) {
        if (e164 == null) {
            return;
        }
        if (CONTACT_WRITES.contains(action)) {
            in.invalidate(e164);
        } else {
            in.touch(e164);
        }
        all.stream().filter(i -> i != in).forEach(i -> i.touch(e164));
    }

    /**
     * After a connector changed the caller's record in one CRM and that CRM answered the record's fields: that CRM's
     * cached record takes them (no new search), the profile is out of date in every CRM.
     */
    void updated(CallerIdentifier in, String e164, String recordId, JsonNode fields) {
        in.refresh(e164, recordId, fields);
        all.stream().filter(i -> i != in).forEach(i -> i.touch(e164));
    }

    /**
     * A CRM told of a changed record: its cached callers are dropped (see {@link CallerIdentifier#changed}), and each
     * number the change gave no longer counts as unknown in that CRM. Answers how many cached numbers were dropped.
     */
    public int changed(String crm, io.callbridge.crm.ChangeNotifications.RecordChange change) {
        int dropped = 0;
        for (CallerIdentifier i : all) {
            if (!i.crm().equals(crm)) {
                continue;
            }
            dropped += i.changed(change);
            List<String> numbers = new java.util.ArrayList<>();
            for (String number : change.numbers()) {
                try {
                    numbers.add(phones.toE164(number));
                } catch (io.callbridge.phone.PhoneNormalizer.InvalidPhoneNumberException e) {
                    // a value the CRM keeps that is no number: nobody can be cached under it
                }
            }
            numbers.forEach(i::invalidate);
            if (i.directory() != null) {
                // last: the doubts it marks are the newest, which reading the record again resolves
                i.directory().changed(change.recordId(), numbers);
            }
        }
        return dropped;
    }

    /** The caller records of one CRM, as its connector and the dry run read them; null when it cannot be searched. */
    public io.callbridge.crm.CallerRecords records(String crm) {
        return all.stream().filter(i -> i.crm().equals(crm)).findFirst().map(i -> new CrmCallerRecords(i, this)).orElse(null);
    }

    public Map<String, Long> cacheSizes() {
        return all.stream().collect(java.util.stream.Collectors.toMap(CallerIdentifier::crm, CallerIdentifier::size));
    }

    private void unavailable(Exchange exchange, String detail) {
        HttpProblems.answer(exchange, Problem.of(503, "Service unavailable", detail));
        exchange.getMessage().setHeader("Retry-After", String.valueOf(retryAfterSeconds));
    }

    private static JsonNode readEvent(Message m) {
        try {
            byte[] body = m.getBody(byte[].class);
            return body == null ? null : CrmHttp.JSON.readTree(body);
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
    }
}
