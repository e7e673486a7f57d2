package com.shopsense.insight;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Per item (keyed by item id): its panes in the sliding window, and at every pane end the watermark passes its
 * decayed score and support ({@link ItemTrend}). State lives only while the item has events in the window: one
 * timer per pane end while it does, and the last one clears the state. A pane whose window ends are already
 * behind the watermark (an event later than the out-of-orderness) counts only for the windows still to come
 * ({@code lateEvents} metric).
 *
 * <p>The previous version of the item task (replaced by {@link TrendingItemWindows}), kept in the tests to check
 * that its checkpoints restore into the new one ({@code TrendingPipelineTest}).
 */
public class TrendingItemCounts extends KeyedProcessFunction<String, TrendingPane, ItemTrend> {
    private static final long serialVersionUID = 1L;

    private final TrendingSpec spec;
    private transient ValueState<TrendingItemState> state;
    private transient Counter lateEvents;

    public TrendingItemCounts(TrendingSpec spec) {
        this.spec = spec;
    }

    @Override
    public void open(OpenContext openContext) {
        state = getRuntimeContext().getState(new ValueStateDescriptor<>("trending-item", TrendingItemState.class));
        lateEvents = getRuntimeContext().getMetricGroup().addGroup("trending").counter("lateEvents");
    }

    @Override
    public void processElement(TrendingPane pane, Context ctx, Collector<ItemTrend> out) throws Exception {
        long watermark = ctx.timerService().currentWatermark();
        long firstEnd = pane.paneEnd();
        if (watermark != Long.MIN_VALUE && TrendingSpec.fireAt(firstEnd) <= watermark) {
            lateEvents.inc(pane.events());
            if (watermark == Long.MAX_VALUE) {
                return; // after the end of input
            }
            firstEnd = spec.paneEnd(watermark + 1); // the first window still to be written
        }
        TrendingItemState s = state.value();
        if (s == null) {
            s = new TrendingItemState();
        }
        s.add(pane);
        if (watermark != Long.MIN_VALUE) {
            s.dropBefore(spec.paneEnd(watermark + 1), spec); // a late pane no window still to come holds
        }
        if (s.isEmpty()) {
            return;
        }
        state.update(s);
        // Its first window; an item already counting has a timer for its next window (deduplicated if the same).
        ctx.timerService().registerEventTimeTimer(TrendingSpec.fireAt(firstEnd));
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ItemTrend> out) throws Exception {
        TrendingItemState s = state.value();
        if (s == null) {
            return;
        }
        long end = TrendingSpec.windowEndOf(timestamp);
        long support = s.support(end, spec);
        if (support > 0) {
            out.collect(new ItemTrend(ctx.getCurrentKey(), s.category, end, s.score(end, spec), support));
        }
        long next = end + spec.paneMs();
        s.dropBefore(next, spec);
        if (s.isEmpty()) {
            state.clear();
            return;
        }
        state.update(s);
        // The next window that holds one of its panes: the next pane end, or a later pane's own end.
        ctx.timerService().registerEventTimeTimer(TrendingSpec.fireAt(Math.max(next, s.paneEnds[0])));
    }
}
