package com.shopsense.feedback;

import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by recommender version: sums the A/B deltas into exact totals (checkpointed, so a restart neither
 * loses nor double-counts) and exposes them as gauges under {@code recoModelVersion=<version>}. Totals are
 * emitted once per second of event time rather than per delta: every list is an impression, and one Redis
 * write per list for a counter hash would double the recommendation sink's load.
 */
public class RecoAbAggregator extends KeyedProcessFunction<String, RecoDelta, RecoAbTotals> {
    private static final long serialVersionUID = 1L;
    private static final long EMIT_EVERY_MS = 1_000;

    private transient ValueState<RecoAbCounts> counts;
    /** The latest totals per version this subtask owns, read by the metric reporter thread. */
    private transient Map<String, RecoAbTotals> latest;

    @Override
    public void open(OpenContext ctx) {
        counts = getRuntimeContext().getState(new ValueStateDescriptor<>("reco-ab-counts", RecoAbCounts.class));
        latest = new HashMap<>();
    }

    @Override
    public void processElement(RecoDelta d, Context ctx, Collector<RecoAbTotals> out) throws Exception {
        RecoAbCounts c = counts.value();
        if (c == null) {
            c = new RecoAbCounts();
        }
        c.add(d);
        counts.update(c);
        publish(c.snapshot(d.modelVersion()));
        Long ts = ctx.timestamp();
        if (ts == null) {
            out.collect(c.snapshot(d.modelVersion()));
        } else {
            // Timers of one key and time are deduplicated: at most one emission per version and second.
            ctx.timerService().registerEventTimeTimer((Math.floorDiv(ts, EMIT_EVERY_MS) + 1) * EMIT_EVERY_MS);
        }
    }

    @Override
    public void onTimer(long time, OnTimerContext ctx, Collector<RecoAbTotals> out) throws Exception {
        RecoAbCounts c = counts.value();
        if (c != null) {
            out.collect(c.snapshot(ctx.getCurrentKey()));
        }
    }

    private void publish(RecoAbTotals t) {
        boolean first;
        synchronized (this) {
            first = latest.put(t.modelVersion(), t) == null;
        }
        if (first) {
            MetricGroup g = getRuntimeContext().getMetricGroup().addGroup("recoModelVersion", t.modelVersion());
            String v = t.modelVersion();
            g.gauge("impressions", (Gauge<Long>) () -> get(v).impressions());
            g.gauge("clicks", (Gauge<Long>) () -> get(v).clicks());
            g.gauge("conversions", (Gauge<Long>) () -> get(v).conversions());
            g.gauge("ctr", (Gauge<Double>) () -> get(v).ctr());
            g.gauge("conversionRate", (Gauge<Double>) () -> get(v).conversionRate());
        }
    }

    private synchronized RecoAbTotals get(String version) {
        return latest.get(version);
    }
}
