package com.shopsense.session;

import com.shopsense.event.ShopEvent;

/**
 * Emitted for every accepted event: the event with its place in the session and what the session
 * and profile know at that moment. Downstream scoring needs nothing else from state.
 *
 * @param position 0-based index of the event in its session
 * @param previousEventTs time of the session's latest earlier event, -1 for the first event
 * @param recentItems the session's last item ids (oldest first), only for item events, else empty
 */
public record SessionUpdate(
        String userId,
        String sessionId,
        ShopEvent event,
        int position,
        long previousEventTs,
        long sessionStartTs,
        int cartSize,
        double cartValue,
        String[] recentItems,
        int profileSessions,
        int profileOrders,
        double profileSpend,
        boolean newDevice) {
}
