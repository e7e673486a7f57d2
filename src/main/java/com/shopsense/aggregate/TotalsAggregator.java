package com.shopsense.aggregate;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Exact running totals per key, the pattern behind alert quality per fraud model version, recommendation A/B
 * per recommender version and users per segment: each delta is added to the key's totals in checkpointed
 * keyed state (so a restart neither loses nor double-counts), the new totals are emitted (after every change,
 * or once per {@link Totals#emitEvery interval} of event time), and the key's latest totals are shown as
 * gauges, registered on the key's first delta in this subtask.
 *
 * <p>Keyed state is only touched on the task thread; the gauges are read on the metric reporter's thread, so
 * they read a copy of the latest totals per key from a {@link ConcurrentHashMap} (the only shared structure).
 * That copy starts empty after a restore and fills as deltas arrive: a restored key's gauges appear with its
 * next delta.
 *
 * <p>Use it directly, or subclass it with a no-arg constructor to give the job a named class.
 */
public class TotalsAggregator<D, S, T> extends KeyedProcessFunction<String, D, T> {
    private static final long serialVersionUID = 1L;

    private final Totals<D, S, T> spec;
    private final long emitEveryMs;

    private transient ValueState<S> state;
    /** The latest totals per key this subtask owns, read by the metric reporter thread. */
    private transient Map<String, T> latest;

    public TotalsAggregator(Totals<D, S, T> spec) {
        this.spec = spec.checked();
        this.emitEveryMs = spec.emitEvery == null ? 0 : spec.emitEvery.toMillis();
    }

    @Override
    public void open(OpenContext ctx) throws Exception {
        state = getRuntimeContext().getState(spec.stateDescriptor());
        latest = new ConcurrentHashMap<>();
    }

    @Override
    public void processElement(D delta, Context ctx, Collector<T> out) throws Exception {
        String key = ctx.getCurrentKey();
        S s = state.value();
        if (s == null) {
            s = spec.empty.create();
        }
        spec.add.add(s, delta);
        state.update(s);
        T totals = spec.snapshot != null ? spec.snapshot.of(key, s) : spec.snapshotAfter.of(key, s, delta);
        publish(key, totals);
        Long ts = ctx.timestamp();
        if (emitEveryMs == 0 || ts == null) {
            out.collect(totals);
        } else {
            // Timers of one key and time are deduplicated: at most one emission per key and interval.
            ctx.timerService().registerEventTimeTimer((Math.floorDiv(ts, emitEveryMs) + 1) * emitEveryMs);
        }
    }

    @Override
    public void onTimer(long time, OnTimerContext ctx, Collector<T> out) throws Exception {
        S s = state.value();
        if (s != null) {
            out.collect(spec.snapshot.of(ctx.getCurrentKey(), s)); // checked(): timers imply a state-only snapshot
        }
    }

    private void publish(String key, T totals) {
        // Only this (task) thread writes, so "first put" is decided without a race.
        if (latest.put(key, totals) == null && spec.gauges != null) {
            spec.gauges.register(getRuntimeContext().getMetricGroup(), key, () -> latest.get(key));
        }
    }
}
