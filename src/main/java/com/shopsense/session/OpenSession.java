package com.shopsense.session;

import com.shopsense.event.EventType;
import com.shopsense.event.ShopEvent;
import java.util.Arrays;

/**
 * The open session of one user, kept in keyed state (RocksDB) inside {@link UserState}: serialized by
 * {@link OpenSessionSerializer}, so a new field needs a new format there.
 * Only the last item ids are kept (at most session.kept-items), so a bot cannot grow this without limit.
 * It is read and written on every event, so it holds nothing no reader needs: its size is the
 * sessionizer's cost.
 */
public class OpenSession {
    private static final String[] NO_ITEMS = new String[0];

    public String sessionId;
    public long startTs;
    public long lastTs;
    /** The session's one event-time timer (at or before its deadline, see SessionTracker); -1 when none. */
    public long timer = -1;
    /** The latest end allowed by session.max-duration: the first event's time plus that. */
    public long maxEnd = -1;
    public int eventCount;
    public int[] countsByType = new int[EventType.values().length];
    public double cartValue;
    public double orderValue;
    public int cartSize;

    /** The item ids of the session's last item-bearing events, oldest first, at most session.kept-items. */
    public String[] items = NO_ITEMS;

    public OpenSession() {
    }

    static OpenSession start(String userId, ShopEvent first) {
        OpenSession s = new OpenSession();
        s.sessionId = userId + "-" + first.timestampMs();
        s.startTs = first.timestampMs();
        s.lastTs = first.timestampMs();
        return s;
    }

    void add(ShopEvent e, int keptItems) {
        eventCount++;
        countsByType[e.type().ordinal()]++;
        startTs = Math.min(startTs, e.timestampMs());
        lastTs = Math.max(lastTs, e.timestampMs());
        switch (e.type()) {
            case ADD_TO_CART -> {
                cartSize += e.quantity() == null ? 1 : e.quantity();
                cartValue += e.monetaryValue();
            }
            case REMOVE_FROM_CART -> {
                cartSize = Math.max(0, cartSize - (e.quantity() == null ? 1 : e.quantity()));
                cartValue = Math.max(0.0, cartValue - e.monetaryValue());
            }
            case ORDER -> {
                orderValue += e.monetaryValue();
                cartSize = 0;
                cartValue = 0.0;
            }
            default -> {
            }
        }
        if (e.itemId() != null) {
            remember(e.itemId(), keptItems);
        }
    }

    private void remember(String itemId, int keptItems) {
        if (items.length < keptItems) {
            items = Arrays.copyOf(items, items.length + 1);
        } else {
            System.arraycopy(items, 1, items, 0, items.length - 1); // drop the oldest
        }
        items[items.length - 1] = itemId;
    }

    /** The kept item ids, oldest first (a copy: the session's own array changes with the next event). */
    public String[] recentItems() {
        return items.clone();
    }

    public int count(EventType type) {
        return countsByType[type.ordinal()];
    }
}
