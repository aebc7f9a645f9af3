package io.callbridge.audit;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RefusalBudgetTest {

    private final AtomicLong now = new AtomicLong(1_000);
    private final RefusalBudget budget = new RefusalBudget(3, now::get);

    @Test
    void aKeysRefusalsAreRecordedUpToItsBudgetThenCountedUntilATokenComesBack() {
        assertThat(budget.admit("k1")).isZero();
        assertThat(budget.admit("k1")).isZero();
        assertThat(budget.admit("k1")).isZero();
        assertThat(budget.admit("k1")).isEqualTo(-1);
        assertThat(budget.admit("k1")).isEqualTo(-1);

        now.addAndGet(TimeUnit.SECONDS.toNanos(20)); // 3 a minute: one token every 20 s
        assertThat(budget.admit("k1")).as("recorded, saying two were left out").isEqualTo(2);
        assertThat(budget.admit("k1")).isEqualTo(-1);
        now.addAndGet(TimeUnit.SECONDS.toNanos(20));
        assertThat(budget.admit("k1")).isEqualTo(1);
    }

    @Test
    void oneKeysFloodLeavesTheOthersAndTheRequestsWithoutAKeyTheirOwnBudgets() {
        for (int i = 0; i < 10; i++) {
            budget.admit("k1");
        }
        assertThat(budget.admit("k2")).isZero();
        assertThat(budget.admit(null)).isZero();
        for (int i = 0; i < 10; i++) {
            budget.admit(null);
        }
        assertThat(budget.admit(RefusalBudget.ANONYMOUS)).as("no key and an unknown key share one budget").isEqualTo(-1);
        assertThat(budget.admit("k3")).isZero();
    }

    @Test
    void tokensDoNotPileUpBeyondTheBudget() {
        now.addAndGet(TimeUnit.HOURS.toNanos(1));
        for (int i = 0; i < 3; i++) {
            assertThat(budget.admit("k1")).isZero();
        }
        assertThat(budget.admit("k1")).isEqualTo(-1);
    }
}
