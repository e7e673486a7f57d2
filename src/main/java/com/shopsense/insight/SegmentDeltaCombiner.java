package com.shopsense.insight;

import com.shopsense.aggregate.CombinedUntilWatermark;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * A segment change is -1 in the segment left and +1 in the one entered; this sums them per segment in memory,
 * chained to the segment tracker, so that the shuffle to the segment-keyed counter (six hot keys) carries one
 * record per segment between two watermarks instead of two per change, and the counter writes one count instead
 * of one per change. Each sum carries how many unit changes it holds ({@link SegmentDelta#units}): the counter
 * advances its sequence by that, so the sequences (and Redis, which orders counts by them) end as with single
 * deltas whatever the grouping, also after a replay. Sums go out before every watermark, before every
 * checkpoint barrier (nothing to snapshot) and at end of input.
 */
public class SegmentDeltaCombiner extends CombinedUntilWatermark<SegmentChange, SegmentDelta> {
    private static final long serialVersionUID = 1L;

    /** segment -> {sum of deltas, unit changes, newest time} */
    private transient Map<String, long[]> sums;
    private transient StreamRecord<SegmentDelta> reuse;

    @Override
    public void open() throws Exception {
        super.open();
        sums = new HashMap<>();
        reuse = new StreamRecord<>(null);
    }

    @Override
    public void processElement(StreamRecord<SegmentChange> element) {
        SegmentChange c = element.getValue();
        if (c.from() != null && c.from().equals(c.to())) {
            return; // a re-statement of the segment at a prospect's close (SegmentTracker): no move
        }
        if (c.from() != null) {
            add(c.from(), -1, c.time());
        }
        if (c.to() != null) {
            add(c.to(), +1, c.time());
        }
    }

    private void add(String segment, int delta, long time) {
        long[] s = sums.computeIfAbsent(segment, k -> new long[] {0, 0, Long.MIN_VALUE});
        s[0] += delta;
        s[1]++;
        s[2] = Math.max(s[2], time);
    }

    @Override
    protected void emitAll() {
        sums.forEach((segment, s) -> output.collect(reuse.replace(
                new SegmentDelta(segment, Math.toIntExact(s[0]), Math.toIntExact(s[1]), s[2]), s[2])));
        sums.clear();
    }
}
