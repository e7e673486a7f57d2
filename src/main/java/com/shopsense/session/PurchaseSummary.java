package com.shopsense.session;

/**
 * A user's purchases as the profile knows them when a session closes: the RFM inputs of segments.
 *
 * @param orderSessions sessions with at least one order (frequency)
 * @param spend total order value (monetary)
 * @param lastOrderTs event time of the latest order, -1 when the user never ordered (recency)
 */
public record PurchaseSummary(int orderSessions, double spend, long lastOrderTs) {
    public static final PurchaseSummary NONE = new PurchaseSummary(0, 0.0, -1L);

    public boolean hasOrders() {
        return orderSessions > 0;
    }
}
