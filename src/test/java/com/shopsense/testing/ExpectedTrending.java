package com.shopsense.testing;

import com.shopsense.event.EventType;
import com.shopsense.event.ShopEvent;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Trending lists computed straight from their definition (docs/insight.md "Trending items"), with none of the
 * job's classes: for a window ending at E, each item's events in [E - window, E) weighted by type and decayed by
 * their pane's age, listed with at least minSupport events, best topK per scope by score then id.
 */
public final class ExpectedTrending {
    /** Scope of the shop-wide list; a category's is "cat:" + its id. */
    public static final String SHOP = "shop";

    private final long windowMs;
    private final long paneMs;
    private final long halfLifeMs;
    private final int minSupport;
    private final int topK;
    private final Map<EventType, Integer> weights;

    public ExpectedTrending(long windowMs, long paneMs, long halfLifeMs, int minSupport, int topK, int view, int cart,
            int order) {
        this.windowMs = windowMs;
        this.paneMs = paneMs;
        this.halfLifeMs = halfLifeMs;
        this.minSupport = minSupport;
        this.topK = topK;
        this.weights = Map.of(EventType.VIEW, view, EventType.ADD_TO_CART, cart, EventType.ORDER, order);
    }

    public long paneEnd(long ts) {
        return ts - Math.floorMod(ts, paneMs) + paneMs;
    }

    /** scope -> (item, score) best first, for the window ending at {@code end}; scopes without a listed item absent. */
    public Map<String, List<Map.Entry<String, Double>>> at(List<ShopEvent> events, long end) {
        Map<String, TreeMap<Long, long[]>> panes = new HashMap<>();
        Map<String, ShopEvent> latest = new HashMap<>();
        for (ShopEvent e : events) {
            if (e.itemId() == null || !weights.containsKey(e.type())) {
                continue;
            }
            long[] c = panes.computeIfAbsent(e.itemId(), k -> new TreeMap<>())
                    .computeIfAbsent(paneEnd(e.timestampMs()), k -> new long[2]);
            c[0] += weights.get(e.type());
            c[1]++;
            ShopEvent l = latest.get(e.itemId());
            if (e.categoryId() != null && (l == null || e.timestampMs() > l.timestampMs()
                    || (e.timestampMs() == l.timestampMs() && e.categoryId().compareTo(l.categoryId()) < 0))) {
                latest.put(e.itemId(), e);
            }
        }
        Map<String, List<Map.Entry<String, Double>>> lists = new HashMap<>();
        for (Map.Entry<String, TreeMap<Long, long[]>> item : panes.entrySet()) {
            double score = 0;
            long support = 0;
            for (Map.Entry<Long, long[]> p : item.getValue().subMap(end - windowMs, false, end, true).entrySet()) {
                score += p.getValue()[0] * Math.pow(2.0, -(double) (end - p.getKey()) / halfLifeMs);
                support += p.getValue()[1];
            }
            if (support < minSupport) {
                continue;
            }
            Map.Entry<String, Double> entry = new AbstractMap.SimpleEntry<>(item.getKey(), score);
            lists.computeIfAbsent(SHOP, k -> new ArrayList<>()).add(entry);
            if (latest.containsKey(item.getKey())) {
                lists.computeIfAbsent("cat:" + latest.get(item.getKey()).categoryId(), k -> new ArrayList<>()).add(entry);
            }
        }
        Comparator<Map.Entry<String, Double>> best = Comparator.comparingDouble((Map.Entry<String, Double> x) ->
                -x.getValue()).thenComparing(Map.Entry::getKey);
        lists.replaceAll((scope, l) -> {
            l.sort(best);
            return List.copyOf(l.subList(0, Math.min(topK, l.size())));
        });
        return lists;
    }
}
