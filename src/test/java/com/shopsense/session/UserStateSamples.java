package com.shopsense.session;

import com.shopsense.event.ShopEvent;
import com.shopsense.event.ShopEventSamples;
import com.shopsense.features.HistorySamples;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * User states for serializer tests, built through the sessionizer's own steps (observe, start, add): no
 * profile or session, empty and null arrays, bots at the item and known-value bounds, histories from empty to
 * overflowed.
 */
public final class UserStateSamples {
    private UserStateSamples() {
    }

    public static UserState user(Random r, int events, int keptItems, int maxKnown) {
        UserState u = new UserState();
        u.lastRecoTs = r.nextBoolean() ? -1 : r.nextLong();
        if (r.nextInt(6) != 0) {
            u.profile = new UserProfile();
            if (r.nextInt(3) != 0) {
                u.session = OpenSession.start(ShopEventSamples.string(r), ShopEventSamples.event(r));
            }
        }
        for (int i = 0; i < events; i++) {
            ShopEvent e = ShopEventSamples.event(r);
            if (u.profile != null) {
                u.profile.observe(e, maxKnown);
            }
            if (u.session != null) {
                u.session.add(e, keptItems);
            }
        }
        if (u.profile != null) {
            u.profile.payments = r.nextBoolean() ? HistorySamples.payments(r) : null;
            u.profile.orders = r.nextBoolean() ? HistorySamples.orders(r) : null;
        }
        return u;
    }

    /** A typical user mid-session: a profile with two devices, one country, some payments and orders. */
    public static UserState typical(long seed) {
        Random r = new Random(seed);
        UserState u = new UserState();
        u.profile = new UserProfile();
        u.session = OpenSession.start("user-" + seed, event(seed, 0, "view"));
        for (int i = 0; i < 12; i++) {
            ShopEvent e = event(seed, i, i % 5 == 4 ? "order" : "view");
            u.profile.observe(e, 8);
            u.session.add(e, 20);
        }
        u.profile.payments = HistorySamples.payments(r);
        u.profile.orders = HistorySamples.orders(r);
        u.lastRecoTs = 1_700_000_000_000L;
        return u;
    }

    private static ShopEvent event(long seed, int i, String type) {
        return ShopEvent.builder("evt-" + seed + "-" + i, "user-" + seed,
                        com.shopsense.event.EventType.fromWireName(type), 1_700_000_000_000L + i * 30_000L)
                .itemId("item-" + (seed * 31 + i) % 5000).categoryId("cat-" + i % 7).price(19.99).quantity(1)
                .deviceId("dev-" + i % 2).country("DE").build();
    }

    public static List<UserState> users(long seed, int n) {
        Random r = new Random(seed);
        List<UserState> out = new ArrayList<>();
        out.add(new UserState()); // nothing yet
        UserState hollow = new UserState();
        hollow.profile = new UserProfile();
        hollow.profile.knownDevices = null;
        hollow.profile.knownCountries = new String[0];
        hollow.session = new OpenSession();
        hollow.session.countsByType = null;
        hollow.session.items = null;
        out.add(hollow);
        out.add(user(r, 500, 50, 16)); // a bot at every bound
        for (int i = 0; i < n; i++) {
            out.add(user(r, r.nextInt(30), 1 + r.nextInt(20), 1 + r.nextInt(8)));
        }
        return out;
    }
}
