package com.shopsense.features;

import java.util.Arrays;

/**
 * Keyed state of one merchant: the decision times of its confirmed fraud labels, sorted, each label
 * once (by a 64-bit hash of its labelId). A POJO so Flink serializes it without Kryo.
 */
public class MerchantLabelWindow {
    /** Decision times, ascending. */
    public long[] decidedAt = new long[0];
    /** labelId hashes, parallel to {@link #decidedAt}. */
    public long[] labelKeys = new long[0];

    public MerchantLabelWindow() {
    }

    public int size() {
        return decidedAt.length;
    }

    /** Adds a label once; false for a labelId already present. */
    public boolean add(String labelId, long decided) {
        long key = IdHash.fnv1a64(labelId);
        for (long k : labelKeys) {
            if (k == key) {
                return false;
            }
        }
        int at = upperBound(decided);
        decidedAt = insert(decidedAt, at, decided);
        labelKeys = insert(labelKeys, at, key);
        return true;
    }

    /** Labels decided in (fromExclusive, toInclusive]. */
    public int countDecidedIn(long fromExclusive, long toInclusive) {
        return Math.max(0, upperBound(toInclusive) - upperBound(fromExclusive));
    }

    /** Drops labels decided at or before {@code cutoff}, and the oldest beyond {@code maxLabels}. */
    public void prune(long cutoff, int maxLabels) {
        int from = Math.max(upperBound(cutoff), decidedAt.length - maxLabels);
        if (from > 0) {
            decidedAt = Arrays.copyOfRange(decidedAt, from, decidedAt.length);
            labelKeys = Arrays.copyOfRange(labelKeys, from, labelKeys.length);
        }
    }

    /** Number of entries with decidedAt <= t. */
    private int upperBound(long t) {
        int lo = 0;
        int hi = decidedAt.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (decidedAt[mid] <= t) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private static long[] insert(long[] a, int at, long v) {
        long[] out = new long[a.length + 1];
        System.arraycopy(a, 0, out, 0, at);
        out[at] = v;
        System.arraycopy(a, at, out, at + 1, a.length - at);
        return out;
    }
}
