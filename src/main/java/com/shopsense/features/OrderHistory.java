package com.shopsense.features;

import com.fasterxml.jackson.databind.JsonNode;
import com.shopsense.event.ShopEvent;

/**
 * A user's order history summarised per period, as {@link ChurnFeatureEncoder} needs it: for the
 * {@code capacity} most recent periods that have orders, the period index (epoch-anchored,
 * {@code floorDiv(ts, periodMs)}), the number of order events, the spend, a bitmask of the days with
 * an order and the last order time; plus the first order time and the last order time of periods
 * that were evicted. Kept in keyed state (the user profile), serialized by {@link OrderHistorySerializer}: a
 * new field needs a new format there.
 *
 * <p>Bounded: O(capacity) state whatever the number of orders. Order of arrival does not matter,
 * except that the encoder can only see orders before its {@code asOf} if the history holds no later
 * ones (the stream scores at a timer, after the orders it has seen).
 */
public class OrderHistory {
    public static final long DAY_MS = 86_400_000L;

    public int capacity;
    public int periodDays;
    public int size;
    public long[] periodIndex;
    public int[] lines;
    public double[] spend;
    public long[] dayMask;
    public long[] lastTs;
    public boolean hasOrders;
    public long firstOrderTs;
    public boolean hasEvicted;
    public long evictedLastTs;

    public OrderHistory() {
        this(12, 30);
    }

    public OrderHistory(int capacity, int periodDays) {
        if (capacity < 1 || periodDays < 1 || periodDays > 64) {
            throw new IllegalArgumentException("need capacity >= 1 and 1 <= periodDays <= 64");
        }
        this.capacity = capacity;
        this.periodDays = periodDays;
        this.periodIndex = new long[capacity];
        this.lines = new int[capacity];
        this.spend = new double[capacity];
        this.dayMask = new long[capacity];
        this.lastTs = new long[capacity];
    }

    /** A history sized by the churn section of the feature spec (periods, periodDays). */
    public static OrderHistory forSpec(JsonNode churn) {
        return new OrderHistory(churn.path("periods").asInt(12), churn.path("periodDays").asInt(30));
    }

    public long periodMs() {
        return periodDays * DAY_MS;
    }

    /** Adds one order event: its time and {@link ShopEvent#monetaryValue()}. */
    public void add(ShopEvent order) {
        add(order.timestampMs(), order.monetaryValue());
    }

    public void add(long t, double value) {
        long p = Math.floorDiv(t, periodMs());
        if (!hasOrders || t < firstOrderTs) {
            firstOrderTs = t;
        }
        hasOrders = true;
        int i = find(p);
        if (i < 0) {
            int pos = 0;
            while (pos < size && periodIndex[pos] < p) {
                pos++;
            }
            if (size == capacity) {
                if (pos == 0) { // older than every period kept: only recency/tenure remember it
                    evict(t);
                    return;
                }
                evict(lastTs[0]);
                for (int k = 1; k < size; k++) {
                    move(k, k - 1);
                }
                size--;
                pos--;
            }
            for (int k = size; k > pos; k--) {
                move(k - 1, k);
            }
            periodIndex[pos] = p;
            lines[pos] = 0;
            spend[pos] = 0.0;
            dayMask[pos] = 0L;
            lastTs[pos] = t;
            size++;
            i = pos;
        }
        lines[i]++;
        spend[i] += Math.max(0.0, value);
        int day = (int) Math.floorDiv(t - p * periodMs(), DAY_MS);
        dayMask[i] |= 1L << day;
        if (t > lastTs[i]) {
            lastTs[i] = t;
        }
    }

    /** Slot of a period index, or -1. */
    public int find(long p) {
        for (int i = 0; i < size; i++) {
            if (periodIndex[i] == p) {
                return i;
            }
        }
        return -1;
    }

    public int length() {
        return size;
    }

    private void evict(long t) {
        if (!hasEvicted || t > evictedLastTs) {
            evictedLastTs = t;
        }
        hasEvicted = true;
    }

    private void move(int from, int to) {
        periodIndex[to] = periodIndex[from];
        lines[to] = lines[from];
        spend[to] = spend[from];
        dayMask[to] = dayMask[from];
        lastTs[to] = lastTs[from];
    }
}
