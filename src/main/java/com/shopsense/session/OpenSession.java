package com.shopsense.session;

import com.shopsense.event.EventType;
import com.shopsense.event.ShopEvent;
import java.util.Arrays;

/**
 * The open session of one user, kept in keyed state (RocksDB). A Flink POJO: public fields and
 * arrays only, so the POJO serializer (not Kryo) handles it and its schema can evolve.
 * The last events are a bounded ring buffer, so a bot cannot grow this without limit.
 */
public class OpenSession {
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

    /** Ring buffer of the last events (oldest at ringStart). */
    public String[] recentItemIds = new String[0];
    public byte[] recentTypes = new byte[0];
    public long[] recentTs = new long[0];
    public int ringStart;
    public int ringSize;

    public OpenSession() {
    }

    static OpenSession start(String userId, ShopEvent first, int keptEvents) {
        OpenSession s = new OpenSession();
        s.sessionId = userId + "-" + first.timestampMs();
        s.startTs = first.timestampMs();
        s.lastTs = first.timestampMs();
        s.recentItemIds = new String[keptEvents];
        s.recentTypes = new byte[keptEvents];
        s.recentTs = new long[keptEvents];
        return s;
    }

    void add(ShopEvent e) {
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
        remember(e);
    }

    private void remember(ShopEvent e) {
        int cap = recentTs.length;
        if (cap == 0) {
            return;
        }
        int slot;
        if (ringSize < cap) {
            slot = (ringStart + ringSize) % cap;
            ringSize++;
        } else {
            slot = ringStart;
            ringStart = (ringStart + 1) % cap;
        }
        recentItemIds[slot] = e.itemId();
        recentTypes[slot] = (byte) e.type().ordinal();
        recentTs[slot] = e.timestampMs();
    }

    /** The item ids of the kept events that name an item, oldest first. */
    public String[] recentItems() {
        String[] out = new String[ringSize];
        int n = 0;
        for (int i = 0; i < ringSize; i++) {
            String item = recentItemIds[(ringStart + i) % recentItemIds.length];
            if (item != null) {
                out[n++] = item;
            }
        }
        return Arrays.copyOf(out, n);
    }

    public int count(EventType type) {
        return countsByType[type.ordinal()];
    }
}
