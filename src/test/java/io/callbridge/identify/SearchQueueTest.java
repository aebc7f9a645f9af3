package io.callbridge.identify;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.callbridge.crm.CallerSearch;
import io.callbridge.crm.Candidate;
import io.callbridge.crm.CrmException;
import io.callbridge.crm.RateWindow;
import io.callbridge.phone.PhoneFormats;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The search queue against a CRM search that answers at once and notes each request: who waits for a slot, who goes
 * first, and what is searched together. The window is HubSpot's (5 searches a second).
 */
class SearchQueueTest {

    private final List<SearchQueue> queues = new ArrayList<>();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stop() {
        queues.forEach(SearchQueue::close);
        scheduler.shutdownNow();
    }

    @Test
    void callersAskingTogetherShareOneSearch() throws Exception {
        RecordingSearch crm = new RecordingSearch(16, window(5));
        SearchQueue queue = queue(crm, Duration.ofSeconds(10));
        // the first slot goes at once, before the others arrive; the others then wait for the next slot together
        List<CompletableFuture<List<Candidate>>> answers = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            answers.add(queue.candidates("+4179555" + String.format("%04d", i), SearchQueue.Priority.CALLER));
        }
        CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
        assertThat(crm.requests).as("20 callers, 16 numbers a request").hasSizeBetween(2, 3);
        assertThat(crm.requests).allSatisfy(r -> assertThat(r.numbers()).hasSizeLessThanOrEqualTo(16));
        assertThat(crm.requests.stream().mapToInt(r -> r.numbers().size()).sum()).isEqualTo(20);
    }

    @Test
    void deliverySearchesNeverTakeTheSlotACallerArrivingNextNeeds() throws Exception {
        RecordingSearch crm = new RecordingSearch(1, window(5));
        SearchQueue queue = queue(crm, Duration.ofSeconds(60));
        List<CompletableFuture<List<Candidate>>> background = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            background.add(queue.candidates("+4178555" + String.format("%04d", i), SearchQueue.Priority.BACKGROUND));
        }
        // callers at two a second, below the window's even pace, while delivery wants a hundred searches
        Map<String, Long> askedAt = new ConcurrentHashMap<>();
        List<CompletableFuture<List<Candidate>>> callers = Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < 8; i++) {
            String number = "+4179666" + String.format("%04d", i);
            scheduler.schedule(() -> {
                askedAt.put(number, System.nanoTime());
                callers.add(queue.candidates(number, SearchQueue.Priority.CALLER));
            }, 300 + i * 500L, TimeUnit.MILLISECONDS);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> callers.size() == 8 && callers.stream().allMatch(CompletableFuture::isDone));
        // a caller finds a slot free and waits only the linger; had delivery taken it, the next comes up to 333 ms
        // later, so each of the eight would pass this bound with a chance of about one in three (all eight: 1 in 6,000)
        long bound = SearchQueue.LINGER_MS + 60;
        for (Map.Entry<String, Long> asked : askedAt.entrySet()) {
            long waitedMs = (crm.sentAt(asked.getKey()) - asked.getValue()) / 1_000_000;
            assertThat(waitedMs).as("a caller waits for no search of delivery's").isLessThan(bound);
        }
        assertThat(background.stream().filter(CompletableFuture::isDone).count())
                .as("delivery still searches in the slots the callers leave").isGreaterThan(0);
    }

    @Test
    void aBackgroundSearchWaitingLongerThanItsLimitIsDeferredNotFailed() {
        RecordingSearch crm = new RecordingSearch(1, new RateWindow("test search", 10_000, 1, 0, 0, System::currentTimeMillis));
        SearchQueue queue = queue(crm, Duration.ofMillis(200));
        queue.candidates("+41795550001", SearchQueue.Priority.CALLER).join();
        CompletableFuture<List<Candidate>> delivery = queue.candidates("+41795550002", SearchQueue.Priority.BACKGROUND);
        assertThatThrownBy(() -> delivery.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOfSatisfying(CrmException.class, e -> {
                    assertThat(e.deferred()).isTrue();
                    assertThat(e.getMessage()).contains("kept for caller lookups");
                });
        assertThat(crm.requests).hasSize(1);
    }

    @Test
    void aCallerJoiningASlotWhereDeliveryWaitsTakesItsNumbersAlong() throws Exception {
        RecordingSearch crm = new RecordingSearch(16, new RateWindow("test search", 2000, 1, 0, 0, System::currentTimeMillis));
        SearchQueue queue = queue(crm, Duration.ofSeconds(30));
        CompletableFuture<List<Candidate>> first = queue.candidates("+41795550001", SearchQueue.Priority.CALLER);
        first.get(5, TimeUnit.SECONDS);
        CompletableFuture<List<Candidate>> delivery = queue.candidates("+41795550002", SearchQueue.Priority.BACKGROUND);
        CompletableFuture<List<Candidate>> caller = queue.candidates("+41795550003", SearchQueue.Priority.CALLER);
        // the next slot is two seconds away: the caller books it, and delivery's number goes in the same request
        await().atMost(Duration.ofSeconds(15)).until(() -> caller.isDone() && delivery.isDone());
        assertThat(crm.requests).hasSize(2);
        assertThat(crm.requests.get(1).numbers()).containsExactly("+41795550003", "+41795550002");
    }

    @Test
    void withoutASearchWindowCallersArrivingWhileSearchesAreInFlightAreSearchedTogetherWhenOneComesBack() throws Exception {
        RecordingSearch crm = new RecordingSearch(5, null, true);
        SearchQueue queue = queue(crm, Duration.ofSeconds(10));
        List<CompletableFuture<List<Candidate>>> answers = new ArrayList<>();
        for (int i = 0; i < SearchQueue.IN_FLIGHT_WITHOUT_WINDOW; i++) {
            answers.add(queue.candidates("+4179777" + String.format("%04d", i), SearchQueue.Priority.CALLER));
            int sent = i + 1;
            await().atMost(Duration.ofSeconds(5)).until(() -> crm.requests.size() == sent);
        }
        assertThat(crm.requests).as("a CRM with searches to spare is asked at once").allSatisfy(r -> assertThat(r.numbers()).hasSize(1));
        for (int i = 0; i < 7; i++) {
            answers.add(queue.candidates("+4179888" + String.format("%04d", i), SearchQueue.Priority.CALLER));
        }
        assertThat(crm.requests).as("all searches in flight: the others wait").hasSize(SearchQueue.IN_FLIGHT_WITHOUT_WINDOW);

        crm.unanswered.get(0).complete(List.of());
        await().atMost(Duration.ofSeconds(5)).until(() -> crm.requests.size() == SearchQueue.IN_FLIGHT_WITHOUT_WINDOW + 1);
        assertThat(crm.requests.get(SearchQueue.IN_FLIGHT_WITHOUT_WINDOW).numbers()).as("the next five together").hasSize(5);
        crm.unanswered.get(1).complete(List.of());
        await().atMost(Duration.ofSeconds(5)).until(() -> crm.requests.size() == SearchQueue.IN_FLIGHT_WITHOUT_WINDOW + 2);
        assertThat(crm.requests.get(SearchQueue.IN_FLIGHT_WITHOUT_WINDOW + 1).numbers()).hasSize(2);

        synchronized (crm.unanswered) {
            crm.unanswered.forEach(a -> a.complete(List.of()));
        }
        CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
    }

    private SearchQueue queue(CallerSearch search, Duration backgroundWait) {
        SearchQueue q = new SearchQueue(search, new PhoneFormats("CH"), backgroundWait);
        queues.add(q);
        return q;
    }

    private static RateWindow window(long perSecond) {
        return new RateWindow("test search", 1000, perSecond, 0, 0, System::currentTimeMillis);
    }

    private record Request(List<String> numbers, long sentAtNanos) {
    }

    /** A CRM search that answers nobody at once and keeps what it was asked. */
    private static final class RecordingSearch implements CallerSearch {
        final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
        /** The answers not given yet, when the CRM answers only when the test says so. */
        final List<CompletableFuture<List<Candidate>>> unanswered = Collections.synchronizedList(new ArrayList<>());
        private final int perSearch;
        private final RateWindow window;
        private final boolean answersWhenTold;

        RecordingSearch(int perSearch, RateWindow window) {
            this(perSearch, window, false);
        }

        RecordingSearch(int perSearch, RateWindow window, boolean answersWhenTold) {
            this.perSearch = perSearch;
            this.window = window;
            this.answersWhenTold = answersWhenTold;
        }

        long sentAt(String number) {
            synchronized (requests) {
                return requests.stream().filter(r -> r.numbers().contains(number)).findFirst().orElseThrow().sentAtNanos();
            }
        }

        @Override
        public String crm() {
            return "test";
        }

        @Override
        public CompletableFuture<List<Candidate>> candidates(String e164, PhoneFormats formats) {
            return candidates(List.of(e164), formats);
        }

        @Override
        public CompletableFuture<List<Candidate>> candidates(List<String> e164s, PhoneFormats formats) {
            requests.add(new Request(List.copyOf(e164s), System.nanoTime()));
            if (!answersWhenTold) {
                return CompletableFuture.completedFuture(List.of());
            }
            CompletableFuture<List<Candidate>> answer = new CompletableFuture<>();
            unanswered.add(answer);
            return answer;
        }

        @Override
        public int numbersPerSearch() {
            return perSearch;
        }

        @Override
        public RateWindow searchWindow() {
            return window;
        }
    }
}
