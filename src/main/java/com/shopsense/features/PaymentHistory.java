package com.shopsense.features;

import com.shopsense.event.ShopEvent;
import java.util.Arrays;

/**
 * A user's last {@code capacity} payments, oldest first: what {@link FraudFeatureEncoder} needs and
 * nothing more (time, amount, merchant, device, card fingerprint, country). Kept in keyed state (the user
 * profile), serialized by {@link PaymentHistorySerializer}: a new field needs a new format there.
 *
 * <p>Bounded: at most {@code capacity} entries, O(capacity) per {@link #add}. Entries stay sorted by
 * time; a late payment is inserted at its place (after entries with the same time), and one older
 * than every entry of a full history is dropped because it is not among the last {@code capacity}.
 * The stream encodes a payment against the history and then adds it.
 */
public class PaymentHistory {
    public static final int DEFAULT_CAPACITY = 16;

    public int capacity;
    public int size;
    public long[] ts;
    public double[] amount;
    public String[] merchantId;
    public String[] deviceId;
    public String[] cardFingerprint;
    public String[] country;

    public PaymentHistory() {
        this(DEFAULT_CAPACITY);
    }

    public PaymentHistory(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1: " + capacity);
        }
        this.capacity = capacity;
        this.size = 0;
        this.ts = new long[capacity];
        this.amount = new double[capacity];
        this.merchantId = new String[capacity];
        this.deviceId = new String[capacity];
        this.cardFingerprint = new String[capacity];
        this.country = new String[capacity];
    }

    /** Adds a payment (its {@link ShopEvent#monetaryValue()}, clamped at 0, is the amount). */
    public void add(ShopEvent payment) {
        add(payment.timestampMs(), Math.max(0.0, payment.monetaryValue()), payment.merchantId(),
                payment.deviceId(), payment.cardFingerprint(), payment.country());
    }

    public void add(long t, double a, String merchant, String device, String card, String ctry) {
        int pos = size;
        while (pos > 0 && ts[pos - 1] > t) {
            pos--;
        }
        if (size == capacity) {
            if (pos == 0) {
                return; // older than everything kept: not among the last `capacity` payments
            }
            shiftLeft(); // drop the oldest
            pos--;
        }
        for (int i = size; i > pos; i--) {
            copy(i - 1, i);
        }
        ts[pos] = t;
        amount[pos] = a;
        merchantId[pos] = blankToNull(merchant);
        deviceId[pos] = blankToNull(device);
        cardFingerprint[pos] = blankToNull(card);
        country[pos] = blankToNull(ctry);
        size++;
    }

    /** Number of payments kept (at most capacity). */
    public int length() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    public void clear() {
        size = 0;
        Arrays.fill(merchantId, null);
        Arrays.fill(deviceId, null);
        Arrays.fill(cardFingerprint, null);
        Arrays.fill(country, null);
    }

    private void shiftLeft() {
        for (int i = 1; i < size; i++) {
            copy(i, i - 1);
        }
        size--;
    }

    private void copy(int from, int to) {
        ts[to] = ts[from];
        amount[to] = amount[from];
        merchantId[to] = merchantId[from];
        deviceId[to] = deviceId[from];
        cardFingerprint[to] = cardFingerprint[from];
        country[to] = country[from];
    }

    static String blankToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
