package com.shopsense.insight;

import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Users per segment (keyed by segment): applies the +1/-1 of segment changes and emits the new count,
 * and exposes it as the gauge {@code segment.<name>.users} (Prometheus:
 * {@code flink_taskmanager_job_task_operator_segment_users{segment="loyal"}}).
 */
public class SegmentCounter extends KeyedProcessFunction<String, SegmentDelta, SegmentCount> {
    private static final long serialVersionUID = 1L;

    private transient ValueState<SegmentTotal> total;
    /** Last counts of the segments this subtask owns, read by the gauges (keyed state is not thread-safe). */
    private transient Map<String, Long> gaugeValues;

    @Override
    public void open(OpenContext openContext) {
        total = getRuntimeContext().getState(new ValueStateDescriptor<>("segment-total", SegmentTotal.class));
        gaugeValues = new HashMap<>();
    }

    @Override
    public void processElement(SegmentDelta d, Context ctx, Collector<SegmentCount> out) throws Exception {
        SegmentTotal t = total.value();
        if (t == null) {
            t = new SegmentTotal();
        }
        t.users += d.delta();
        t.sequence++;
        total.update(t);
        String segment = ctx.getCurrentKey();
        synchronized (gaugeValues) {
            if (gaugeValues.put(segment, t.users) == null) { // registered on first sight, by the owning subtask only
                Gauge<Long> users = () -> gaugeValue(segment);
                getRuntimeContext().getMetricGroup().addGroup("segment", segment).gauge("users", users);
            }
        }
        out.collect(new SegmentCount(segment, t.users, t.sequence, d.time()));
    }

    private long gaugeValue(String segment) {
        synchronized (gaugeValues) {
            return gaugeValues.getOrDefault(segment, 0L);
        }
    }
}
