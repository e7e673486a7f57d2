package com.shopsense.insight;

/**
 * The net change of one segment's users from {@code units} segment changes (+1 per user entering, -1 per user
 * leaving; {@link SegmentDeltaCombiner} sums them), the newest of them at {@code time}.
 */
public record SegmentDelta(String segment, int delta, int units, long time) {
    public SegmentDelta {
        if (units < 1 || Math.abs(delta) > units) {
            throw new IllegalArgumentException("a delta of " + delta + " from " + units + " changes");
        }
    }
}
