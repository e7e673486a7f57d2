package com.shopsense.insight;

import com.shopsense.scoring.UserScoreUpdate;

/**
 * A user moved between segments at event time {@code time}.
 *
 * @param from previous segment, null when the user enters the counts
 * @param to new segment, null when the user leaves them (segments.retention after their last session)
 */
public record SegmentChange(String userId, String from, String to, long time) {

    /** The user's new segment for their score hash, versioned by the time it was evaluated at. */
    public UserScoreUpdate scoreUpdate() {
        // The keyed segment tracker's changes, forwarded to the sink: in order per user.
        return new UserScoreUpdate(userId, new String[] {"segment"}, new String[] {to}, time, true);
    }
}
