package com.shopsense.session;

import com.shopsense.event.EventType;
import com.shopsense.event.ShopEvent;
import java.io.Serializable;
import java.time.Duration;

/**
 * Which of a user's events the recommendation attribution tracker ({@code feedback.RecoFeedbackTracker}) needs,
 * decided here, where the user's last refresh is known without another state read: every order and reco_click,
 * and an item event only when a list of its user can be live before it. The tracker evaluates an item event
 * against the newest list generated before it and younger than {@code redis.reco-ttl}; lists are generated at the
 * time of the event that refreshed them ({@link UserState#lastRecoTs}, which only grows), so an item event with no
 * refresh of its user in the TTL before it can evaluate nothing and is not sent. Most item events are such: a
 * session's first event never refreshes (17 % of the load test's Taobao item events are sent:
 * {@code load-tests/reco_feed_share.py}).
 *
 * <p>The decision follows arrival order: an item event that arrives before an earlier-timed event of its user
 * whose refresh it would have evaluated is not sent (only out-of-order events within the allowed lateness can do
 * that). With events of a user in time order it loses nothing: {@code RecoFeedbackFeedTest} compares the
 * tracker's output on this feed with its output on every event.
 */
public final class RecoFeedbackFeed implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Long.MAX_VALUE: every item event (the rule cannot hold when the user's state may expire first). */
    private final long liveMs;

    private RecoFeedbackFeed(long liveMs) {
        this.liveMs = liveMs;
    }

    /**
     * @param recoTtl {@code redis.reco-ttl}: how long a list is evaluated against its user's next item event
     * @param profileTtl {@code profile.ttl}: the user state holding the last refresh expires this long after its
     *     last write; when that is shorter than the lists' TTL the last refresh can be forgotten while a list is
     *     still live, so every item event is sent
     */
    public static RecoFeedbackFeed of(Duration recoTtl, Duration profileTtl) {
        return profileTtl.compareTo(recoTtl) >= 0 ? new RecoFeedbackFeed(recoTtl.toMillis()) : everyItemEvent();
    }

    /** Every order, reco_click and item event: what the tracker was fed before this rule. */
    public static RecoFeedbackFeed everyItemEvent() {
        return new RecoFeedbackFeed(Long.MAX_VALUE);
    }

    /** @param lastRecoTs the user's last refresh before this event (its own refresh is not live before it), -1: none */
    public boolean sends(ShopEvent e, long lastRecoTs) {
        if (e.type() == EventType.ORDER) {
            return true;
        }
        if (e.itemId() == null || !e.type().isItemEvent()) {
            return false;
        }
        return e.type() == EventType.RECO_CLICK || liveMs == Long.MAX_VALUE
                || (lastRecoTs >= 0 && e.timestampMs() - lastRecoTs < liveMs); // a refresh after it (late): sent
    }
}
