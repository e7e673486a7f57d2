package com.shopsense.session;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * Emitted once when a session ends, by inactivity gap or by the maximum duration.
 *
 * @param churnPeriods churn model input: the user's order history as of the session's end
 *     (internal: not written to the sessions topic)
 * @param purchases the user's purchase summary after this session, for segments (internal too)
 */
public record SessionClosed(
        String userId,
        String sessionId,
        long startTs,
        long endTs,
        int eventCount,
        int views,
        int cartAdds,
        int orders,
        double orderValue,
        String closeReason,
        @JsonIgnore float[] churnPeriods,
        @JsonIgnore PurchaseSummary purchases) {

    public static final String BY_GAP = "gap";
    public static final String BY_MAX_DURATION = "max_duration";
}
