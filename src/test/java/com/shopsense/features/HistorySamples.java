package com.shopsense.features;

import com.shopsense.event.ShopEventSamples;
import java.util.Random;

/** Payment and order histories filled through their own API: empty, partly filled, full and overflowed. */
public final class HistorySamples {
    private HistorySamples() {
    }

    public static PaymentHistory payments(Random r) {
        PaymentHistory h = new PaymentHistory(1 + r.nextInt(PaymentHistory.DEFAULT_CAPACITY));
        int n = r.nextInt(3) == 0 ? 0 : r.nextInt(2 * h.capacity + 1);
        for (int i = 0; i < n; i++) {
            h.add(1_700_000_000_000L + r.nextInt(100_000_000), r.nextDouble() * 500, ShopEventSamples.string(r),
                    ShopEventSamples.string(r), ShopEventSamples.string(r), ShopEventSamples.string(r));
        }
        if (r.nextInt(10) == 0) {
            h.clear();
        }
        return h;
    }

    public static OrderHistory orders(Random r) {
        OrderHistory h = new OrderHistory(1 + r.nextInt(12), 1 + r.nextInt(64));
        int n = r.nextInt(3) == 0 ? 0 : r.nextInt(40);
        for (int i = 0; i < n; i++) {
            h.add(1_600_000_000_000L + (long) (r.nextDouble() * 200_000_000_000L), r.nextDouble() * 300);
        }
        return h;
    }
}
