package com.shopsense.insight;

/**
 * The KPIs of one event-time window [start, end) (README "Live KPIs").
 *
 * @param window the window's name, e.g. 1m (tumbling) or 1h (sliding)
 * @param activeSessions sessions with at least one event in the window
 * @param sessions sessions whose last event lies in the window (ended there)
 */
public record KpiWindow(String window, long start, long end, long events, long activeSessions, long views,
        long cartAdds, long orders, double revenue, long sessions, long convertedSessions, long cartSessions,
        long abandonedSessions, long scoredPayments, long alerts, long cartAbandonedActions, long enteredAtRiskActions,
        long highIntentActions) {

    public static KpiWindow of(String window, long start, long end, KpiCounts c) {
        return new KpiWindow(window, start, end, c.events, c.activeSessions, c.views, c.cartAdds, c.orders, c.revenue,
                c.sessions, c.convertedSessions, c.cartSessions, c.abandonedSessions, c.scoredPayments, c.alerts,
                c.cartAbandonedActions, c.enteredAtRiskActions, c.highIntentActions);
    }

    /** Ended sessions with an order / ended sessions; NaN without sessions. */
    public double conversionRate() {
        return ratio(convertedSessions, sessions);
    }

    /** Ended sessions with a cart add and no order / ended sessions with a cart add; NaN without any. */
    public double cartAbandonment() {
        return ratio(abandonedSessions, cartSessions);
    }

    /** Order value / order events; NaN without orders. */
    public double averageOrderValue() {
        return orders == 0 ? Double.NaN : revenue / orders;
    }

    /** Fraud alerts / fraud-scored payments; NaN without payments. */
    public double alertRate() {
        return ratio(alerts, scoredPayments);
    }

    private static double ratio(long a, long b) {
        return b == 0 ? Double.NaN : (double) a / b;
    }
}
