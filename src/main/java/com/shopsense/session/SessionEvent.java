package com.shopsense.session;

import com.shopsense.event.EventRef;
import com.shopsense.event.EventType;
import com.shopsense.features.IntentFeatureEncoder;

/**
 * The sessionizer's main output, one per accepted event (and a close marker per session closed with items left in
 * its cart, see {@link #closedCart}): where the event sits in its session (what the KPI
 * windows count) and the intent model's step input (the intent stage scores every event). The other models'
 * requests leave the sessionizer on side outputs, only for the events they score.
 *
 * @param position 0-based index of the event in its session
 * @param previousEventTs time of the session's latest earlier event, -1 for the first event
 * @param orderValue the order's value for an order, else 0
 * @param intent the intent model's inputs for this event (hashed item and category, dense features)
 * @param closedCart null for an event; for a close marker (no event: type and intent null, ref's eventId null,
 *     ref's time the session's last event) what its cart held. The marker rides the stream the intent stage
 *     reads already (chained, no shuffle), because only that stage knows the intent at close; every other
 *     reader takes {@link #isEvent} ones only.
 */
public record SessionEvent(EventRef ref, String sessionId, EventType type, int position, long previousEventTs,
        double orderValue, IntentFeatureEncoder.Encoded intent, CartAtClose closedCart) {

    public SessionEvent(EventRef ref, String sessionId, EventType type, int position, long previousEventTs,
            double orderValue, IntentFeatureEncoder.Encoded intent) {
        this(ref, sessionId, type, position, previousEventTs, orderValue, intent, null);
    }

    /** The marker of a session that closed with its cart not empty. */
    static SessionEvent cartLeft(String userId, OpenSession s, String closeReason) {
        return new SessionEvent(new EventRef(userId, null, s.lastTs), s.sessionId, null, s.eventCount, s.lastTs, 0.0,
                null, new CartAtClose(s.cartItems.clone(), s.cartValue, s.cartSize, closeReason));
    }

    /** An accepted event, not a close marker. */
    public boolean isEvent() {
        return closedCart == null;
    }

    public String userId() {
        return ref.userId();
    }
}
