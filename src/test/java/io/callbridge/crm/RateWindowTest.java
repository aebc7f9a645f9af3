package io.callbridge.crm;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The pacing arithmetic, on a clock the test moves: a sender that always waits what it is told never overfills a window. */
class RateWindowTest {

    private final AtomicLong now = new AtomicLong(1_000_000);

    /** Sends {@code n} requests as fast as the window allows; answers their send times. */
    private List<Long> sendAsFastAsAllowed(RateWindow window, int n) {
        List<Long> sent = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Duration wait = window.acquire();
            now.addAndGet(wait.toMillis());
            sent.add(now.get());
            now.addAndGet(3); // the request itself
        }
        return sent;
    }

    private static int mostInAnyInterval(List<Long> sent, long intervalMs) {
        int most = 0;
        for (int i = 0; i < sent.size(); i++) {
            int j = i;
            while (j < sent.size() && sent.get(j) < sent.get(i) + intervalMs) {
                j++;
            }
            most = Math.max(most, j - i);
        }
        return most;
    }

    @Test
    void hubSpotsTenSecondWindowNeverHoldsMoreThanMaxMinusReserveAndNoWaitIsLong() {
        RateWindow window = new RateWindow("hubspot general", 10_000, 100, 5, 0, now::get);
        List<Long> sent = sendAsFastAsAllowed(window, 400);

        assertThat(mostInAnyInterval(sent, 10_000)).isLessThanOrEqualTo(95);
        long longestGap = 0;
        for (int i = 1; i < sent.size(); i++) {
            longestGap = Math.max(longestGap, sent.get(i) - sent.get(i - 1));
        }
        assertThat(longestGap).as("an even pace, never a long stop").isLessThan(150);
        double perSecond = sent.size() / ((sent.get(sent.size() - 1) - sent.get(0)) / 1000.0);
        assertThat(perSecond).as("but close to the limit").isGreaterThan(8.5);
    }

    @Test
    void hubSpotsSearchLimitIsABurstOfTwoThenThreeASecond() {
        RateWindow window = new RateWindow("hubspot search", 1000, 5, 0, 0, now::get);
        List<Long> sent = sendAsFastAsAllowed(window, 40);

        assertThat(mostInAnyInterval(sent, 1000)).isLessThanOrEqualTo(5);
        assertThat(sent.get(1) - sent.get(0)).as("the burst").isLessThan(10);
        assertThat(sent.get(39) - sent.get(2)).as("then one every 333 ms").isBetween(37 * 333L - 40, 37 * 334L + 120);
    }

    @Test
    void aSearchThatCanWaitTakesASlotOnlyWhenOneStaysFreeForTheNextCaller() {
        RateWindow window = new RateWindow("hubspot search", 1000, 5, 0, 0, now::get);
        assertThat(window.tryAcquireLeavingOne()).as("two free: one taken, one left").isTrue();
        assertThat(window.tryAcquireLeavingOne()).as("the last one is the caller's").isFalse();
        assertThat(window.acquire()).as("a caller gets it at once").isZero();
        now.addAndGet(334);
        assertThat(window.tryAcquireLeavingOne()).as("one came back: still the caller's").isFalse();
        now.addAndGet(334);
        assertThat(window.tryAcquireLeavingOne()).as("two came back").isTrue();
        window.refused(Duration.ofSeconds(2));
        now.addAndGet(1000);
        assertThat(window.tryAcquireLeavingOne()).as("blocked after a 429").isFalse();
    }

    @Test
    void aWindowTooSmallToKeepOneFreeLendsItsOnlySlot() {
        RateWindow window = new RateWindow("tiny", 1000, 2, 0, 0, now::get);
        assertThat(window.tryAcquireLeavingOne()).isTrue();
        assertThat(window.tryAcquireLeavingOne()).isFalse();
    }

    @Test
    void theCrmsOwnHeadersCorrectTheWindowAndStopItWhenAlmostNothingRemains() {
        RateWindow window = new RateWindow("pipedrive general", 2000, 80, 4, 0, now::get);
        window.observe(40, -1, 30, 1000);
        assertThat(window.max()).as("the announced maximum replaces the configured one").isEqualTo(40);

        window.observe(40, -1, 1, 1500);
        assertThat(window.acquire()).as("blocked until the announced reset").isEqualTo(Duration.ofMillis(1500));
        window.cancel();

        now.addAndGet(1500);
        window.observe(40, -1, 39, 2000);
        assertThat(window.acquire()).isLessThan(Duration.ofMillis(100));
    }

    @Test
    void a429StopsTheWindowForTheRetryAfterOrHalfAWindow() {
        RateWindow window = new RateWindow("hubspot general", 10_000, 100, 5, 0, now::get);
        window.refused(null);
        assertThat(window.peek()).isEqualTo(Duration.ofMillis(5000));
        window.refused(Duration.ofSeconds(7));
        assertThat(window.peek()).isEqualTo(Duration.ofMillis(7000));
        assertThat(window.blocks()).isEqualTo(2);
    }
}
