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
 * Keyed by fraud model version: sums the quality deltas into exact counts (in checkpointed state, so
 * a restart neither loses nor double-counts) and emits the new totals after every change. Also
 * exposes them as gauges under {@code fraudModelVersion=<version>} (precision, recall, counts).
 */
public class AlertQualityAggregator extends KeyedProcessFunction<String, QualityDelta, AlertQuality> {
    private static final long serialVersionUID = 1L;

    private transient ValueState<QualityCounts> counts;
    /** The latest totals per version this subtask owns, read by the metric reporter thread. */
    private transient Map<String, AlertQuality> latest;

    @Override
    public void open(OpenContext ctx) {
        counts = getRuntimeContext().getState(new ValueStateDescriptor<>("alert-quality", QualityCounts.class));
        latest = new HashMap<>();
    }

    @Override
    public void processElement(QualityDelta d, Context ctx, Collector<AlertQuality> out) throws Exception {
        QualityCounts c = counts.value();
        if (c == null) {
            c = new QualityCounts();
        }
        c.add(d);
        counts.update(c);
        AlertQuality q = c.snapshot(d.modelVersion());
        publish(q);
        out.collect(q);
    }

    private void publish(AlertQuality q) {
        boolean first;
        synchronized (this) {
            first = latest.put(q.modelVersion(), q) == null;
        }
        if (first) {
            MetricGroup g = getRuntimeContext().getMetricGroup().addGroup("fraudModelVersion", q.modelVersion());
            String v = q.modelVersion();
            g.gauge("alertPrecision", (Gauge<Double>) () -> get(v).precision());
            g.gauge("alertDecidedPrecision", (Gauge<Double>) () -> get(v).decidedPrecision());
            g.gauge("fraudRecall", (Gauge<Double>) () -> get(v).recall());
            g.gauge("alerts", (Gauge<Long>) () -> get(v).alerts());
            g.gauge("confirmedFraud", (Gauge<Long>) () -> get(v).fraudLabels());
            g.gauge("alertsConfirmedFraud", (Gauge<Long>) () -> get(v).alertedFraud());
        }
    }

    private synchronized AlertQuality get(String version) {
        return latest.get(version);
    }
}
