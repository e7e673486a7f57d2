package com.shopsense.session;

import com.shopsense.event.EventType;
import com.shopsense.event.ShopEvent;
import com.shopsense.features.IntentFeatureEncoder;
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
    /** Events with a price &gt;= 0 and the sum of ln(1 + price) over them: the intent model's relative price. */
    public int pricedEvents;
    public double logPriceSum;

    /** The item ids of the session's last item-bearing events, oldest first, at most session.kept-items. */
    public String[] items = NO_ITEMS;
    /**
     * The item ids in the cart, oldest first, at most {@link #CART_ITEMS_KEPT} (the cart_abandoned action's
     * items): added by add_to_cart, removed by remove_from_cart, emptied by an order, like cartSize.
     */
    public String[] cartItems = NO_ITEMS;

    /** Bounds the cart's kept ids, so a bot adding thousands of items costs no more state than this. */
    public static final int CART_ITEMS_KEPT = 20;

    public OpenSession() {
    }

    /** A new session whose first event is {@code first} (not yet added). Public for the intent goldens' replay. */
    public static OpenSession start(String userId, ShopEvent first) {
        OpenSession s = new OpenSession();
        s.sessionId = userId + "-" + first.timestampMs();
        s.startTs = first.timestampMs();
        s.lastTs = first.timestampMs();
        return s;
    }

    /** Adds the event to the session's state (after it was encoded: the encoders read the state before it). */
    public void add(ShopEvent e, int keptItems) {
        eventCount++;
        countsByType[e.type().ordinal()]++;
        startTs = Math.min(startTs, e.timestampMs());
        lastTs = Math.max(lastTs, e.timestampMs());
        switch (e.type()) {
            case ADD_TO_CART -> {
                cartSize += e.quantity() == null ? 1 : e.quantity();
                cartValue += e.monetaryValue();
                addToCart(e.itemId());
            }
            case REMOVE_FROM_CART -> {
                cartSize = Math.max(0, cartSize - (e.quantity() == null ? 1 : e.quantity()));
                cartValue = Math.max(0.0, cartValue - e.monetaryValue());
                removeFromCart(e.itemId());
                if (cartSize == 0) {
                    cartItems = NO_ITEMS;
                }
            }
            case ORDER -> {
                orderValue += e.monetaryValue();
                cartSize = 0;
                cartValue = 0.0;
                cartItems = NO_ITEMS;
            }
            default -> {
            }
        }
        if (e.itemId() != null) {
            remember(e.itemId(), keptItems);
        }
        if (e.price() != null && e.price() >= 0) {
            pricedEvents++;
            logPriceSum += Math.log1p(e.price());
        }
    }

    /** What the intent encoder reads of this session before the next event (items: the array itself, read only). */
    public IntentFeatureEncoder.SessionContext intentContext(boolean boughtBefore) {
        return new IntentFeatureEncoder.SessionContext(startTs, cartSize, cartValue, items, pricedEvents, logPriceSum,
                boughtBefore);
    }

    private void remember(String itemId, int keptItems) {
        if (items.length < keptItems) {
            items = Arrays.copyOf(items, items.length + 1);
        } else {
            System.arraycopy(items, 1, items, 0, items.length - 1); // drop the oldest
        }
        items[items.length - 1] = itemId;
    }

    /** Keeps each id once; a full cart drops its oldest id (the newest are what a reminder shows). */
    private void addToCart(String itemId) {
        if (itemId == null || Arrays.asList(cartItems).contains(itemId)) {
            return;
        }
        if (cartItems.length < CART_ITEMS_KEPT) {
            cartItems = Arrays.copyOf(cartItems, cartItems.length + 1);
        } else {
            System.arraycopy(cartItems, 1, cartItems, 0, cartItems.length - 1);
        }
        cartItems[cartItems.length - 1] = itemId;
    }

    private void removeFromCart(String itemId) {
        int i = itemId == null ? -1 : Arrays.asList(cartItems).indexOf(itemId);
        if (i < 0) {
            return;
        }
        String[] kept = new String[cartItems.length - 1];
        System.arraycopy(cartItems, 0, kept, 0, i);
        System.arraycopy(cartItems, i + 1, kept, i, kept.length - i);
        cartItems = kept;
    }

    /** The kept item ids, oldest first (a copy: the session's own array changes with the next event). */
    public String[] recentItems() {
        return items.clone();
    }

    public int count(EventType type) {
        return countsByType[type.ordinal()];
    }
}
