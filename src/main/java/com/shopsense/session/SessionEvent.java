package com.shopsense.session;

import com.shopsense.event.EventRef;
import com.shopsense.event.EventType;
import com.shopsense.features.IntentFeatureEncoder;

/**
 * The sessionizer's main output, one per accepted event: where the event sits in its session (what the KPI
 * windows count) and the intent model's step input (the intent stage scores every event). The other models'
 * requests leave the sessionizer on side outputs, only for the events they score.
 *
 * @param position 0-based index of the event in its session
 * @param previousEventTs time of the session's latest earlier event, -1 for the first event
 * @param orderValue the order's value for an order, else 0
 * @param intent the intent model's inputs for this event (hashed item and category, dense features)
 */
public record SessionEvent(EventRef ref, String sessionId, EventType type, int position, long previousEventTs,
        double orderValue, IntentFeatureEncoder.Encoded intent) {

    public String userId() {
        return ref.userId();
    }
}
