package com.shopsense.event;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Random shop events for serializer tests, seeded: every optional field sometimes null, strings empty, non-ASCII
 * or longer than a one-byte length, numbers at their extremes.
 */
public final class ShopEventSamples {
    private static final String[] ODD = {"", "ü€😀", "x".repeat(300), "\u0000", "a\nb"};

    private ShopEventSamples() {
    }

    public static String string(Random r) {
        int k = r.nextInt(10);
        if (k == 0) {
            return null;
        }
        if (k == 1) {
            return ODD[r.nextInt(ODD.length)];
        }
        return Long.toString(r.nextLong() & 0xFFFFFFFFL, 36);
    }

    public static ShopEvent event(Random r) {
        EventType[] types = EventType.values();
        return ShopEvent.builder(string(r), string(r), types[r.nextInt(types.length)],
                        r.nextInt(8) == 0 ? Long.MIN_VALUE : 1_700_000_000_000L + r.nextInt(1_000_000_000))
                .itemId(string(r)).categoryId(string(r))
                .price(r.nextBoolean() ? null : r.nextInt(5) == 0 ? Double.NaN : r.nextDouble() * 1000)
                .quantity(r.nextBoolean() ? null : r.nextInt(5) == 0 ? Integer.MIN_VALUE : r.nextInt(10))
                .amount(r.nextBoolean() ? null : r.nextInt(5) == 0 ? -0.0 : r.nextDouble() * 1000)
                .currency(string(r)).query(string(r)).paymentMethod(string(r)).cardFingerprint(string(r))
                .deviceId(string(r)).ip(string(r)).country(string(r))
                .rating(r.nextBoolean() ? null : r.nextInt(5) + 1)
                .text(string(r)).merchantId(string(r)).build();
    }

    /** The all-null event, a fully populated one, and {@code n} random ones. */
    public static List<ShopEvent> events(long seed, int n) {
        Random r = new Random(seed);
        List<ShopEvent> out = new ArrayList<>();
        out.add(new ShopEvent(null, null, null, 0L, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null));
        out.add(new ShopEvent("e", "u", EventType.PAYMENT, Long.MAX_VALUE, "i", "c", Double.MAX_VALUE,
                Integer.MAX_VALUE, Double.MIN_VALUE, "EUR", "q", "card", "fp", "d", "10.0.0.1", "DE", 5, "t", "m"));
        for (int i = 0; i < n; i++) {
            out.add(event(r));
        }
        return out;
    }
}
