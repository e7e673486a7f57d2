package com.shopsense.insight;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Per product or category (keyed by {@link ReviewFact#key()}): its review panes in the sliding window, and at every
 * slide end the watermark passes while it has reviews in the window, that window ({@link ReviewWindow}). Once the
 * last review has left the window, one empty window is written (counts 0) and the state is cleared: state lives
 * only while reviews are in the window, with one timer at a time. A review whose every window is already behind the
 * watermark is dropped ({@code lateReviews}); one whose first windows are behind counts in those still to come.
 * At the end of a bounded input (the final watermark) a key's windows are written up to the one that ends right after
 * its newest review, then its state is cleared.
 */
public class ReviewWindowAggregator extends KeyedProcessFunction<String, ReviewFact, ReviewWindow> {
    private static final long serialVersionUID = 1L;

    private final ReviewWindowSpec spec;
    private transient ValueState<ReviewPanes> state;
    private transient Counter lateReviews;
    private transient Counter windows;

    public ReviewWindowAggregator(ReviewWindowSpec spec) {
        this.spec = spec;
    }

    @Override
    public void open(OpenContext openContext) {
        state = getRuntimeContext().getState(new ValueStateDescriptor<>("review-panes", ReviewPanes.class));
        lateReviews = getRuntimeContext().getMetricGroup().addGroup("review").counter("lateReviews");
        windows = getRuntimeContext().getMetricGroup().addGroup("review").counter("windowsWritten");
    }

    @Override
    public void processElement(ReviewFact f, Context ctx, Collector<ReviewWindow> out) throws Exception {
        long watermark = ctx.timerService().currentWatermark();
        long pane = spec.paneStart(f.ts());
        long firstEnd = pane + spec.slideMs();
        if (watermark != Long.MIN_VALUE && ReviewWindowSpec.fireAt(firstEnd) <= watermark) {
            if (watermark == Long.MAX_VALUE || ReviewWindowSpec.fireAt(spec.lastWindowEnd(pane)) <= watermark) {
                lateReviews.inc();
                return;
            }
            firstEnd = spec.paneStart(watermark + 1) + spec.slideMs(); // the first window still to be written
        }
        ReviewPanes p = state.value();
        if (p == null) {
            p = new ReviewPanes();
        }
        p.add(pane, f);
        state.update(p);
        // Its first window; a key already counting has a timer for its next window (deduplicated if the same).
        ctx.timerService().registerEventTimeTimer(ReviewWindowSpec.fireAt(firstEnd));
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ReviewWindow> out) throws Exception {
        ReviewPanes p = state.value();
        if (p == null) {
            return;
        }
        long end = timestamp + 1;
        if (ctx.timerService().currentWatermark() == Long.MAX_VALUE
                && (p.isEmpty() || end > p.starts[p.starts.length - 1] + spec.slideMs())) {
            // After the end of a bounded input: the key keeps the window that ends right after its newest review.
            // Later windows would only lose reviews to a time that never came (a replay would end all zeros).
            state.clear();
            return;
        }
        String key = ctx.getCurrentKey();
        int colon = key.indexOf(':');
        ReviewWindow w = p.window(key.substring(0, colon), key.substring(colon + 1), end, spec);
        out.collect(w);
        windows.inc();
        long next = end + spec.slideMs();
        p.dropBefore(next - spec.windowMs());
        if (p.isEmpty() && w.reviews() == 0) {
            state.clear(); // the empty window after the last review is written
            return;
        }
        state.update(p);
        // After a window with reviews, the next one (with reviews, or the empty one after the last review left);
        // after an empty one, the first window of the next review's pane.
        long at = w.reviews() > 0 ? next : Math.max(next, p.starts[0] + spec.slideMs());
        ctx.timerService().registerEventTimeTimer(ReviewWindowSpec.fireAt(at));
    }
}
