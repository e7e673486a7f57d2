package com.shopsense.insight;

import com.shopsense.event.EventType;
import java.io.Serializable;
import java.time.Duration;

/**
 * How trending items are counted (docs/insight.md "Trending items"): epoch-aligned event-time panes of
 * {@code paneMs}; the window ending at a pane end E holds the panes ending in (E - windowMs, E]; an event counts
 * its type's weight, decayed by the age of its pane ({@code 2^-((E - paneEnd) / halfLife)}); an item is listed
 * once it has {@code minSupport} events in the window, and each scope (shop-wide, each category) lists its
 * {@code topK} best. Only views, cart adds and orders count: a click on a recommendation would feed the
 * recommender's own lists back into trending.
 */
public record TrendingSpec(long windowMs, long paneMs, long halfLifeMs, int minSupport, int topK, int viewWeight,
        int cartWeight, int orderWeight) implements Serializable {

    public TrendingSpec {
        if (paneMs <= 0 || windowMs <= 0 || windowMs % paneMs != 0 || halfLifeMs <= 0) {
            throw new IllegalArgumentException("trending.window must be a positive multiple of trending.pane, "
                    + "and trending.half-life positive");
        }
        if (minSupport < 1 || topK < 1 || viewWeight < 0 || cartWeight < 0 || orderWeight < 0) {
            throw new IllegalArgumentException("trending.min-support and trending.top-k must be >= 1, weights >= 0");
        }
    }

    public static TrendingSpec of(Duration window, Duration pane, Duration halfLife, int minSupport, int topK,
            int viewWeight, int cartWeight, int orderWeight) {
        return new TrendingSpec(window.toMillis(), pane.toMillis(), halfLife.toMillis(), minSupport, topK,
                viewWeight, cartWeight, orderWeight);
    }

    /** Whether events of this type count (their support counts even with weight 0). */
    public boolean counts(EventType type) {
        return type == EventType.VIEW || type == EventType.ADD_TO_CART || type == EventType.ORDER;
    }

    /** The weight an event of this type adds to its item; 0 for the types that do not count. */
    public int weight(EventType type) {
        return switch (type) {
            case VIEW -> viewWeight;
            case ADD_TO_CART -> cartWeight;
            case ORDER -> orderWeight;
            default -> 0;
        };
    }

    /** The end (exclusive) of the pane that holds {@code ts}. */
    public long paneEnd(long ts) {
        return ts - Math.floorMod(ts, paneMs) + paneMs;
    }

    /** Whether a pane ending at {@code paneEnd} lies in the window ending at {@code windowEnd}. */
    public boolean inWindow(long paneEnd, long windowEnd) {
        return paneEnd <= windowEnd && paneEnd > windowEnd - windowMs;
    }

    /** The decay of a pane's weight in the window ending at {@code windowEnd}: 1 for the latest pane. */
    public double decay(long paneEnd, long windowEnd) {
        return Math.pow(2.0, -(double) (windowEnd - paneEnd) / halfLifeMs);
    }

    /**
     * {@link #decay} of a pane k panes before the window's end, for k = 0 .. panes in a window - 1: the same values
     * (the same expression on the same age), computed once instead of once per item, pane and window.
     */
    public double[] decayByPaneAge() {
        double[] table = new double[(int) (windowMs / paneMs)];
        for (int k = 0; k < table.length; k++) {
            table[k] = decay(0, k * paneMs);
        }
        return table;
    }

    /** The event time at which the window ending at {@code windowEnd} is complete: every event before it is in. */
    public static long fireAt(long windowEnd) {
        return windowEnd - 1;
    }

    /** The window end a timer at {@code timestamp} ({@link #fireAt}) completes. */
    public static long windowEndOf(long timestamp) {
        return timestamp + 1;
    }

    /** The scope key of a category, or null for an id a Redis key cannot carry (braces, spaces): shop-wide only. */
    public static String categoryScope(String categoryId) {
        if (categoryId == null || categoryId.isEmpty()) {
            return null;
        }
        for (int i = 0; i < categoryId.length(); i++) { // a loop, not a stream: once per item and window
            char c = categoryId.charAt(i);
            if (c == '{' || c == '}' || Character.isWhitespace(c)) {
                return null;
            }
        }
        return CATEGORY_PREFIX + categoryId;
    }

    /** The scope key of the shop-wide list. */
    public static final String SHOP = "shop";
    /** Category scope keys are this prefix and the category id. */
    public static final String CATEGORY_PREFIX = "cat:";
}
