package com.shopsense.feedback;

import java.util.Arrays;

/**
 * The newest lists a user was shown, as one keyed value of flat arrays (a Flink POJO): a new list is one read and
 * one write of a few kilobytes of longs, where a list state of item-id strings was read whole, sorted and
 * rewritten. Lists are kept oldest first; lists with the same {@code generatedAt} stay in arrival order.
 */
public class RecoShownLists {
    private static final long[] NO_LONGS = new long[0];

    /** Per list, oldest first. */
    public long[] generatedAt = NO_LONGS;
    public String[] modelVersion = new String[0];
    /** Per list: the exclusive end of its items in {@link #itemHashes} (list i starts at itemEnd[i - 1] or 0). */
    public int[] itemEnd = new int[0];
    /** The item hashes of all lists, concatenated in list order. */
    public long[] itemHashes = NO_LONGS;
    /** The pending expiry timer of these lists, 0 when none is: one timer per user, not one per list. */
    public long expiryTimer;

    public RecoShownLists() {
    }

    int size() {
        return generatedAt.length;
    }

    boolean isEmpty() {
        return generatedAt.length == 0;
    }

    long oldest() {
        return generatedAt[0];
    }

    /** Adds a list in generatedAt order (after lists of the same time) and keeps the newest {@code max}. */
    void add(long at, String version, long[] items, int max) {
        int n = size();
        int pos = n; // the normal case: the new list is the newest
        while (pos > 0 && generatedAt[pos - 1] > at) {
            pos--;
        }
        int drop = Math.max(0, n + 1 - max);
        if (pos < drop) {
            return; // older than the newest max lists: dropped right away
        }
        // New layout: old lists [drop, pos), the new list, old lists [pos, n).
        int m = n + 1 - drop;
        int base = start(drop);
        int split = pos - drop;
        long[] g = new long[m];
        String[] v = new String[m];
        int[] ends = new int[m];
        long[] hashes = new long[itemHashes.length - base + items.length];
        System.arraycopy(generatedAt, drop, g, 0, split);
        System.arraycopy(modelVersion, drop, v, 0, split);
        int before = start(pos) - base;
        System.arraycopy(itemHashes, base, hashes, 0, before);
        for (int i = 0; i < split; i++) {
            ends[i] = itemEnd[drop + i] - base;
        }
        g[split] = at;
        v[split] = version;
        System.arraycopy(items, 0, hashes, before, items.length);
        ends[split] = before + items.length;
        int after = n - pos;
        System.arraycopy(generatedAt, pos, g, split + 1, after);
        System.arraycopy(modelVersion, pos, v, split + 1, after);
        System.arraycopy(itemHashes, start(pos), hashes, ends[split], itemHashes.length - start(pos));
        for (int i = 0; i < after; i++) {
            ends[split + 1 + i] = itemEnd[pos + i] - base + items.length;
        }
        generatedAt = g;
        modelVersion = v;
        itemEnd = ends;
        itemHashes = hashes;
    }

    /** Drops the lists generated before {@code horizon}; true if any was. */
    boolean dropBefore(long horizon) {
        int keep = 0;
        while (keep < size() && generatedAt[keep] < horizon) {
            keep++;
        }
        if (keep == 0) {
            return false;
        }
        int firstItem = start(keep);
        generatedAt = Arrays.copyOfRange(generatedAt, keep, size());
        modelVersion = Arrays.copyOfRange(modelVersion, keep, modelVersion.length);
        int[] ends = Arrays.copyOfRange(itemEnd, keep, itemEnd.length);
        for (int i = 0; i < ends.length; i++) {
            ends[i] -= firstItem;
        }
        itemEnd = ends;
        itemHashes = Arrays.copyOfRange(itemHashes, firstItem, itemHashes.length);
        return true;
    }

    /** The version of the newest list generated in [from, before) that holds the item, or null. */
    String latestWith(long itemHash, long from, long before) {
        for (int i = size() - 1; i >= 0; i--) {
            long at = generatedAt[i];
            if (at < before && at >= from && holds(i, itemHash)) {
                return modelVersion[i];
            }
        }
        return null;
    }

    private boolean holds(int list, long itemHash) {
        for (int j = start(list); j < itemEnd[list]; j++) {
            if (itemHashes[j] == itemHash) {
                return true;
            }
        }
        return false;
    }

    private int start(int list) {
        return list == 0 ? 0 : itemEnd[list - 1];
    }
}
