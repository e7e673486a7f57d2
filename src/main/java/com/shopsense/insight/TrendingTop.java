package com.shopsense.insight;

import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * A scope's best items (at most k, by decayed score, ties by item id) in the window ending at {@code windowEnd},
 * and the scope's total decayed activity (every item's score, listed or not). Partial lists of the same scope
 * and window merge exactly: the best k of a union are among the best k of its parts. Sent from
 * {@link TrendingItemWindows} to {@link TrendingTopK} and kept there until the window is written; serialized by
 * {@link TrendingTopSerializer}.
 */
@TypeInfo(TrendingTopSerializer.Factory.class)
public class TrendingTop {
    public String scope;
    public long windowEnd;
    public double total;
    public int size;
    public String[] items;
    public double[] scores;

    public TrendingTop() {
    }

    public static TrendingTop empty(String scope, long windowEnd, int k) {
        TrendingTop t = new TrendingTop();
        t.scope = scope;
        t.windowEnd = windowEnd;
        t.items = new String[k];
        t.scores = new double[k];
        return t;
    }

    /** Adds an item with its score to the list if it is among the best k (the capacity). */
    public void offer(String item, double score) {
        int k = items.length;
        if (k == 0) {
            return;
        }
        if (size == k && !better(item, score, items[k - 1], scores[k - 1])) {
            return;
        }
        int at = size == k ? k - 1 : size;
        while (at > 0 && better(item, score, items[at - 1], scores[at - 1])) {
            items[at] = items[at - 1];
            scores[at] = scores[at - 1];
            at--;
        }
        items[at] = item;
        scores[at] = score;
        if (size < k) {
            size++;
        }
    }

    /** Merges another partial list of the same scope and window. */
    public void merge(TrendingTop o) {
        total += o.total;
        for (int i = 0; i < o.size; i++) {
            offer(o.items[i], o.scores[i]);
        }
    }

    /** Higher score first, then the smaller id: a total order, so lists are deterministic. */
    static boolean better(String item, double score, String other, double otherScore) {
        return score > otherScore || (score == otherScore && item.compareTo(other) < 0);
    }
}
