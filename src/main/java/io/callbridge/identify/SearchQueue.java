package io.callbridge.identify;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import io.callbridge.crm.CallerSearch;
import io.callbridge.crm.Candidate;
import io.callbridge.crm.CrmException;
import io.callbridge.crm.RateWindow;
import io.callbridge.phone.PhoneFormats;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The searches of one CRM, sent in its search window with the caller on the line first.
 *
 * <p>A caller lookup books the window's next slot and is sent when it comes; a search for delivery or an erasure
 * ({@link Priority#BACKGROUND}) is sent on its own only when a slot stays free after it
 * ({@link RateWindow#tryAcquireLeavingOne()}), so it never takes the slot a caller arriving next would need, and is
 * deferred when it waited longer than {@code backgroundWait}. Whatever waits when a slot comes is sent together, up to
 * {@link CallerSearch#numbersPerSearch()} numbers in one request: callers first, background numbers filling the rest.
 * Under load a slot thus serves many callers, and delivery's searches ride along with theirs. The last free slot is
 * held 50 ms, so that callers who rang at about the same moment share it rather than leave the next ones to wait a
 * whole interval.
 *
 * <p>A CRM without a search window (its limit a daily allocation, as Salesforce's) that takes several numbers per request
 * has at most {@value #IN_FLIGHT_WITHOUT_WINDOW} searches in flight: whoever arrives while they are answered is searched
 * together when one comes back, so a burst of callers costs a few requests and an idle CRM is asked at once.
 * A CRM without a search window and one number per request is asked directly: nothing to order.
 */
final class SearchQueue implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SearchQueue.class);
    static final long LINGER_MS = 50;
    private static final long LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(LINGER_MS);
    static final int IN_FLIGHT_WITHOUT_WINDOW = 4;

    /** Who waits for the answer. */
    enum Priority { CALLER, BACKGROUND }

    private record Waiting(String e164, Priority priority, long sinceNanos, CompletableFuture<List<Candidate>> answer) {
    }

    private final CallerSearch search;
    private final PhoneFormats formats;
    private final RateWindow window;
    private final long backgroundWaitNanos;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private final Deque<Waiting> callers = new ArrayDeque<>();
    private final Deque<Waiting> background = new ArrayDeque<>();
    private final Thread dispatcher;
    private int inFlight;
    private volatile boolean closed;

    SearchQueue(CallerSearch search, PhoneFormats formats, Duration backgroundWait) {
        this.search = search;
        this.formats = formats;
        this.window = search.searchWindow();
        this.backgroundWaitNanos = backgroundWait.toNanos();
        if (window == null && search.numbersPerSearch() <= 1) {
            this.dispatcher = null;
        } else {
            this.dispatcher = new Thread(this::dispatch, "callbridge-search-" + search.crm());
            dispatcher.setDaemon(true);
            dispatcher.start();
        }
    }

    /** Records that may hold the number, unconfirmed (with those of the numbers searched together). */
    CompletableFuture<List<Candidate>> candidates(String e164, Priority priority) {
        if (dispatcher == null) {
            try {
                return search.candidates(e164, formats);
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
        }
        Waiting w = new Waiting(e164, priority, System.nanoTime(), new CompletableFuture<>());
        lock.lock();
        try {
            if (closed) {
                return CompletableFuture.failedFuture(new IllegalStateException("caller searches of " + search.crm() + " are stopped"));
            }
            (priority == Priority.CALLER ? callers : background).addLast(w);
            arrived.signal();
        } finally {
            lock.unlock();
        }
        return w.answer();
    }

    @Override
    public void close() {
        closed = true;
        if (dispatcher != null) {
            dispatcher.interrupt();
        }
    }

    private void dispatch() {
        while (!closed) {
            List<Waiting> batch;
            try {
                batch = next();
            } catch (InterruptedException e) {
                break;
            }
            if (!batch.isEmpty()) {
                send(batch);
            }
        }
        lock.lock();
        try {
            IllegalStateException stopped = new IllegalStateException("caller searches of " + search.crm() + " are stopped");
            callers.forEach(w -> w.answer().completeExceptionally(stopped));
            background.forEach(w -> w.answer().completeExceptionally(stopped));
            callers.clear();
            background.clear();
        } finally {
            lock.unlock();
        }
    }

    /** Waits for what can be sent now and takes it off the queues. */
    private List<Waiting> next() throws InterruptedException {
        lock.lock();
        try {
            while (true) {
                deferOverdueBackground();
                if (window == null && inFlight >= IN_FLIGHT_WITHOUT_WINDOW) {
                    arrived.await();
                    continue;
                }
                if (!callers.isEmpty()) {
                    if (window != null) {
                        long wait = window.acquire().toNanos();
                        if (wait == 0 && !window.peek().isZero()) {
                            // the last free slot: callers who rang at the same moment are a few milliseconds behind
                            wait = LINGER_NANOS;
                        }
                        long sendAt = System.nanoTime() + wait;
                        // callers arriving meanwhile join this slot
                        for (long left = sendAt - System.nanoTime(); left > 0; left = sendAt - System.nanoTime()) {
                            arrived.awaitNanos(left);
                        }
                    }
                    return take();
                }
                if (!background.isEmpty()) {
                    if (window == null || window.tryAcquireLeavingOne()) {
                        return take();
                    }
                    long oldest = background.peekFirst().sinceNanos();
                    long untilOverdue = oldest + backgroundWaitNanos - System.nanoTime();
                    arrived.awaitNanos(Math.max(1, Math.min(TimeUnit.MILLISECONDS.toNanos(window.intervalMs()), untilOverdue)));
                } else {
                    arrived.await();
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Up to the CRM's numbers per search, callers first; the same number asked twice is searched once. */
    private List<Waiting> take() {
        inFlight++;
        int max = Math.max(1, search.numbersPerSearch());
        Set<String> numbers = new LinkedHashSet<>();
        List<Waiting> batch = new ArrayList<>();
        for (Deque<Waiting> queue : List.of(callers, background)) {
            while (!queue.isEmpty() && (numbers.size() < max || numbers.contains(queue.peekFirst().e164()))) {
                Waiting w = queue.pollFirst();
                numbers.add(w.e164());
                batch.add(w);
            }
        }
        return batch;
    }

    private void deferOverdueBackground() {
        if (window == null) {
            return;
        }
        long now = System.nanoTime();
        while (!background.isEmpty() && now - background.peekFirst().sinceNanos() > backgroundWaitNanos) {
            Waiting w = background.pollFirst();
            w.answer().completeExceptionally(CrmException.deferred(search.crm(), window.peek().plusMillis(window.intervalMs()),
                    "the " + window.name() + " rate-limit window is kept for caller lookups"));
        }
    }

    private void send(List<Waiting> batch) {
        List<String> numbers = batch.stream().map(Waiting::e164).distinct().toList();
        CompletableFuture<List<Candidate>> answer;
        try {
            answer = numbers.size() == 1 ? search.candidates(numbers.get(0), formats) : search.candidates(numbers, formats);
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        answer.whenComplete((candidates, failure) -> {
            lock.lock();
            try {
                inFlight--;
                arrived.signal();
            } finally {
                lock.unlock();
            }
            if (failure == null) {
                batch.forEach(w -> w.answer().complete(candidates));
                return;
            }
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
            if (window != null && cause instanceof CrmException e && e.status() == 429 && !e.deferred()) {
                window.refused(null);
                LOG.info("{} answered a search 429; its search window waits", search.crm());
            }
            batch.forEach(w -> w.answer().completeExceptionally(cause));
        });
    }
}
