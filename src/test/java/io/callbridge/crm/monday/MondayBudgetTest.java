package io.callbridge.crm.monday;

import java.time.Duration;
import java.time.Instant;

import io.callbridge.crm.CrmHttp;
import io.callbridge.sandbox.MutableClock;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A listing spends monday's complexity budget down to the reserve, then waits for the reset its last answer named. */
class MondayBudgetTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-28T09:00:00Z"));
    private final MondayBudget budget = new MondayBudget(1_000_000, clock);

    @Test
    void aListingWaitsForTheResetOnceLessThanTheReserveIsLeft() throws Exception {
        assertThat(budget.pause()).as("nothing known yet").isZero();
        budget.observe(CrmHttp.JSON.readTree("{\"data\":{\"complexity\":{\"after\":1000001,\"reset_in_x_seconds\":40}}}"));
        assertThat(budget.pause()).isZero();

        budget.observe(CrmHttp.JSON.readTree("{\"data\":{\"complexity\":{\"after\":973000,\"reset_in_x_seconds\":39}}}"));
        assertThat(budget.pause()).isEqualTo(Duration.ofSeconds(39));
        clock.advance(Duration.ofSeconds(30));
        assertThat(budget.pause()).isEqualTo(Duration.ofSeconds(9));
        clock.advance(Duration.ofSeconds(9));
        assertThat(budget.pause()).as("the budget is back").isZero();
    }

    @Test
    void anAnswerWithoutComplexityChangesNothing() throws Exception {
        budget.observe(CrmHttp.JSON.readTree("{\"data\":{\"complexity\":{\"after\":10,\"reset_in_x_seconds\":5}}}"));
        budget.observe(CrmHttp.JSON.readTree("{\"errors\":[{\"message\":\"Complexity budget exhausted\"}]}"));
        assertThat(budget.pause()).isEqualTo(Duration.ofSeconds(5));
    }
}
