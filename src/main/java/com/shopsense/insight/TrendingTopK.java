package com.shopsense.insight;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Per scope (keyed by scope): merges the partial lists of every item subtask and, once the watermark passes the
 * window's end (every item subtask has sent its part), emits the scope's {@link TrendingList}. A scope that had
 * a list and gets none for the next window emits an empty one (its Redis key goes) and forgets itself, so state
 * is the best k per pending window plus one number per listed scope.
 */
public class TrendingTopK extends KeyedProcessFunction<String, TrendingTop, TrendingList> {
    private static final long serialVersionUID = 1L;

    private final TrendingSpec spec;
    private transient MapState<Long, TrendingTop> pending;
    private transient ValueState<Long> listed;
    private transient Counter late;
    /** This subtask's listed scopes and their last window end, for the gauges (rebuilt within a pane of a restore). */
    private transient Map<String, Long> scopes;

    public TrendingTopK(TrendingSpec spec) {
        this.spec = spec;
    }

    @Override
    public void open(OpenContext openContext) {
        pending = getRuntimeContext().getMapState(new MapStateDescriptor<>("trending-pending", Types.LONG,
                TypeInformation.of(TrendingTop.class)));
        listed = getRuntimeContext().getState(new ValueStateDescriptor<>("trending-listed", Types.LONG));
        MetricGroup g = getRuntimeContext().getMetricGroup().addGroup("trending");
        late = g.counter("lateLists");
        scopes = new ConcurrentHashMap<>();
        g.gauge("scopes", (Gauge<Integer>) () -> scopes.size());
        g.gauge("lastWindowEnd", (Gauge<Long>) () -> scopes.values().stream().mapToLong(Long::longValue).max()
                .orElse(-1L));
    }

    @Override
    public void processElement(TrendingTop part, Context ctx, Collector<TrendingList> out) throws Exception {
        long fireAt = TrendingSpec.fireAt(part.windowEnd);
        if (fireAt <= ctx.timerService().currentWatermark()) {
            late.inc(); // cannot happen while the parts are emitted before the watermark that completes them
            return;
        }
        TrendingTop kept = pending.get(part.windowEnd);
        if (kept == null) {
            kept = TrendingTop.empty(part.scope, part.windowEnd, spec.topK());
        }
        kept.merge(part);
        pending.put(part.windowEnd, kept);
        ctx.timerService().registerEventTimeTimer(fireAt);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<TrendingList> out) throws Exception {
        long end = TrendingSpec.windowEndOf(timestamp);
        String scope = ctx.getCurrentKey();
        TrendingTop top = pending.get(end);
        if (top != null) {
            pending.remove(end);
        }
        if (top != null && top.size > 0) {
            out.collect(TrendingList.of(top));
            listed.update(end);
            scopes.put(scope, end);
            // Checks the next window: without parts for it the scope's list has ended.
            ctx.timerService().registerEventTimeTimer(TrendingSpec.fireAt(end + spec.paneMs()));
            return;
        }
        Long last = listed.value();
        if (last != null && last < end) {
            out.collect(TrendingList.empty(scope, end));
            listed.clear();
            scopes.remove(scope);
        }
    }
}
