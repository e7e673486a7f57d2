package com.shopsense.session;

import com.shopsense.event.EventRef;
import com.shopsense.event.EventType;
import com.shopsense.features.IntentFeatureEncoder;

/**
 * The sessionizer's main output, one per accepted event (and a close marker per closed session, see
 * {@link #closedCart}): where the event sits in its session (what the KPI
 * windows count) and the intent model's step input (the intent stage scores every event). The other models'
 * requests leave the sessionizer on side outputs, only for the events they score.
 *
 * @param position 0-based index of the event in its session
 * @param previousEventTs time of the session's latest earlier event, -1 for the first event
 * @param orderValue the order's value for an order, else 0
 * @param intent the intent model's inputs for this event (hashed item and category, dense features)
 * @param closedCart null for an event; for a close marker (no event: type and intent null, ref's eventId null,
 *     ref's time the session's last event) what its cart held, empty when nothing. The marker rides the stream the
 *     intent stage reads already (chained, no shuffle): that stage knows the intent at close (an abandoned cart's
 *     action) and drops the session's hidden state; every other reader takes {@link #isEvent} ones only.
 * @param userNewestTs the newest event time of the user's accepted events so far, this one included (the profile's
 *     {@code lastSeen}): the intent writes' {@code updatedAt}, which must not go back when a session starts with an
 *     event older than the previous session's newest (an allowed-late event after a close)
 */
public record SessionEvent(EventRef ref, String sessionId, EventType type, int position, long previousEventTs,
        double orderValue, IntentFeatureEncoder.Encoded intent, CartAtClose closedCart, long userNewestTs) {

    /** An accepted event. */
    public SessionEvent(EventRef ref, String sessionId, EventType type, int position, long previousEventTs,
            double orderValue, IntentFeatureEncoder.Encoded intent, long userNewestTs) {
        this(ref, sessionId, type, position, previousEventTs, orderValue, intent, null, userNewestTs);
    }

    /** The marker of a closed session, with what its cart held (empty when nothing). */
    static SessionEvent closed(String userId, OpenSession s, String closeReason, long userNewestTs) {
        String[] items = s.cartItems.length == 0 ? s.cartItems : s.cartItems.clone();
        return new SessionEvent(new EventRef(userId, null, s.lastTs), s.sessionId, null, s.eventCount, s.lastTs, 0.0,
                null, new CartAtClose(items, s.cartValue, s.cartSize, closeReason), userNewestTs);
    }

    /** An accepted event, not a close marker. */
    public boolean isEvent() {
        return closedCart == null;
    }

    /** A close marker of a session with items left in its cart (a cart_abandoned action). */
    public boolean closedWithCart() {
        return closedCart != null && closedCart.size() > 0;
    }

    public String userId() {
        return ref.userId();
    }
}
