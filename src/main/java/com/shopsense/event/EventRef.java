package com.shopsense.event;

/**
 * The small reference an output keeps to the event it came from (the user, the event id, its event time),
 * instead of the event itself: alerts, scores and KPI facts name their event, they do not carry it.
 */
public record EventRef(String userId, String eventId, long ts) {

    public static EventRef of(ShopEvent e) {
        return new EventRef(e.userId(), e.eventId(), e.timestampMs());
    }
}
