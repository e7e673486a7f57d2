package com.shopsense.insight;

import com.shopsense.aggregate.CombinedUntilWatermark;
import com.shopsense.event.ShopEvent;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Sums the counted events (views, cart adds, orders) per item and pane in memory, chained to the source side, so
 * the shuffle by item carries one {@link TrendingPane} per item, pane and watermark instead of one record per
 * event. Stateless: everything is emitted before every watermark and checkpoint barrier.
 */
public class TrendingPaneCombiner extends CombinedUntilWatermark<ShopEvent, TrendingPane> {
    private static final long serialVersionUID = 1L;
    /** A guard, not a tuning knob: items between two watermarks are bounded unless event time stalls. */
    private static final int MAX_ENTRIES = 50_000;

    private final TrendingSpec spec;
    /** pane end -> item -> partial sum (a watermark usually spans one or two panes). */
    private transient Map<Long, Map<String, Partial>> panes;
    private transient int entries;
    private transient StreamRecord<TrendingPane> reuse;

    /** A pane's running sums of one item (mutable, so an event costs no allocation once its item is seen). */
    private static final class Partial {
        String category;
        long categoryTs = Long.MIN_VALUE;
        long weight;
        long events;
    }

    public TrendingPaneCombiner(TrendingSpec spec) {
        this.spec = spec;
    }

    @Override
    public void open() throws Exception {
        super.open();
        panes = new HashMap<>();
        reuse = new StreamRecord<>(null);
    }

    @Override
    public void processElement(StreamRecord<ShopEvent> element) throws Exception {
        ShopEvent e = element.getValue();
        if (e.itemId() == null || !spec.counts(e.type())) {
            return;
        }
        Map<String, Partial> items = panes.computeIfAbsent(spec.paneEnd(e.timestampMs()), k -> new HashMap<>());
        Partial p = items.get(e.itemId());
        if (p == null) {
            p = new Partial();
            items.put(e.itemId(), p);
            entries++;
        }
        p.weight += spec.weight(e.type());
        p.events++;
        if (TrendingPane.newerCategory(e.categoryId(), e.timestampMs(), p.category, p.categoryTs)) {
            p.category = e.categoryId();
            p.categoryTs = e.timestampMs();
        }
        if (entries >= MAX_ENTRIES) {
            emitAll();
        }
    }

    @Override
    protected void emitAll() {
        if (entries == 0) {
            return;
        }
        for (Map.Entry<Long, Map<String, Partial>> pane : panes.entrySet()) {
            long end = pane.getKey();
            for (Map.Entry<String, Partial> item : pane.getValue().entrySet()) {
                Partial p = item.getValue();
                // Stamped with the pane's last instant: never behind the watermark that follows it.
                output.collect(reuse.replace(new TrendingPane(item.getKey(), p.category, p.categoryTs, end, p.weight,
                        p.events), end - 1));
            }
        }
        panes.clear();
        entries = 0;
    }
}
