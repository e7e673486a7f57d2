package com.shopsense.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FailureBudgetTest {
    @Test
    void theBudgetIsASlidingMinute() {
        FailureBudget b = new FailureBudget(2);
        assertThat(b.spentBy(0)).isFalse();
        assertThat(b.spentBy(30_000)).isFalse();
        assertThat(b.spentBy(59_999)).as("third within 60 s").isTrue();
        FailureBudget c = new FailureBudget(2);
        c.spentBy(0);
        c.spentBy(30_000);
        assertThat(c.spentBy(60_000)).as("the first has left the window").isFalse();
        assertThat(c.spentBy(60_001)).isTrue();
    }

    @Test
    void memoryStaysBoundedHoweverManyFailures() {
        FailureBudget b = new FailureBudget(5);
        for (int i = 0; i < 1_000_000; i++) {
            b.spentBy(i * 100_000L); // far apart: never spent
        }
        assertThat(b.spentBy(100_000L * 1_000_000)).isFalse();
    }

    @Test
    void aNegativeBudgetIsRefused() {
        assertThatThrownBy(() -> new FailureBudget(-1)).hasMessageContaining("dlq.max-unexpected-per-minute");
    }
}
