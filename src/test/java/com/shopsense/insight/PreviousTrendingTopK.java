package com.shopsense.insight;

import java.util.HashMap;
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
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The previous release's scope task (a KeyedProcessFunction with the pending lists in keyed state and timers per
 * scope and window), kept as it was so that tests can restore its checkpoints into {@link TrendingTopK}.
 *
 * <p>Per scope (keyed by scope): merges the partial lists of every item subtask and, once the watermark passes the
 * window's end (every item subtask has sent its part), emits the scope's {@link TrendingList}. A scope that had
 * a list and gets none for the next window emits an empty one (its Redis key goes) and forgets itself, so state
 * is the best k per pending window plus one number per listed scope.
 *
 * <p>A scope's lists are written at most once per {@code minWriteIntervalMs} of processing time. When the watermark
 * passes pane ends faster than that (a backlog or a replay: the load test's runs two hours of event time in about
 * three minutes), a list that comes too soon waits in state and a newer one replaces it, so the newest window is
 * written when the interval ends; at the end of the input each scope's newest list is written at once. Live, one
 * pane end per {@code trending.pane}, no list waits. Readers lose only lists that a newer one replaced within the
 * interval.
 */
public class PreviousTrendingTopK extends KeyedProcessFunction<String, TrendingTop, TrendingList> {
    private static final long serialVersionUID = 1L;

    private final TrendingSpec spec;
    private final long minWriteIntervalMs;
    private transient MapState<Long, TrendingTop> pending;
    private transient ValueState<Long> listed;
    /**
     * The window end of the scope's newest list not yet written (the interval since its last write had not
     * passed); its items are that window's entry in {@code pending}, none for an empty list.
     */
    private transient ValueState<Long> waiting;
    private transient Counter late;
    private transient Counter skipped;
    /**
     * When this subtask last wrote each scope's list, in processing time. In heap, not checkpointed: after a
     * restore a scope's first list is written at once (one write early at most).
     */
    private transient Map<String, Long> writtenAt;
    /** This subtask's listed scopes and their last window end, for the gauges (rebuilt within a pane of a restore). */
    private transient Map<String, Long> scopes;

    public PreviousTrendingTopK(TrendingSpec spec, long minWriteIntervalMs) {
        if (minWriteIntervalMs < 0) {
            throw new IllegalArgumentException("trending.min-write-interval must be >= 0");
        }
        this.spec = spec;
        this.minWriteIntervalMs = minWriteIntervalMs;
    }

    @Override
    public void open(OpenContext openContext) {
        pending = getRuntimeContext().getMapState(new MapStateDescriptor<>("trending-pending", Types.LONG,
                TypeInformation.of(TrendingTop.class)));
        listed = getRuntimeContext().getState(new ValueStateDescriptor<>("trending-listed", Types.LONG));
        waiting = getRuntimeContext().getState(new ValueStateDescriptor<>("trending-waiting", Types.LONG));
        MetricGroup g = getRuntimeContext().getMetricGroup().addGroup("trending");
        late = g.counter("lateLists");
        skipped = g.counter("skippedLists");
        writtenAt = new HashMap<>();
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
            ctx.timerService().registerEventTimeTimer(fireAt); // once per window: the other parts find it pending
        }
        kept.merge(part);
        pending.put(part.windowEnd, kept);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<TrendingList> out) throws Exception {
        if (ctx.timeDomain() == TimeDomain.PROCESSING_TIME || timestamp == Long.MAX_VALUE) {
            writeWaiting(ctx, out); // the interval has passed, or the input has ended
            return;
        }
        long end = TrendingSpec.windowEndOf(timestamp);
        String scope = ctx.getCurrentKey();
        TrendingTop top = pending.get(end);
        if (top != null && top.size > 0) {
            write(end, top, ctx, out);
            listed.update(end);
            scopes.put(scope, end);
            // Checks the next window: without parts for it the scope's list has ended.
            ctx.timerService().registerEventTimeTimer(TrendingSpec.fireAt(end + spec.paneMs()));
            return;
        }
        if (top != null) {
            pending.remove(end);
        }
        Long last = listed.value();
        if (last != null && last < end) {
            write(end, null, ctx, out);
            listed.clear();
            scopes.remove(scope);
        }
    }

    /**
     * Writes the list of the window ending at {@code end} (top's items; the empty list when top is null) now, or
     * keeps it waiting until the scope's interval has passed, replacing an older waiting one. A waiting list is its
     * window end; its items stay where they are, in {@code pending}, until it is written or replaced.
     */
    private void write(long end, TrendingTop top, OnTimerContext ctx, Collector<TrendingList> out) throws Exception {
        String scope = ctx.getCurrentKey();
        long now = ctx.timerService().currentProcessingTime();
        Long last = writtenAt.get(scope);
        // At the end of the input every remaining window fires at once: only each scope's newest is written (by the
        // timer at the maximum watermark, which fires after every window's).
        boolean ended = ctx.timerService().currentWatermark() == Long.MAX_VALUE;
        Long waitingEnd = minWriteIntervalMs > 0 ? waiting.value() : null;
        if (minWriteIntervalMs == 0 || (!ended && (last == null || now - last >= minWriteIntervalMs))) {
            if (waitingEnd != null) {
                pending.remove(waitingEnd);
                clearWaiting(ctx);
                skipped.inc();
            }
            if (top != null) {
                pending.remove(end);
            }
            emit(top != null ? TrendingList.of(top) : TrendingList.empty(scope, end), now, out);
            return;
        }
        if (waitingEnd == null) {
            if (!ended) {
                ctx.timerService().registerProcessingTimeTimer(last + minWriteIntervalMs);
            }
            // Fires when the input ends (the watermark jumps to its maximum): the last list must not wait for a
            // processing-time timer that a finishing task never fires.
            ctx.timerService().registerEventTimeTimer(Long.MAX_VALUE);
        } else {
            pending.remove(waitingEnd);
            skipped.inc();
        }
        waiting.update(end);
    }

    private void writeWaiting(OnTimerContext ctx, Collector<TrendingList> out) throws Exception {
        Long end = waiting.value();
        if (end == null) {
            return;
        }
        TrendingTop top = pending.get(end);
        if (top != null) {
            pending.remove(end);
        }
        clearWaiting(ctx);
        emit(top != null ? TrendingList.of(top) : TrendingList.empty(ctx.getCurrentKey(), end),
                ctx.timerService().currentProcessingTime(), out);
    }

    /** The processing-time timer may still fire: it finds nothing waiting. */
    private void clearWaiting(OnTimerContext ctx) {
        waiting.clear();
        ctx.timerService().deleteEventTimeTimer(Long.MAX_VALUE);
    }

    private void emit(TrendingList list, long now, Collector<TrendingList> out) {
        out.collect(list);
        if (list.isEmpty()) {
            writtenAt.remove(list.scope()); // the scope has ended: nothing more to space out
        } else {
            writtenAt.put(list.scope(), now);
        }
    }
}
