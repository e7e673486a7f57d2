package com.shopsense.insight;

/**
 * Users currently in a segment.
 *
 * @param sequence number of changes applied to this segment's count so far (orders writes to Redis)
 * @param time event time of the latest change
 */
public record SegmentCount(String segment, long users, long sequence, long time) {
}
