package com.shopsense.session;

import com.shopsense.event.ShopEvent;

/**
 * Emitted for every accepted event: the event with its place in the session and what the session
 * and profile know at that moment. Downstream scoring needs nothing else from state.
 *
 * @param position 0-based index of the event in its session
 * @param previousEventTs time of the session's latest earlier event, -1 for the first event
 * @param recentItems the session's last item ids (oldest first), only for item events, else empty
 * @param itemBucket intent model input: hashed item id
 * @param categoryBucket intent model input: hashed category id
 * @param intentDense intent model input: dense features of this event
 * @param fraudHistory fraud model input for payments/orders with an amount (else null): the
 *     user's payments before this one
 * @param fraudCurrent fraud model input: this payment against that history (else null)
 * @param fraudReasons reason codes for an alert, from the same features (else null)
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
        boolean newDevice,
        long itemBucket,
        long categoryBucket,
        float[] intentDense,
        float[] fraudHistory,
        float[] fraudCurrent,
        String[] fraudReasons) {

    public boolean isFraudScored() {
        return fraudCurrent != null;
    }
}
