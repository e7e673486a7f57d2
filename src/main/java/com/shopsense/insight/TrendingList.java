package com.shopsense.insight;

import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * The trending items of one scope in the window ending at {@code windowEnd}, best first: what Redis holds
 * ({@code prefix:popular}, {@code prefix:popular:cat:<id>}) and what the recommender's fallback serves. An empty
 * list means the scope has no item with the minimum support any more (its key is removed).
 *
 * @param scope {@link TrendingSpec#SHOP} or {@code cat:<categoryId>}
 * @param categoryId the category, null for the shop-wide list
 * @param scores decayed scores, same order as itemIds
 * @param total the scope's decayed activity in the window (every item's score, listed or not)
 */
@TypeInfo(TrendingListSerializer.Factory.class)
public record TrendingList(String scope, String categoryId, long windowEnd, String[] itemIds, double[] scores,
        double total) {

    static TrendingList of(TrendingTop t) {
        String[] items = java.util.Arrays.copyOf(t.items, t.size);
        double[] scores = java.util.Arrays.copyOf(t.scores, t.size);
        return new TrendingList(t.scope, categoryOf(t.scope), t.windowEnd, items, scores, t.total);
    }

    static TrendingList empty(String scope, long windowEnd) {
        return new TrendingList(scope, categoryOf(scope), windowEnd, new String[0], new double[0], 0.0);
    }

    private static String categoryOf(String scope) {
        return scope.startsWith(TrendingSpec.CATEGORY_PREFIX) ? scope.substring(TrendingSpec.CATEGORY_PREFIX.length())
                : null;
    }

    public boolean isEmpty() {
        return itemIds.length == 0;
    }

    /** An item's share of the scope's decayed activity, in (0, 1]: the fallback's score. */
    public double share(int i) {
        return total > 0 ? scores[i] / total : 0.0;
    }
}
