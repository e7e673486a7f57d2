package com.shopsense.feedback;

import com.shopsense.scoring.Recommendation;
import java.util.Arrays;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * The newest lists a user was shown, as one keyed value of flat arrays: a new list is one read and one write of
 * a few hundred bytes, where a list state of item-id strings was read whole, sorted and rewritten. Lists are kept
 * oldest first; lists with the same {@code generatedAt} stay in arrival order. Serialized by
 * {@link RecoShownListsSerializer} (the largest per-user state after the user's own: item keys take 4 bytes).
 *
 * <p>Items are kept and matched by the low 32 bits of their {@link RecoShown#itemHash} ({@link #KEY_MASK}): a
 * false match needs another item of the user's kept lists (at most 16 x 20) to share them, about 320 / 2^32
 * (~7e-8) per click or item event, which no A/B count or hit rate can show.
 *
 * <p>{@link #source} and {@link #evaluatedThrough} came with online quality: a savepoint without them restores
 * them empty and 0 (POJO schema evolution), read as lists of source model none of which was evaluated.
 */
@TypeInfo(RecoShownListsSerializer.Factory.class)
public class RecoShownLists {
    private static final long[] NO_LONGS = new long[0];
    /** The bits of an item hash that identify it here. */
    static final long KEY_MASK = 0xFFFFFFFFL;

    /** Per list, oldest first. */
    public long[] generatedAt = NO_LONGS;
    public String[] modelVersion = new String[0];
    /** Per list: its {@link Recommendation#source()}; shorter than the lists only in state restored from before. */
    public String[] source = new String[0];
    /** Per list: the exclusive end of its items in {@link #itemHashes} (list i starts at itemEnd[i - 1] or 0). */
    public int[] itemEnd = new int[0];
    /** The item keys (hashes' low 32 bits: add() and the serializer keep them so) of all lists, in list order. */
    public long[] itemHashes = NO_LONGS;
    /** The pending expiry timer of these lists, 0 when none is: one timer per user, not one per list. */
    public long expiryTimer;
    /**
     * The generatedAt of the newest list evaluated against a next item event: lists up to it are done. Item
     * events are evaluated in event-time order, so a list at or before it can never again be the live one.
     */
    public long evaluatedThrough;

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
    void add(long at, String version, String src, long[] items, int max) {
        fillSources();
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
        String[] src2 = new String[m];
        int[] ends = new int[m];
        long[] hashes = new long[itemHashes.length - base + items.length];
        System.arraycopy(generatedAt, drop, g, 0, split);
        System.arraycopy(modelVersion, drop, v, 0, split);
        System.arraycopy(source, drop, src2, 0, split);
        int before = start(pos) - base;
        System.arraycopy(itemHashes, base, hashes, 0, before);
        for (int i = 0; i < split; i++) {
            ends[i] = itemEnd[drop + i] - base;
        }
        g[split] = at;
        v[split] = version;
        src2[split] = src;
        for (int i = 0; i < items.length; i++) {
            hashes[before + i] = items[i] & KEY_MASK;
        }
        ends[split] = before + items.length;
        int after = n - pos;
        System.arraycopy(generatedAt, pos, g, split + 1, after);
        System.arraycopy(modelVersion, pos, v, split + 1, after);
        System.arraycopy(source, pos, src2, split + 1, after);
        System.arraycopy(itemHashes, start(pos), hashes, ends[split], itemHashes.length - start(pos));
        for (int i = 0; i < after; i++) {
            ends[split + 1 + i] = itemEnd[pos + i] - base + items.length;
        }
        generatedAt = g;
        modelVersion = v;
        source = src2;
        itemEnd = ends;
        itemHashes = hashes;
    }

    /**
     * At watermark {@code time}: drops the lists generated before {@code time - windowMs}, except the one that can
     * still be live for a later item event (the newest generated at or before {@code time}, while it is not yet
     * evaluated and not older than {@code liveMs}, the storefront's TTL); true if any was dropped.
     */
    boolean expire(long time, long windowMs, long liveMs) {
        int drop = 0;
        while (drop < size() && generatedAt[drop] < time - windowMs) {
            drop++;
        }
        // Lists in [0, drop) are all before the horizon, so the newest one at or before time is drop - 1 when
        // it is among them; lists after it are newer than the watermark and stay anyway.
        boolean lastStillLive = drop > 0 && (drop == size() || generatedAt[drop] > time)
                && generatedAt[drop - 1] > evaluatedThrough && generatedAt[drop - 1] + liveMs > time;
        return dropFirst(lastStillLive ? drop - 1 : drop);
    }

    private boolean dropFirst(int keep) {
        if (keep == 0) {
            return false;
        }
        fillSources();
        int firstItem = start(keep);
        generatedAt = Arrays.copyOfRange(generatedAt, keep, size());
        modelVersion = Arrays.copyOfRange(modelVersion, keep, modelVersion.length);
        source = Arrays.copyOfRange(source, keep, source.length);
        int[] ends = Arrays.copyOfRange(itemEnd, keep, itemEnd.length);
        for (int i = 0; i < ends.length; i++) {
            ends[i] -= firstItem;
        }
        itemEnd = ends;
        itemHashes = Arrays.copyOfRange(itemHashes, firstItem, itemHashes.length);
        return true;
    }

    /**
     * The list that was live for an item event at {@code ts}, if it still awaits its evaluation: the newest list
     * generated before ts (strictly: the list an event triggers is not shown before it), not older than
     * {@code liveMs}, and not yet evaluated; -1 when there is none.
     */
    int liveUnevaluated(long ts, long liveMs) {
        int i = size() - 1;
        while (i >= 0 && generatedAt[i] >= ts) {
            i--;
        }
        if (i < 0 || generatedAt[i] <= evaluatedThrough || ts - generatedAt[i] >= liveMs) {
            return -1;
        }
        return i;
    }

    /** Marks list {@code i} and every list before it evaluated. */
    void evaluated(int i) {
        evaluatedThrough = generatedAt[i];
    }

    /** 1-based rank of the item in list {@code i}'s first {@code k} items, 0 when it is not there. */
    int rank(int i, long itemHash, int k) {
        int first = start(i);
        int end = Math.min(itemEnd[i], first + k);
        long key = itemHash & KEY_MASK;
        for (int j = first; j < end; j++) {
            if (itemHashes[j] == key) {
                return j - first + 1;
            }
        }
        return 0;
    }

    String version(int i) {
        return modelVersion[i];
    }

    boolean trending(int i) {
        return source != null && i < source.length && Recommendation.TRENDING.equals(source[i]);
    }

    /** State restored from before sources were kept holds lists of the model only. */
    private void fillSources() {
        if (source == null || source.length != generatedAt.length) {
            String[] s = new String[generatedAt.length];
            Arrays.fill(s, Recommendation.MODEL);
            if (source != null) {
                System.arraycopy(source, 0, s, 0, Math.min(source.length, s.length));
            }
            source = s;
        }
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
        long key = itemHash & KEY_MASK;
        for (int j = start(list); j < itemEnd[list]; j++) {
            if (itemHashes[j] == key) {
                return true;
            }
        }
        return false;
    }

    private int start(int list) {
        return list == 0 ? 0 : itemEnd[list - 1];
    }
}
