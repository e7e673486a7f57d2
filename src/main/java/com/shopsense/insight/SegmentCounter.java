package com.shopsense.insight;

import com.shopsense.aggregate.Gauges;
import com.shopsense.aggregate.Totals;
import com.shopsense.aggregate.TotalsAggregator;

/**
 * Users per segment (keyed by segment): applies the +1/-1 of segment changes and emits the new count,
 * and exposes it as the gauge {@code segment.<name>.users} (Prometheus:
 * {@code flink_taskmanager_job_task_operator_segment_users{segment="loyal"}}).
 */
public class SegmentCounter extends TotalsAggregator<SegmentDelta, SegmentTotal, SegmentCount> {
    private static final long serialVersionUID = 1L;

    public SegmentCounter() {
        super(Totals.<SegmentDelta, SegmentTotal, SegmentCount>inState("segment-total", SegmentTotal.class,
                        SegmentTotal::new)
                .add((total, d) -> {
                    total.users += d.delta();
                    total.sequence += d.units(); // as if each unit change came alone: grouping-invariant
                })
                .snapshotAfter((segment, total, d) -> new SegmentCount(segment, total.users, total.sequence, d.time()))
                .gauges(Gauges.<SegmentCount>under("segment")
                        .gauge("users", SegmentCount::users)));
    }
}
