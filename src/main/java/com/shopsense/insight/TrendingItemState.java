package com.shopsense.insight;

import java.util.Arrays;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * What {@link TrendingItemWindows} keeps per item (in heap, with keyed state as its checkpoint copy) while the item has events in the window: its
 * panes' sums in pane order and its latest category. Serialized by {@link TrendingItemStateSerializer}: a new
 * field needs a new format there.
 */
@TypeInfo(TrendingItemStateSerializer.Factory.class)
public class TrendingItemState {
    public String category;
    public long categoryTs = Long.MIN_VALUE;
    /** Pane ends, ascending; weights and events at the same index. */
    public long[] paneEnds = new long[0];
    public long[] weights = new long[0];
    public long[] events = new long[0];
    // Not serialized (made again after a restore): the scope key of the category it was made for.
    private transient String scope;
    private transient String scopeOfCategory;
    private transient boolean scopeKnown;

    public TrendingItemState() {
    }

    /** Adds a pane's partial sum (merged into the pane when it is already kept). */
    public void add(TrendingPane p) {
        if (TrendingPane.newerCategory(p.categoryId(), p.categoryTs(), category, categoryTs)) {
            category = p.categoryId();
            categoryTs = p.categoryTs();
        }
        int i = Arrays.binarySearch(paneEnds, p.paneEnd());
        if (i >= 0) {
            weights[i] += p.weight();
            events[i] += p.events();
            return;
        }
        int at = -i - 1;
        paneEnds = insert(paneEnds, at, p.paneEnd());
        weights = insert(weights, at, p.weight());
        events = insert(events, at, p.events());
    }

    private static long[] insert(long[] a, int at, long v) {
        long[] b = new long[a.length + 1];
        System.arraycopy(a, 0, b, 0, at);
        b[at] = v;
        System.arraycopy(a, at, b, at + 1, a.length - at);
        return b;
    }

    /** Forgets the panes that no window ending at or after {@code windowEnd} holds. */
    public void dropBefore(long windowEnd, TrendingSpec spec) {
        int from = 0;
        while (from < paneEnds.length && paneEnds[from] <= windowEnd - spec.windowMs()) {
            from++;
        }
        if (from > 0) {
            paneEnds = Arrays.copyOfRange(paneEnds, from, paneEnds.length);
            weights = Arrays.copyOfRange(weights, from, weights.length);
            events = Arrays.copyOfRange(events, from, events.length);
        }
    }

    /** The decayed score of the window ending at {@code windowEnd} (panes summed oldest first). */
    public double score(long windowEnd, TrendingSpec spec) {
        double s = 0;
        for (int i = 0; i < paneEnds.length; i++) {
            if (spec.inWindow(paneEnds[i], windowEnd)) {
                s += weights[i] * spec.decay(paneEnds[i], windowEnd);
            }
        }
        return s;
    }

    /**
     * {@link #score(long, TrendingSpec)} with the decays looked up in {@code decayByPaneAge}
     * ({@link TrendingSpec#decayByPaneAge}): the same value. A pane off the spec's grid (restored from a job with
     * another pane size) is computed.
     */
    public double score(long windowEnd, TrendingSpec spec, double[] decayByPaneAge) {
        double s = 0;
        for (int i = 0; i < paneEnds.length; i++) {
            if (spec.inWindow(paneEnds[i], windowEnd)) {
                long age = windowEnd - paneEnds[i];
                long k = age / spec.paneMs();
                s += weights[i] * (age % spec.paneMs() == 0 && k < decayByPaneAge.length ? decayByPaneAge[(int) k]
                        : spec.decay(paneEnds[i], windowEnd));
            }
        }
        return s;
    }

    /** The category's scope key ({@link TrendingSpec#categoryScope}), made once per category, not per window. */
    public String categoryScope() {
        if (!scopeKnown || scopeOfCategory != category) {
            scope = TrendingSpec.categoryScope(category);
            scopeOfCategory = category;
            scopeKnown = true;
        }
        return scope;
    }

    /** The events in the window ending at {@code windowEnd}. */
    public long support(long windowEnd, TrendingSpec spec) {
        long n = 0;
        for (int i = 0; i < paneEnds.length; i++) {
            if (spec.inWindow(paneEnds[i], windowEnd)) {
                n += events[i];
            }
        }
        return n;
    }

    public boolean isEmpty() {
        return paneEnds.length == 0;
    }
}
