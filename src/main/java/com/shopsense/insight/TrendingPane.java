package com.shopsense.insight;

import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * One item's counted events in one pane, summed where they arise ({@link TrendingPaneCombiner}) before the
 * shuffle by item, so the item task receives one record per item and pane instead of one per event.
 *
 * @param categoryId the category of the item's latest event in the pane (null when none named one)
 * @param categoryTs that event's time (the item keeps the category of its latest event)
 * @param weight the summed weights of the pane's events
 * @param events the number of events (the support)
 */
@TypeInfo(TrendingPaneSerializer.Factory.class)
public record TrendingPane(String itemId, String categoryId, long categoryTs, long paneEnd, long weight,
        long events) {

    /** Whether a category seen at {@code ts} replaces {@code current} seen at {@code currentTs}: latest wins, ties by id. */
    static boolean newerCategory(String category, long ts, String current, long currentTs) {
        if (category == null) {
            return false;
        }
        if (current == null || ts > currentTs) {
            return true;
        }
        return ts == currentTs && category.compareTo(current) < 0;
    }
}
