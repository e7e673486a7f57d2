package com.shopsense.insight;

/**
 * A user moved between segments at event time {@code time}.
 *
 * @param from previous segment, null when the user enters the counts
 * @param to new segment, null when the user leaves them (segments.retention after their last session)
 */
public record SegmentChange(String userId, String from, String to, long time) {
}
