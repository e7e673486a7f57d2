package com.shopsense.insight;

/** Keyed state of {@link SegmentCounter}: one segment's user count. A Flink POJO. */
public class SegmentTotal {
    public long users;
    public long sequence;

    public SegmentTotal() {
    }
}
