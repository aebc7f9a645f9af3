package io.callbridge.identify;

import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.callbridge.crm.CallerRecords;
import io.callbridge.crm.CallerSearch;
import io.callbridge.crm.Candidate;
import io.callbridge.phone.PhoneFormats;
import io.callbridge.phone.PhoneNormalizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Caller identification wired from the enabled CRMs' searches: one {@link CallerIdentifier} per CRM that
 * can be searched, {@link Callers} answering from the primary CRM, and per CRM the {@link CallerRecords}
 * its connector and the dry run read.
 */
public final class CallerLookups {

    private static final Logger LOG = LoggerFactory.getLogger(CallerLookups.class);

    private final Map<String, CallerIdentifier> identifiers;
    private final Callers callers;

    /**
     * @param searches    the enabled CRMs that can be searched, in catalog order
     * @param primaryName {@code callbridge.primary-crm}, null for the first of {@code searches}
     * @param followed    the CRMs whose change notifications Callbridge receives: only those can keep a caller directory
     */
    public CallerLookups(Map<String, CallerSearch> searches, String primaryName, IdentifySettings settings, PhoneNormalizer phones,
            ZoneId zone, int retryAfterSeconds, LookupMetrics metrics, java.util.Set<String> followed, CallerDirectory.Options directories) {
        PhoneFormats formats = new PhoneFormats(phones.defaultRegion());
        Map<String, CallerIdentifier> byCrm = new LinkedHashMap<>();
        searches.forEach((crm, search) -> byCrm.put(crm, new CallerIdentifier(search,
                directory(crm, search, followed.contains(crm), formats, directories, metrics), formats, settings)));
        this.identifiers = Map.copyOf(byCrm);
        CallerIdentifier primary;
        if (primaryName != null) {
            primary = byCrm.get(primaryName);
            if (primary == null) {
                throw new IllegalStateException(IdentifySettings.PRIMARY_CRM.key() + " is '" + primaryName + "', which is not an "
                        + "enabled CRM that caller lookups can search; enable it (callbridge.crm." + primaryName
                        + ".enabled=true) or choose one of " + byCrm.keySet());
            }
        } else {
            primary = byCrm.values().stream().findFirst().orElse(null);
        }
        if (primary != null) {
            LOG.info("Caller lookups answer from {} (deadline {} ms, policy {})", primary.crm(), settings.deadline().toMillis(),
                    settings.matchPolicy());
        }
        this.callers = new Callers(phones, primary, byCrm.values(), new CallerProfile(zone, settings.greetingLanguage()),
                retryAfterSeconds, settings.warmupMaxAge().toMillis(), metrics);
    }

    /** The CRM's caller directory when enabled and it can keep one; why not is logged. */
    private static CallerDirectory directory(String crm, CallerSearch search, boolean followed, PhoneFormats formats,
            CallerDirectory.Options options, LookupMetrics metrics) {
        if (!options.enabled()) {
            return null;
        }
        if (search.listing() == null || !followed) {
            LOG.warn("{} keeps no caller directory: {}; its lookups search it", crm, search.listing() == null
                    ? "Callbridge cannot list its records yet" : "its change notifications are not set up (README, When a contact changes)");
            return null;
        }
        CallerDirectory directory = new CallerDirectory(crm, search.listing(), search.listingWindow(), formats, options);
        metrics.directory(directory);
        return directory;
    }

    /** Bean {@code callers}: {@code GET /v1/callers} and the warm-up. */
    public Callers callers() {
        return callers;
    }

    /** The caller records of one CRM; null when it cannot be searched. */
    public CallerRecords records(String crm) {
        return callers.records(crm);
    }

    /** Every record of {@code crm} confirmed to hold the number (for erasure); the CRM must be one that can be searched. */
    public CompletableFuture<List<Candidate>> holders(String crm, String e164) {
        CallerIdentifier identifier = identifiers.get(crm);
        if (identifier == null) {
            throw new IllegalArgumentException(crm + " cannot be searched");
        }
        return identifier.holders(e164);
    }

    /** Stops the CRMs' search queues (their dispatcher threads); a lookup after this fails. */
    public void close() {
        identifiers.values().forEach(CallerIdentifier::close);
    }

    /**
     * Logs in and loads owner names of every CRM, so the first lookup is not the slow one (a CRM that fails is logged),
     * and starts reading the caller directories.
     */
    public void prepare() {
        identifiers.values().forEach(i -> {
            try {
                i.search().prepare();
            } catch (RuntimeException e) {
                LOG.warn("{} could not be prepared for caller lookups: {}", i.crm(), e.getMessage());
            }
            if (i.directory() != null) {
                i.directory().start();
            }
        });
    }
}
