package com.shopsense.insight;

/**
 * One item's standing in the window ending at {@code windowEnd}: its decayed score and its support (events in
 * the window). Emitted by {@link TrendingItemCounts} for every item with events in the window and chained into
 * {@link TrendingTopCombiner}, which never serializes it.
 *
 * <p>Only the previous version's graph, kept in the tests ({@link TrendingItemCounts}), uses it.
 */
public record ItemTrend(String itemId, String categoryId, long windowEnd, double score, long support) {
}
