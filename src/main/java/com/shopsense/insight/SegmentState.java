package com.shopsense.insight;

import com.shopsense.session.PurchaseSummary;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * What {@link SegmentTracker} keeps per user (keyed state), serialized by {@link SegmentStateSerializer}: a new
 * field needs a new format there.
 */
@TypeInfo(SegmentStateSerializer.Factory.class)
public class SegmentState {
    public String segment;
    public int orderSessions;
    public double spend;
    public long lastOrderTs = -1L;
    public float churnScore;
    /** End of the latest session seen: older sessions' scores (async scoring reorders) are ignored. */
    public long lastSessionEnd = Long.MIN_VALUE;
    /** Time of the latest evaluation; the segment in Redis is versioned by it. */
    public long evaluatedAt = Long.MIN_VALUE;
    /** Pending event-time timer, or Long.MAX_VALUE. */
    public long timer = Long.MAX_VALUE;
    /** The churn model version of {@link #churnScore}; null for a prospect (no churn score). */
    public String churnModel;

    public SegmentState() {
    }

    PurchaseSummary purchases() {
        return new PurchaseSummary(orderSessions, spend, lastOrderTs);
    }
}
