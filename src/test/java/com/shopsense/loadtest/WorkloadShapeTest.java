package com.shopsense.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import com.shopsense.event.EventType;
import com.shopsense.event.ShopEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkloadShapeTest {
    private static final long T0 = 1_396_437_400_000L;
    private static final long MIN = 60_000L;

    private static ShopEvent ev(String user, long ts) {
        return ShopEvent.builder(user + "@" + ts, user, EventType.VIEW, ts).itemId("i").build();
    }

    @Test
    void sessionsEndAtTheGapOrTheMaximumDurationAsTheTrackerDoes() {
        List<Long> out = new ArrayList<>();
        // 0, 29 min: one session; 59 min is exactly 30 min after 29: a new one (an event exactly gap later starts one)
        WorkloadShape.sessions(new long[] {0, 29 * MIN, 59 * MIN, 60 * MIN}, 30 * MIN, 240 * MIN, out);
        assertThat(out).containsExactly(2L, 2L);
        out.clear();
        // every 20 min for 5 h: gaps never close it, the 4 h maximum does (at 240 min)
        long[] ts = new long[16];
        for (int i = 0; i < ts.length; i++) {
            ts[i] = i * 20 * MIN;
        }
        WorkloadShape.sessions(ts, 30 * MIN, 240 * MIN, out);
        assertThat(out).containsExactly(12L, 4L);
    }

    @Test
    void eventsPerUserAndPerSessionScaleWithTheCopiesButKeepTheirDistribution() {
        List<ShopEvent> base = new ArrayList<>();
        base.add(ev("a", T0));
        base.add(ev("a", T0 + MIN));
        base.add(ev("a", T0 + 120 * MIN)); // a: 3 events, 2 sessions
        base.add(ev("b", T0));             // b: 1 event
        base.add(ev("c", 0));              // 1970: dropped by the job, not counted
        Map<String, Object> s = WorkloadShape.of("test", base, 10, Duration.ofMinutes(30), Duration.ofHours(4));

        assertThat(s).containsEntry("events", 40L).containsEntry("users", 20L).containsEntry("sessions", 30L);
        assertThat(s.get("eventTypes")).isEqualTo(Map.of("view", 40L));
        @SuppressWarnings("unchecked")
        Map<String, Object> perUser = (Map<String, Object>) s.get("eventsPerUser");
        assertThat(perUser).containsEntry("mean", 2.0).containsEntry("p50", 1L).containsEntry("p90", 3L)
                .containsEntry("max", 3L);
        @SuppressWarnings("unchecked")
        Map<String, Object> perSession = (Map<String, Object>) s.get("eventsPerSession");
        assertThat(perSession).containsEntry("n", 3).containsEntry("p50", 1L).containsEntry("p90", 2L);
        assertThat((double) perSession.get("mean")).isEqualTo(4 / 3.0);
    }
}
