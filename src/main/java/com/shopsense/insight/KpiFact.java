package com.shopsense.insight;

import com.shopsense.event.EventType;
import com.shopsense.scoring.FraudScore;
import com.shopsense.scoring.JourneyAction;
import com.shopsense.session.SessionClosed;
import com.shopsense.session.SessionEvent;

/**
 * One input of the KPI windows, counted at its own event time {@code ts}: an event (from the session
 * tracker), a session that ended at {@code ts} (its last event), or a fraud-scored payment.
 *
 * @param previousEventTs for an event, the time of its session's latest earlier event (-1 for the first):
 *     the event starts its session's activity in a window when this lies before the window; otherwise
 *     Long.MAX_VALUE
 */
public record KpiFact(long ts, long previousEventTs, int events, int views, int cartAdds, int orders, double revenue,
        int sessions, int convertedSessions, int cartSessions, int abandonedSessions, int scoredPayments,
        int alerts, int cartAbandonedActions, int enteredAtRiskActions, int highIntentActions) {

    /** A fact of no journey action. */
    public KpiFact(long ts, long previousEventTs, int events, int views, int cartAdds, int orders, double revenue,
            int sessions, int convertedSessions, int cartSessions, int abandonedSessions, int scoredPayments,
            int alerts) {
        this(ts, previousEventTs, events, views, cartAdds, orders, revenue, sessions, convertedSessions, cartSessions,
                abandonedSessions, scoredPayments, alerts, 0, 0, 0);
    }

    /** A journey action, counted by type at its event time. */
    public static KpiFact action(JourneyAction a) {
        return new KpiFact(a.eventTime(), Long.MAX_VALUE, 0, 0, 0, 0, 0.0, 0, 0, 0, 0, 0, 0,
                JourneyAction.CART_ABANDONED.equals(a.type()) ? 1 : 0,
                JourneyAction.ENTERED_AT_RISK.equals(a.type()) ? 1 : 0, JourneyAction.HIGH_INTENT.equals(a.type()) ? 1 : 0);
    }

    public static KpiFact event(SessionEvent u) {
        EventType type = u.type();
        boolean order = type == EventType.ORDER;
        return new KpiFact(u.ref().ts(), u.previousEventTs(), 1, type == EventType.VIEW ? 1 : 0,
                type == EventType.ADD_TO_CART ? 1 : 0, order ? 1 : 0, u.orderValue(),
                0, 0, 0, 0, 0, 0);
    }

    public static KpiFact sessionEnd(SessionClosed s) {
        boolean converted = s.orders() > 0;
        boolean cart = s.cartAdds() > 0;
        return new KpiFact(s.endTs(), Long.MAX_VALUE, 0, 0, 0, 0, 0.0, 1, converted ? 1 : 0, cart ? 1 : 0,
                cart && !converted ? 1 : 0, 0, 0);
    }

    public static KpiFact fraudScored(FraudScore f) {
        return new KpiFact(f.payment().ref().ts(), Long.MAX_VALUE, 0, 0, 0, 0, 0.0, 0, 0, 0, 0, 1,
                f.isAlert() ? 1 : 0);
    }
}
