package com.shopsense.tools.replay;

import com.shopsense.event.EventType;
import com.shopsense.event.ShopEvent;
import com.shopsense.features.IdHash;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * The synthetic layer on top of a replayed real clickstream. The public clickstreams carry no
 * payments, devices or cards, so this adds, deterministically (seeded by ids):
 * <ul>
 *   <li>one payment per real order, 5-60 s after it, for the order's amount or, when the data has no
 *       price, a log-normal amount drawn per item; one card and device per user, merchants by item;</li>
 *   <li>planted fraud for about {@code 1/fraudEvery} of the buying users, two known patterns:
 *       <b>account takeover burst</b> (after the real payment, 5 payments within 2 minutes at 8-12x
 *       the amount and at least 300, a new device and new merchants) and <b>high-amount card test</b> (one payment of
 *       900-1500 from a new device).</li>
 * </ul>
 * Everything this class emits is synthetic; the views, carts and orders are the dataset's own.
 */
public final class SyntheticPayments {
    /** Events plus which users and events carry planted fraud. */
    public record Result(List<ShopEvent> events, Set<String> fraudUsers, Set<String> fraudEventIds) {
    }

    private SyntheticPayments() {
    }

    public static Result addTo(List<ShopEvent> real, int fraudEvery) {
        List<ShopEvent> out = new ArrayList<>(real);
        Set<String> fraudUsers = new LinkedHashSet<>();
        Set<String> fraudEvents = new LinkedHashSet<>();
        Set<String> planted = new java.util.HashSet<>();
        for (ShopEvent e : real) {
            if (e.type() != EventType.ORDER || e.timestampMs() < com.shopsense.event.EventLimits.YEAR_2000_MS) {
                continue;
            }
            Random r = new Random(IdHash.fnv1a32(e.eventId()));
            double amount = e.amount() != null ? e.amount()
                    : e.price() != null ? e.monetaryValue()
                    : Math.round(Math.exp(3.2 + 0.7 * new Random(IdHash.fnv1a32(String.valueOf(e.itemId()))).nextGaussian()) * 100) / 100.0;
            String card = "card-" + Long.toHexString(IdHash.fnv1a32("card/" + e.userId()));
            String device = "dev-" + Long.toHexString(IdHash.fnv1a32("device/" + e.userId()));
            long ts = e.timestampMs() + 5_000 + r.nextInt(55_000);
            out.add(ShopEvent.builder("pay-" + e.eventId(), e.userId(), EventType.PAYMENT, ts).amount(amount)
                    .currency("EUR").paymentMethod("card").cardFingerprint(card).deviceId(device)
                    .merchantId("m-" + IdHash.bucket(String.valueOf(e.itemId()), 200)).country("DE")
                    .ip("10.1." + (IdHash.fnv1a32(e.userId()) % 250) + ".7").build());

            boolean plant = fraudEvery > 0 && IdHash.fnv1a32("fraud/" + e.userId()) % fraudEvery == 0
                    && planted.add(e.userId());
            if (!plant) {
                continue;
            }
            fraudUsers.add(e.userId());
            String newDevice = "dev-x" + Long.toHexString(IdHash.fnv1a32("takeover/" + e.userId()));
            if (IdHash.fnv1a32("pattern/" + e.userId()) % 2 == 0) {
                for (int k = 0; k < 5; k++) {
                    String id = "fraud-burst-" + e.eventId() + "-" + k;
                    fraudEvents.add(id);
                    out.add(ShopEvent.builder(id, e.userId(), EventType.PAYMENT, ts + 30_000 + k * 20_000L)
                            .amount(Math.max(300.0 + r.nextInt(200), Math.round(amount * (8 + r.nextInt(5)) * 100) / 100.0))
                            .currency("EUR")
                            .paymentMethod("card").cardFingerprint(card).deviceId(newDevice)
                            .merchantId("m-x" + r.nextInt(1000)).country("DE").build());
                }
            } else {
                String id = "fraud-high-" + e.eventId();
                fraudEvents.add(id);
                out.add(ShopEvent.builder(id, e.userId(), EventType.PAYMENT, ts + 45_000)
                        .amount(900.0 + r.nextInt(600)).currency("EUR").paymentMethod("card").cardFingerprint(card)
                        .deviceId(newDevice).merchantId("m-x" + r.nextInt(1000)).country("DE").build());
            }
        }
        out.sort(Comparator.comparingLong(ShopEvent::timestampMs));
        return new Result(out, fraudUsers, fraudEvents);
    }
}
