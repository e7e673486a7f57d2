package com.shopsense.insight;

import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

/** A segment change is -1 in the segment left and +1 in the one entered. */
public class SegmentDeltas implements FlatMapFunction<SegmentChange, SegmentDelta> {
    private static final long serialVersionUID = 1L;

    @Override
    public void flatMap(SegmentChange c, Collector<SegmentDelta> out) {
        if (c.from() != null) {
            out.collect(new SegmentDelta(c.from(), -1, c.time()));
        }
        if (c.to() != null) {
            out.collect(new SegmentDelta(c.to(), +1, c.time()));
        }
    }
}
