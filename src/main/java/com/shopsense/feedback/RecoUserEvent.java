package com.shopsense.feedback;

import com.shopsense.event.EventType;
import com.shopsense.event.ShopEvent;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * What the attribution tracker needs of a user's event, made before the shuffle to it (like {@link RecoShown} for
 * lists): orders, reco_clicks and the item events a live list can be evaluated on (the sessionizer picks them:
 * {@code session.RecoFeedbackFeed}) go there, so it carries a user, a time and an item hash, not the event.
 *
 * @param kind {@link #CLICK}, {@link #ORDER} and {@link #ITEM} flags (a reco_click is a click and an item event)
 * @param itemHash {@link RecoShown#itemHash} of the event's item, 0 when it has none
 */
@TypeInfo(RecoUserEventSerializer.Factory.class)
public record RecoUserEvent(String userId, long ts, byte kind, long itemHash) {
    /** A reco_click with an item: attributed to the list that showed the item. */
    public static final byte CLICK = 1;
    /** An order: converts the user's open attributed clicks. */
    public static final byte ORDER = 2;
    /**
     * An item event ({@link EventType#isItemEvent}: view, cart add or removal, reco_click, with an item id), the
     * events the recommender learns from: the next one after a list is what the list is evaluated against.
     */
    public static final byte ITEM = 4;

    /** The events the tracker can use at all: reco_clicks, orders and item events (the job sends fewer, see above). */
    public static boolean isFeedback(ShopEvent e) {
        return e.type() == EventType.ORDER || (e.itemId() != null && e.type().isItemEvent());
    }

    /** The slim copy of an event {@link #isFeedback} admits. */
    public static RecoUserEvent of(ShopEvent e) {
        byte kind = 0;
        if (e.type() == EventType.ORDER) {
            kind |= ORDER;
        }
        if (e.itemId() != null && e.type().isItemEvent()) {
            kind |= ITEM;
            if (e.type() == EventType.RECO_CLICK) {
                kind |= CLICK;
            }
        }
        long item = (kind & ITEM) != 0 ? RecoShown.itemHash(e.itemId()) : 0;
        return new RecoUserEvent(e.userId(), e.timestampMs(), kind, item);
    }

    boolean is(byte flag) {
        return (kind & flag) != 0;
    }
}
