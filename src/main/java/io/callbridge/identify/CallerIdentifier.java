package io.callbridge.identify;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.callbridge.crm.CallerSearch;
import io.callbridge.crm.Candidate;
import io.callbridge.logging.Pii;
import io.callbridge.phone.PhoneFormats;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Caller identification in one CRM, the mechanism shared by every CRM: the cache in front, one
 * search per number at a time, sent through the CRM's {@link SearchQueue} (callers before delivery, numbers searched
 * together), confirmation of every candidate by its normalised number, the match policy, and the deadline.
 *
 * <p>Cache: an entry is fresh for {@code positive-ttl} (somebody found) or {@code negative-ttl}
 * (nobody); after that it is looked up again, but kept up to {@code stale-ttl} to answer when the
 * CRM is down or slower than the deadline. {@code max-entries} bounds it. A lookup that misses the
 * deadline keeps running and fills the cache, so the next call is a hit.
 */
public final class CallerIdentifier {

    private static final Logger LOG = LoggerFactory.getLogger(CallerIdentifier.class);

    /** How an answer was obtained, for the response header and the metrics. */
    public enum Source { HIT, MISS, STALE }

    public record Lookup(Identification identification, Source source) { }

    /** {@code outdated}: Callbridge logged activity on the record; its id and fields still hold, its profile does not. */
    private record Entry(Identification identification, long fetchedAtNanos, boolean outdated) { }

    private final CallerSearch search;
    /** Null when the CRM keeps none: every number not cached is searched. */
    private final CallerDirectory directory;
    private final SearchQueue queue;
    private final PhoneFormats formats;
    private final MatchPolicy policy;
    private final IdentifySettings settings;
    private final Ticker ticker;
    private final Cache<String, Entry> cache;
    private final Map<String, CompletableFuture<Identification>> inflight = new ConcurrentHashMap<>();
    /**
     * When each number was last invalidated or touched (a sequence number): a search of that number started before must
     * not fill the cache with what it read (invalidated), or must fill it as outdated (touched). Per number, so the
     * writes for other callers, many a second under load, never keep a search's answer out of the cache.
     */
    private final Cache<String, Long> invalidatedAt;
    private final Cache<String, Long> touchedAt;
    private final AtomicLong sequence = new AtomicLong();
    private volatile long allInvalidatedAt = -1;

    public CallerIdentifier(CallerSearch search, PhoneFormats formats, IdentifySettings settings) {
        this(search, null, formats, settings, Ticker.systemTicker());
    }

    public CallerIdentifier(CallerSearch search, CallerDirectory directory, PhoneFormats formats, IdentifySettings settings) {
        this(search, directory, formats, settings, Ticker.systemTicker());
    }

    CallerIdentifier(CallerSearch search, CallerDirectory directory, PhoneFormats formats, IdentifySettings settings, Ticker ticker) {
        this.search = search;
        this.directory = directory;
        this.formats = formats;
        this.policy = MatchPolicy.parse(settings.matchPolicy());
        this.settings = settings;
        this.ticker = ticker;
        this.queue = new SearchQueue(search, formats, settings.backgroundWait());
        this.cache = Caffeine.newBuilder().maximumSize(settings.maxEntries())
                .expireAfterWrite(settings.staleTtl()).ticker(ticker).build();
        // a search runs at most the CRM timeout: older marks can no longer concern one
        Duration keep = settings.crmTimeout().plusSeconds(5);
        this.invalidatedAt = Caffeine.newBuilder().maximumSize(settings.maxEntries()).expireAfterWrite(keep).ticker(ticker).build();
        this.touchedAt = Caffeine.newBuilder().maximumSize(settings.maxEntries()).expireAfterWrite(keep).ticker(ticker).build();
        if (directory != null) {
            directory.onNumberChanged(this::forget);
        }
    }

    public String crm() {
        return search.crm();
    }

    /** Stops the search queue's dispatcher and the directory's readers. */
    void close() {
        queue.close();
        if (directory != null) {
            directory.close();
        }
    }

    /** The CRM's caller directory; null when it keeps none. */
    CallerDirectory directory() {
        return directory;
    }

    public CallerSearch search() {
        return search;
    }

    /**
     * The caller within the deadline: fresh cache entry, else the CRM, else (CRM failing or late) a
     * stale entry. Nothing usable in time: {@link CrmUnavailableException}.
     */
    public Lookup identify(String e164, long startedNanos) throws CrmUnavailableException {
        Entry cached = cache.getIfPresent(e164);
        if (cached != null && fresh(cached) && !cached.outdated()) {
            return new Lookup(cached.identification(), Source.HIT);
        }
        CompletableFuture<Identification> pending = fetch(e164, false, SearchQueue.Priority.CALLER);
        long left = settings.deadline().toNanos() - (System.nanoTime() - startedNanos);
        try {
            return new Lookup(pending.get(Math.max(0, left), TimeUnit.NANOSECONDS), Source.MISS);
        } catch (TimeoutException | ExecutionException e) {
            String why = e instanceof TimeoutException ? "did not answer within " + settings.deadline().toMillis() + " ms"
                    : String.valueOf(e.getCause().getMessage());
            if (cached != null) {
                LOG.info("{} {} for {}: answering from the cache", crm(), why, Pii.phone(e164));
                return new Lookup(cached.identification(), Source.STALE);
            }
            LOG.warn("{} {} for {}, nothing cached: answering 503", crm(), why, Pii.phone(e164));
            throw new CrmUnavailableException(crm(), why);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CrmUnavailableException(crm(), "interrupted");
        }
    }

    /** The caller for a connector or the dry run: the cache if fresh, else the CRM, waiting up to the CRM timeout. */
    public Identification identifyNow(String e164, boolean full) throws Exception {
        Entry cached = cache.getIfPresent(e164);
        if (answers(cached, full)) {
            return cached.identification();
        }
        try {
            return fetch(e164, full, SearchQueue.Priority.BACKGROUND).get(settings.crmTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception x ? x : e;
        }
    }

    /**
     * Starts what {@link #identifyNow identifyNow(e164, true)} would ask the CRM, unless the cache answers it; does not
     * wait. A connector calls it for a whole wave, so the numbers share searches.
     */
    public void prefetch(String e164) {
        Entry cached = cache.getIfPresent(e164);
        if (!answers(cached, true)) {
            fetch(e164, true, SearchQueue.Priority.BACKGROUND);
        }
    }

    /** Starts a lookup unless a fresh entry exists; does not wait. For the warm-up on call.started. */
    public void warm(String e164) {
        Entry cached = cache.getIfPresent(e164);
        if (cached == null || !fresh(cached)) {
            fetch(e164, false, SearchQueue.Priority.CALLER);
        }
    }

    /**
     * Callbridge logged activity (a call, task, deal, case, meeting) on the number's record: the profile
     * (last call, open deals and cases) is out of date, the record's id and fields are not. A caller lookup
     * asks the CRM again; a connector keeps using the entry, which spares one search per command.
     */
    public void touch(String e164) {
        touchedAt.put(e164, sequence.incrementAndGet());
        cache.asMap().computeIfPresent(e164, (k, e) -> new Entry(e.identification(), e.fetchedAtNanos(), true));
    }

    /**
     * Callbridge changed fields of the number's record and the CRM answered them: the cached record takes them and its
     * profile counts as out of date. A number cached with another record (or none) is forgotten instead.
     */
    public void refresh(String e164, String recordId, JsonNode fields) {
        if (directory != null) {
            directory.doubt(e164);
        }
        long mark = sequence.incrementAndGet();
        touchedAt.put(e164, mark);
        Entry refreshed = cache.asMap().computeIfPresent(e164, (k, e) -> {
            Candidate winner = e.identification().winner();
            if (winner == null || !winner.id.equals(recordId) || !fields.isObject()) {
                return null;
            }
            return new Entry(new Identification(winner.withFields((ObjectNode) fields), e.identification().matches()),
                    e.fetchedAtNanos(), true);
        });
        if (refreshed == null) {
            invalidatedAt.put(e164, mark);
            inflight.remove(e164);
        }
    }

    /** Drops the cached answer for a number whose records the directory just read again. */
    private void forget(String e164) {
        invalidatedAt.put(e164, sequence.incrementAndGet());
        cache.invalidate(e164);
        inflight.remove(e164);
    }

    /** Drops what is known about a number: Callbridge just wrote to that contact. */
    public void invalidate(String e164) {
        if (directory != null) {
            directory.doubt(e164);
        }
        invalidatedAt.put(e164, sequence.incrementAndGet());
        cache.invalidate(e164);
        inflight.remove(e164);
    }

    /**
     * The CRM says one of its records changed: every number cached with that record is dropped, unless the cached record
     * already holds each changed value (Callbridge's own write, told back); the next lookup asks the CRM. Answers how
     * many numbers were dropped.
     */
    public int changed(io.callbridge.crm.ChangeNotifications.RecordChange change) {
        if (change.kind().equals("created")) {
            // a record cached already is one Callbridge itself just created (or a restored one, dropped at its deletion)
            return 0;
        }
        List<String> stale = new ArrayList<>();
        cache.asMap().forEach((e164, entry) -> {
            Candidate winner = entry.identification().winner();
            if (winner != null && winner.id.equals(change.recordId()) && !holds(winner, change)) {
                stale.add(e164);
            }
        });
        stale.forEach(this::invalidate);
        return stale.size();
    }

    private static boolean holds(Candidate cached, io.callbridge.crm.ChangeNotifications.RecordChange change) {
        if (!change.kind().equals("updated") || change.values().isEmpty() || cached.record == null) {
            return false;
        }
        return change.values().entrySet().stream()
                .allMatch(v -> v.getValue() != null && v.getValue().equals(cached.record.path(v.getKey()).asText(null)));
    }

    /** Drops every cached number that matches: for an erasure another instance made, known here only by a pseudonym. */
    public void invalidateWhere(java.util.function.Predicate<String> e164) {
        cache.asMap().keySet().stream().filter(e164).toList().forEach(this::invalidate);
    }

    public void invalidateAll() {
        allInvalidatedAt = sequence.incrementAndGet();
        cache.invalidateAll();
        inflight.clear();
    }

    /** Whether a fresh answer for the number is cached (without looking it up). */
    public boolean isFresh(String e164) {
        Entry e = cache.getIfPresent(e164);
        return e != null && fresh(e);
    }

    public long size() {
        return cache.estimatedSize();
    }

    /** Runs pending evictions now (Caffeine does it lazily). */
    void cleanUp() {
        cache.cleanUp();
    }

    /** Whether the entry answers a connector without asking the CRM ({@code full}: it needs the winner's whole record). */
    private boolean answers(Entry cached, boolean full) {
        return cached != null && fresh(cached) && (!full || !cached.identification().found()
                || cached.identification().winner().recordComplete);
    }

    private boolean fresh(Entry e) {
        long ttl = (e.identification().found() ? settings.positiveTtl() : settings.negativeTtl()).toNanos();
        return ticker.read() - e.fetchedAtNanos() < ttl;
    }

    /** Every record of the CRM confirmed to hold the number, asked now (not the cache), whichever the policy would pick. */
    public CompletableFuture<List<Candidate>> holders(String e164) {
        return queue.candidates(e164, SearchQueue.Priority.BACKGROUND).thenApply(candidates -> confirmed(candidates, e164));
    }

    /**
     * One search per number at a time: concurrent askers share it (a caller joining a background search waits as the
     * background does; the slot it would book is not worth a second search of the same number).
     */
    private CompletableFuture<Identification> fetch(String e164, boolean full, SearchQueue.Priority priority) {
        String key = full ? e164 + "#full" : e164;
        CompletableFuture<Identification> mine = new CompletableFuture<>();
        CompletableFuture<Identification> running = inflight.putIfAbsent(key, mine);
        if (running != null) {
            return running;
        }
        long started = sequence.get();
        CompletableFuture<Identification> search;
        try {
            search = candidates(e164, priority)
                    .thenCompose(candidates -> this.search.complete(confirmed(candidates, e164), full))
                    .thenApply(confirmed -> new Identification(policy.pick(confirmed), confirmed.size()));
        } catch (RuntimeException e) {
            search = CompletableFuture.failedFuture(e);
        }
        search.whenComplete((result, failure) -> {
            if (result != null && !changedSince(invalidatedAt, e164, started) && allInvalidatedAt <= started) {
                cache.put(e164, new Entry(result, ticker.read(), changedSince(touchedAt, e164, started)));
            }
            inflight.remove(key, mine);
            if (failure != null) {
                mine.completeExceptionally(failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure);
            } else {
                mine.complete(result);
            }
        });
        return mine;
    }

    /** The directory's records for the number when it can vouch for them, else a search (whose answer it learns from). */
    private CompletableFuture<List<Candidate>> candidates(String e164, SearchQueue.Priority priority) {
        if (directory == null) {
            return queue.candidates(e164, priority);
        }
        List<Candidate> known = directory.candidates(e164);
        if (known != null) {
            return CompletableFuture.completedFuture(known);
        }
        return queue.candidates(e164, priority).thenApply(found -> {
            directory.searched(e164, found);
            return found;
        });
    }

    private static boolean changedSince(Cache<String, Long> marks, String e164, long started) {
        Long at = marks.getIfPresent(e164);
        return at != null && at > started;
    }

    private List<Candidate> confirmed(List<Candidate> candidates, String e164) {
        List<Candidate> out = new ArrayList<>();
        for (Candidate c : candidates) {
            if (c.phones.stream().anyMatch(p -> formats.confirms(p, e164))
                    && out.stream().noneMatch(o -> o.id.equals(c.id) && o.type.equals(c.type))) {
                out.add(c);
            }
        }
        return out;
    }

    /** The CRM failed or missed the deadline and nothing was cached. */
    public static final class CrmUnavailableException extends Exception {
        public CrmUnavailableException(String crm, String why) {
            super(crm + " " + why);
        }
    }
}
