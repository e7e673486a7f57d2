package com.shopsense.session;

/**
 * Emitted once when a session ends, by inactivity gap or by the maximum duration.
 *
 * <p>What the sessions topic carries (JSON, key = userId); the churn model's input for the same close is a
 * separate {@link ChurnRequest}.
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
        String closeReason) {

    public static final String BY_GAP = "gap";
    public static final String BY_MAX_DURATION = "max_duration";
}
