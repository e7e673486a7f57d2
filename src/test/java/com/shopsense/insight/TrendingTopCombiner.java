package com.shopsense.insight;

import com.shopsense.aggregate.CombinedUntilWatermark;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Chained to the item task: its {@link ItemTrend}s of one watermark become one partial {@link TrendingTop} per
 * scope (shop-wide and the item's category) and window, so the shuffle to the scope task carries at most k items
 * per scope and subtask instead of every item. Items below the minimum support add to the scope's total but are
 * not listed.
 *
 * <p>The previous version (replaced by {@link TrendingItemWindows}), kept in the tests beside
 * {@link TrendingItemCounts} to make checkpoints of the previous graph.
 */
public class TrendingTopCombiner extends CombinedUntilWatermark<ItemTrend, TrendingTop> {
    private static final long serialVersionUID = 1L;

    private final TrendingSpec spec;
    /** window end -> scope -> partial list. */
    private transient Map<Long, Map<String, TrendingTop>> tops;
    private transient StreamRecord<TrendingTop> reuse;

    public TrendingTopCombiner(TrendingSpec spec) {
        this.spec = spec;
    }

    @Override
    public void open() throws Exception {
        super.open();
        tops = new HashMap<>();
        reuse = new StreamRecord<>(null);
    }

    @Override
    public void processElement(StreamRecord<ItemTrend> element) {
        ItemTrend t = element.getValue();
        Map<String, TrendingTop> scopes = tops.computeIfAbsent(t.windowEnd(), k -> new HashMap<>());
        add(scopes, TrendingSpec.SHOP, t);
        String category = TrendingSpec.categoryScope(t.categoryId());
        if (category != null) {
            add(scopes, category, t);
        }
    }

    private void add(Map<String, TrendingTop> scopes, String scope, ItemTrend t) {
        TrendingTop top = scopes.get(scope);
        if (top == null) {
            top = TrendingTop.empty(scope, t.windowEnd(), spec.topK());
            scopes.put(scope, top);
        }
        top.total += t.score();
        if (t.support() >= spec.minSupport()) {
            top.offer(t.itemId(), t.score());
        }
    }

    @Override
    protected void emitAll() {
        if (tops.isEmpty()) {
            return;
        }
        for (Map<String, TrendingTop> scopes : tops.values()) {
            for (TrendingTop top : scopes.values()) {
                output.collect(reuse.replace(top, TrendingSpec.fireAt(top.windowEnd)));
            }
        }
        tops.clear();
    }
}
