package com.shopsense.features;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.assertj.core.api.recursive.comparison.RecursiveComparisonConfiguration;

/**
 * Compares payment and order histories by what they hold: capacity, size and the kept entries. The slots past
 * {@code size} are never read (the serializers do not store them), so they do not count.
 */
public final class HistoryComparison {
    private HistoryComparison() {
    }

    public static List<Object> held(PaymentHistory h) {
        List<Object> v = new ArrayList<>(List.of(h.capacity, h.size));
        for (int i = 0; i < h.size; i++) {
            v.add(Arrays.asList(h.ts[i], h.amount[i], h.merchantId[i], h.deviceId[i], h.cardFingerprint[i],
                    h.country[i]));
        }
        return v;
    }

    public static List<Object> held(OrderHistory h) {
        List<Object> v = new ArrayList<>(List.of(h.capacity, h.periodDays, h.size, h.hasOrders, h.firstOrderTs,
                h.hasEvicted, h.evictedLastTs));
        for (int i = 0; i < h.size; i++) {
            v.add(List.of(h.periodIndex[i], h.lines[i], h.spend[i], h.dayMask[i], h.lastTs[i]));
        }
        return v;
    }

    /** Registers both comparisons on a recursive comparison. */
    public static RecursiveComparisonConfiguration register(RecursiveComparisonConfiguration c) {
        c.registerComparatorForType(by(HistoryComparison::held), PaymentHistory.class);
        c.registerComparatorForType(by(HistoryComparison::held), OrderHistory.class);
        return c;
    }

    private static <T> Comparator<T> by(java.util.function.Function<T, List<Object>> view) {
        return (a, b) -> Objects.equals(view.apply(a), view.apply(b)) ? 0 : 1;
    }
}
