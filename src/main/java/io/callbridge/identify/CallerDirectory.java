package io.callbridge.identify;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.callbridge.config.Setting;
import io.callbridge.config.Settings;
import io.callbridge.crm.CallerListing;
import io.callbridge.crm.Candidate;
import io.callbridge.crm.CrmHttp;
import io.callbridge.crm.RateWindow;
import io.callbridge.phone.PhoneFormats;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every caller record of one CRM, read whole at start and every {@code resync-ms}, kept current by the CRM's change
 * notifications, so that a lookup needs no search: a CRM's search budget (HubSpot: 5 a second) cannot serve many new
 * callers a second within the guide's 200 ms, whatever is coalesced, while a directory answers them all, the unknown
 * numbers too.
 *
 * <p>A number the directory cannot vouch for is searched as without it: before the first read has ended, and while
 * the number is in doubt. A number is in doubt from the moment Callbridge wrote to its record or the CRM told of a
 * change of a record that holds it, until the records concerned have been read again; the search's answer names the
 * records to read. Records are kept as the CRM answered them (about a kilobyte each), filed under the last digits of
 * each number they hold ({@link PhoneFormats#keysOfStored}); the lookup confirms as it confirms a search's answer.
 */
public final class CallerDirectory {

    private static final Logger LOG = LoggerFactory.getLogger(CallerDirectory.class);
    private static final String P = "callbridge.identify.directory.";
    private static final long REQUEST_TIMEOUT_SECONDS = 30;
    private static final long RETRY_SECONDS = 5;

    static final Setting ENABLED = Setting.of(P + "enabled", "false", "keep every caller record of each CRM that can list its "
            + "records and tells of their changes (see Caller directory) in memory, read at start and kept current by "
            + "the notifications, so lookups need no search: for many new callers a second (about 1 KB of heap per record)");
    static final Setting MAX_RECORDS = Setting.of(P + "max-records", "100000", "a CRM with more records keeps no directory "
            + "(its lookups search, as without one); the heap must hold about 1 KB per record");
    static final Setting RESYNC_MS = Setting.of(P + "resync-ms", "21600000", "the directory is read whole again this often, "
            + "for a change whose notification was lost");

    public static final List<Setting> DECLARED = List.of(ENABLED, MAX_RECORDS, RESYNC_MS);

    /** The directory settings. */
    public record Options(boolean enabled, long maxRecords, Duration resync) {

        public static Options from(Settings s) {
            return new Options(Boolean.parseBoolean(s.get(ENABLED)), s.getLong(MAX_RECORDS), Duration.ofMillis(s.getLong(RESYNC_MS)));
        }
    }

    /** Records to read again, and the doubts (key and mark) that reading them resolves. */
    private record Reread(Set<String> ids, Map<String, Long> resolves) {
    }

    private final String crm;
    private final CallerListing listing;
    private final RateWindow window;
    private final PhoneFormats formats;
    private final Options options;
    private final ScheduledExecutorService syncer;
    private final ScheduledExecutorService reader;
    private final ConcurrentLinkedQueue<Reread> rereads = new ConcurrentLinkedQueue<>();
    private final Map<String, Long> doubts = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong();
    private final Object lock = new Object();
    private volatile Index live;
    private boolean syncing;
    private final Set<String> changedDuringSync = new HashSet<>();
    private volatile boolean closed;
    private final AtomicBoolean startedOnce = new AtomicBoolean();
    private volatile State state = State.READING;
    private volatile java.util.function.Consumer<String> numberChanged = n -> { };

    /** Where the directory stands. */
    public enum State { READING, LIVE, TOO_LARGE, FAILED }

    /** @param window the rate-limit window the listing's requests take slots of; null when none paces them */
    public CallerDirectory(String crm, CallerListing listing, RateWindow window, PhoneFormats formats, Options options) {
        this.crm = crm;
        this.listing = listing;
        this.window = window;
        this.formats = formats;
        this.options = options;
        this.syncer = Executors.newSingleThreadScheduledExecutor(daemon("callbridge-directory-sync-" + crm));
        this.reader = Executors.newSingleThreadScheduledExecutor(daemon("callbridge-directory-reread-" + crm));
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    public String crm() {
        return crm;
    }

    /**
     * Told each number (E.164) a record read again held or holds: a cache in front drops what it answered for it, an
     * "unknown" included, since the directory now knows better.
     */
    void onNumberChanged(java.util.function.Consumer<String> listener) {
        this.numberChanged = listener;
    }

    /**
     * Starts the first read, in the background; once only: Camel tells its startup listeners again of each route added
     * while it runs (a CRM's change subscription), and every further start would begin a resync cycle of its own.
     */
    public void start() {
        if (startedOnce.compareAndSet(false, true)) {
            schedule(Duration.ofMillis(1));
        }
    }

    public void close() {
        closed = true;
        syncer.shutdownNow();
        reader.shutdownNow();
    }

    /** Whether the directory answers (a read has ended and the CRM was not too large), or why not. */
    public State state() {
        return state;
    }

    /** The records held, or -1 while the directory does not answer. */
    public long size() {
        Index index = live;
        return index == null ? -1 : index.records.size();
    }

    /**
     * The records that may hold the number (unconfirmed), or null when the directory cannot vouch for it: the CRM is
     * then searched.
     */
    public List<Candidate> candidates(String e164) {
        Index index = live;
        if (index == null) {
            return null;
        }
        String key = formats.keyOf(e164);
        return doubts.containsKey(key) ? null : index.candidates(key);
    }

    /** Callbridge wrote to the number's record: it is searched until the records the search finds are read again. */
    public void doubt(String e164) {
        doubts.put(formats.keyOf(e164), sequence.incrementAndGet());
    }

    /** A search answered for a number in doubt: the records it found, and those filed under the number, are read again. */
    public void searched(String e164, List<Candidate> found) {
        String key = formats.keyOf(e164);
        Long mark = doubts.get(key);
        Index index = live;
        if (mark == null || index == null) {
            return;
        }
        Set<String> ids = new LinkedHashSet<>(index.idsUnder(key));
        found.forEach(c -> ids.add(c.id));
        enqueue(new Reread(ids, Map.of(key, mark)));
    }

    /**
     * The CRM told of a change of one record: the numbers it held and those the change gives are in doubt until it is read
     * again (a record gone is then dropped).
     */
    public void changed(String recordId, Collection<String> e164s) {
        Set<String> keys = new HashSet<>();
        Index index = live;
        if (index != null) {
            keys.addAll(index.keysOf(recordId));
        }
        e164s.forEach(n -> keys.add(formats.keyOf(n)));
        Map<String, Long> marks = new HashMap<>();
        for (String key : keys) {
            long mark = sequence.incrementAndGet();
            doubts.put(key, mark);
            marks.put(key, mark);
        }
        enqueue(new Reread(Set.of(recordId), marks));
    }

    private void enqueue(Reread reread) {
        if (reread.ids().isEmpty()) {
            reread.resolves().forEach(doubts::remove);
            return;
        }
        rereads.add(reread);
        try {
            reader.execute(this::reread);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closed: Callbridge is stopping, nothing will be looked up any more
        }
    }

    /** Reads again what is queued, up to one request's worth at a time. */
    private void reread() {
        Reread first;
        while ((first = rereads.poll()) != null) {
            List<Reread> batch = new ArrayList<>(List.of(first));
            Set<String> ids = new LinkedHashSet<>(first.ids());
            Reread next;
            while ((next = rereads.peek()) != null && ids.size() + next.ids().size() <= listing.readsPerRequest()) {
                batch.add(rereads.poll());
                ids.addAll(next.ids());
            }
            try {
                List<JsonNode> found = new ArrayList<>();
                List<String> all = new ArrayList<>(ids);
                for (int i = 0; i < all.size(); i += listing.readsPerRequest()) {
                    pace();
                    found.addAll(listing.read(all.subList(i, Math.min(all.size(), i + listing.readsPerRequest())))
                            .get(REQUEST_TIMEOUT_SECONDS, TimeUnit.SECONDS));
                }
                apply(ids, found);
                batch.forEach(r -> r.resolves().forEach(doubts::remove));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                LOG.warn("{}: reading {} changed record(s) again for the caller directory failed ({}); their numbers are "
                        + "searched meanwhile, trying again in {} s", crm, ids.size(), message(e), RETRY_SECONDS);
                try {
                    reader.schedule(() -> {
                        rereads.addAll(batch);
                        reread();
                    }, RETRY_SECONDS, TimeUnit.SECONDS);
                } catch (java.util.concurrent.RejectedExecutionException closing) {
                    // closed: Callbridge is stopping
                }
                return;
            }
        }
    }

    private void apply(Set<String> ids, List<JsonNode> found) {
        Map<String, JsonNode> byId = new HashMap<>();
        found.forEach(r -> byId.put(listing.id(r), r));
        Set<String> numbers = new HashSet<>();
        synchronized (lock) {
            Index index = live;
            if (index != null) {
                for (String id : ids) {
                    Set<String> held = index.numbersOf(id);
                    JsonNode record = byId.get(id);
                    if (record == null) {
                        index.remove(id);
                        numbers.addAll(held);
                    } else if (index.put(id, record)) {
                        numbers.addAll(held);
                        numbers.addAll(index.numbersOf(id));
                    }
                }
            }
            if (syncing) {
                changedDuringSync.addAll(ids);
            }
        }
        numbers.forEach(numberChanged);
    }

    /** Reads every record; swaps the new index in when done; the changes told meanwhile are read again after. */
    private void sync() {
        if (closed) {
            return;
        }
        long startMark = sequence.get();
        long started = System.nanoTime();
        synchronized (lock) {
            syncing = true;
            changedDuringSync.clear();
        }
        Index fresh = new Index();
        int pages = 0;
        try {
            String cursor = null;
            do {
                pace();
                CallerListing.Page page = listing.page(cursor).get(REQUEST_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                page.records().forEach(r -> fresh.put(listing.id(r), r));
                pages++;
                if (fresh.records.size() > options.maxRecords()) {
                    LOG.warn("{} holds more than {} caller records ({}): no caller directory, lookups search it; raise the "
                            + "heap and {} to keep one", crm, options.maxRecords(), MAX_RECORDS.key(), MAX_RECORDS.key());
                    synchronized (lock) {
                        live = null;
                        syncing = false;
                    }
                    state = State.TOO_LARGE;
                    schedule(options.resync());
                    return;
                }
                cursor = page.next();
            } while (cursor != null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (Exception e) {
            LOG.warn("{}: reading its caller records failed after {} page(s) ({}); lookups search it meanwhile, trying again "
                    + "in {} s", crm, pages, message(e), RETRY_SECONDS);
            synchronized (lock) {
                syncing = false;
            }
            if (live == null) {
                state = State.FAILED;
            }
            schedule(Duration.ofSeconds(RETRY_SECONDS));
            return;
        }
        Set<String> again;
        synchronized (lock) {
            live = fresh;
            syncing = false;
            state = State.LIVE;
            again = Set.copyOf(changedDuringSync);
            changedDuringSync.clear();
        }
        doubts.values().removeIf(mark -> mark <= startMark);
        enqueue(new Reread(again, Map.of()));
        LOG.info("{}: caller directory holds {} records ({} KB as the CRM answered them), read in {} page(s), {} ms", crm,
                fresh.records.size(), fresh.bytesHeld.get() / 1024, pages, (System.nanoTime() - started) / 1_000_000);
        schedule(options.resync());
    }

    private void schedule(Duration after) {
        if (!after.isZero()) {
            try {
                syncer.schedule(this::sync, after.toMillis(), TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // closed: Callbridge is stopping
            }
        }
    }

    /** Takes a slot of the CRM's window, as delivery does, so that reading the directory cannot make the CRM answer 429. */
    private void pace() throws InterruptedException {
        if (window != null) {
            long wait = window.acquire().toMillis();
            if (wait > 0) {
                Thread.sleep(wait);
            }
        }
    }

    private static String message(Exception e) {
        Throwable cause = e instanceof java.util.concurrent.ExecutionException && e.getCause() != null ? e.getCause() : e;
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }

    /** Records by id, as the CRM answered them, and their ids by key. Written by one thread at a time (under the lock). */
    private final class Index {

        final Map<String, byte[]> records = new ConcurrentHashMap<>();
        final Map<String, String[]> byKey = new ConcurrentHashMap<>();
        final AtomicLong bytesHeld = new AtomicLong();

        /**
         * Filed under its new keys before it leaves its old ones: a lookup meanwhile never misses a record that stays.
         * Answers whether the record changed (Callbridge's own write, told back, often did not).
         */
        boolean put(String id, JsonNode record) {
            byte[] bytes;
            try {
                bytes = CrmHttp.JSON.writeValueAsBytes(record);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
            byte[] old = records.get(id);
            if (old != null && Arrays.equals(old, bytes)) {
                return false;
            }
            Set<String> before = keysOf(id);
            Set<String> after = keys(listing.candidate(record));
            bytesHeld.addAndGet(bytes.length - length(records.put(id, bytes)));
            for (String key : after) {
                byKey.merge(key, new String[] {id}, (held, added) -> Arrays.asList(held).contains(id) ? held : with(held, id));
            }
            before.stream().filter(key -> !after.contains(key)).forEach(key -> unfile(key, id));
            return true;
        }

        void remove(String id) {
            byte[] old = records.remove(id);
            if (old != null) {
                bytesHeld.addAndGet(-old.length);
                keys(candidate(old)).forEach(key -> unfile(key, id));
            }
        }

        private void unfile(String key, String id) {
            byKey.computeIfPresent(key, (k, held) -> {
                String[] left = Arrays.stream(held).filter(h -> !h.equals(id)).toArray(String[]::new);
                return left.length == 0 ? null : left;
            });
        }

        private static long length(byte[] bytes) {
            return bytes == null ? 0 : bytes.length;
        }

        /** The numbers the record holds, as E.164 where they read as one. */
        Set<String> numbersOf(String id) {
            byte[] held = records.get(id);
            Set<String> numbers = new HashSet<>();
            if (held != null) {
                candidate(held).phones.stream().map(formats::e164Of).filter(java.util.Objects::nonNull).forEach(numbers::add);
            }
            return numbers;
        }

        Set<String> keysOf(String id) {
            byte[] held = records.get(id);
            return held == null ? Set.of() : keys(candidate(held));
        }

        List<String> idsUnder(String key) {
            String[] ids = byKey.get(key);
            return ids == null ? List.of() : List.of(ids);
        }

        List<Candidate> candidates(String key) {
            List<Candidate> out = new ArrayList<>();
            for (String id : idsUnder(key)) {
                byte[] held = records.get(id);
                if (held != null) {
                    out.add(candidate(held));
                }
            }
            return out;
        }

        private Candidate candidate(byte[] held) {
            try {
                return listing.candidate(CrmHttp.JSON.readTree(held));
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }

        private Set<String> keys(Candidate c) {
            Set<String> keys = new LinkedHashSet<>();
            c.phones.forEach(p -> keys.addAll(formats.keysOfStored(p)));
            return keys;
        }

        private static String[] with(String[] held, String id) {
            String[] more = Arrays.copyOf(held, held.length + 1);
            more[held.length] = id;
            return more;
        }
    }
}
