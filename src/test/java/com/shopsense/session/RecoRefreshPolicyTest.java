package com.shopsense.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.shopsense.event.EventType;
import com.shopsense.event.ShopEvent;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RecoRefreshPolicyTest {
    private static final long T = 1_700_000_000_000L;

    @Test
    void aSessionsFirstEventKeepsThePreviousListAndTheSecondItemEventRefreshes() {
        RecoRefreshPolicy p = new RecoRefreshPolicy(Duration.ofSeconds(10), 2, 0);
        assertThat(p.due(EventType.VIEW, 0, T, -1)).isFalse();
        assertThat(p.due(EventType.VIEW, 1, T, -1)).isTrue();
        assertThat(p.due(EventType.SEARCH, 1, T, -1)).as("not an item event").isFalse();
    }

    @Test
    void aUserIsRefreshedAtMostOncePerIntervalOfEventTime() {
        RecoRefreshPolicy p = new RecoRefreshPolicy(Duration.ofSeconds(10), 1, 0);
        assertThat(p.due(EventType.VIEW, 3, T + 9_999, T)).isFalse();
        assertThat(p.due(EventType.VIEW, 3, T + 10_000, T)).isTrue();
    }

    @Test
    void theSubtaskBudgetShedsRefreshesOverItsRateAndRefillsWithTime() {
        RecoRefreshPolicy p = new RecoRefreshPolicy(Duration.ZERO, 1, 100);
        int admitted = 0;
        for (int i = 0; i < 250; i++) {
            admitted += p.admit(T) ? 1 : 0;
        }
        assertThat(admitted).as("one second of budget as burst").isEqualTo(100);
        assertThat(p.admit(T + 5)).isFalse();
        assertThat(p.admit(T + 10)).as("1 token after 10 ms at 100/s").isTrue();
        assertThat(new RecoRefreshPolicy(Duration.ZERO, 1, 0).admit(T)).as("0 = unbounded").isTrue();
    }

    @Test
    void rejectsNonsense() {
        assertThatThrownBy(() -> new RecoRefreshPolicy(Duration.ZERO, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RecoRefreshPolicy(Duration.ZERO, 1, -1)).isInstanceOf(IllegalArgumentException.class);
    }
}
