package com.shopsense.insight;

/** +1 or -1 user in one segment, from a {@link SegmentChange}. */
public record SegmentDelta(String segment, int delta, long time) {
}
