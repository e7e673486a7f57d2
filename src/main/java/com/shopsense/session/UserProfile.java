package com.shopsense.session;

import com.shopsense.event.EventType;
import com.shopsense.event.ShopEvent;
import com.shopsense.features.OrderHistory;
import com.shopsense.features.PaymentHistory;

/**
 * What the job remembers about a user across sessions (keyed state with TTL), inside {@link UserState}:
 * serialized by {@link UserProfileSerializer}, so a new field needs a new format there.
 * Devices and countries are bounded sets: a bot rotating devices cannot grow it.
 */
public class UserProfile {
    public long firstSeen;
    public long lastSeen;
    public int sessions;
    public int orderCount;
    public double totalSpend;
    /** Sessions with at least one order (segments' frequency: an order split over lines counts once). */
    public int orderSessions;
    /** Event time of the latest order; meaningful when orderCount > 0. */
    public long lastOrderTs;
    public String[] knownDevices = new String[0];
    public String[] knownCountries = new String[0];
    /** The last payments, for fraud features (bounded by the fraud spec's historyLength); null before the first. */
    public PaymentHistory payments;
    /** Orders summarised per period, for churn features (bounded by the churn spec's periods); null before the first. */
    public OrderHistory orders;

    public UserProfile() {
    }

    void observe(ShopEvent e, int maxKnown) {
        if (firstSeen == 0 || e.timestampMs() < firstSeen) {
            firstSeen = e.timestampMs();
        }
        lastSeen = Math.max(lastSeen, e.timestampMs());
        if (e.type() == EventType.ORDER) {
            orderCount++;
            totalSpend += e.monetaryValue();
            lastOrderTs = Math.max(lastOrderTs, e.timestampMs());
        }
        knownDevices = BoundedSet.add(knownDevices, e.deviceId(), maxKnown);
        knownCountries = BoundedSet.add(knownCountries, e.country(), maxKnown);
    }

    /** What segments need of the profile, as of now. */
    public PurchaseSummary purchases() {
        return new PurchaseSummary(orderSessions, totalSpend, orderCount > 0 ? lastOrderTs : -1L);
    }

    public boolean knowsDevice(String deviceId) {
        return BoundedSet.contains(knownDevices, deviceId);
    }
}
