package com.shopsense.features;

import static org.assertj.core.api.Assertions.assertThat;

import com.shopsense.event.EventType;
import com.shopsense.event.ShopEvent;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.junit.jupiter.api.Test;

class OrderHistoryTest {
    private static final long DAY = OrderHistory.DAY_MS;

    private static ShopEvent order(long ts, double amount) {
        return ShopEvent.builder("o" + ts, "u", EventType.ORDER, ts).amount(amount).build();
    }

    @Test
    void keepsAtMostCapacityPeriodsAndRemembersEvictedRecency() {
        OrderHistory h = new OrderHistory(3, 30);
        for (int i = 0; i < 50; i++) {
            h.add(order(1_000 * DAY + i * 30 * DAY, 10));
        }
        assertThat(h.length()).isEqualTo(3);
        long p = Math.floorDiv(1_000 * DAY + 49 * 30 * DAY, 30 * DAY);
        assertThat(h.periodIndex).containsExactly(p - 2, p - 1, p);
        assertThat(h.hasEvicted).isTrue();
        assertThat(h.evictedLastTs).isEqualTo(1_000 * DAY + 46 * 30 * DAY);
        assertThat(h.firstOrderTs).isEqualTo(1_000 * DAY);
    }

    @Test
    void aggregatesWithinAPeriodWhateverTheArrivalOrder() {
        OrderHistory h = new OrderHistory(12, 30);
        long start = 400 * 30 * DAY;
        h.add(order(start + 5 * DAY + 10, 3.5));
        h.add(order(start + 1 * DAY, 1.0));
        h.add(order(start + 5 * DAY, -2.0)); // negative values count as 0 spend
        assertThat(h.length()).isEqualTo(1);
        assertThat(h.lines[0]).isEqualTo(3);
        assertThat(h.spend[0]).isEqualTo(4.5);
        assertThat(Long.bitCount(h.dayMask[0])).isEqualTo(2);
        assertThat(h.lastTs[0]).isEqualTo(start + 5 * DAY + 10);
        assertThat(h.firstOrderTs).isEqualTo(start + DAY);
    }

    @Test
    void anOrderOlderThanAFullWindowOnlyUpdatesFirstAndEvicted() {
        OrderHistory h = new OrderHistory(2, 30);
        h.add(order(100 * 30 * DAY, 1));
        h.add(order(101 * 30 * DAY, 1));
        h.add(order(50 * 30 * DAY, 1));
        assertThat(h.periodIndex).containsExactly(100L, 101L);
        assertThat(h.firstOrderTs).isEqualTo(50 * 30 * DAY);
        assertThat(h.evictedLastTs).isEqualTo(50 * 30 * DAY);
    }

    @Test
    void encoderOutputIsBoundedAndEmptyHistoryIsAllPadding() {
        ChurnFeatureEncoder enc = ChurnFeatureEncoder.fromSpec(GoldenFiles.spec());
        float[] x = enc.encode(enc.newHistory(), 1_700_000_000_000L);
        assertThat(x).hasSize(enc.periods() * enc.featureCount());
    }

    @Test
    void flinkTreatsItAsAPojoNotKryo() {
        assertThat(TypeInformation.of(OrderHistory.class)).isInstanceOf(PojoTypeInfo.class);
    }
}
