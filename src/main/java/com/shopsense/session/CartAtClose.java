package com.shopsense.session;

/**
 * What was left in the cart when a session closed (nothing, for most sessions): carried to the intent stage, which
 * knows the session's latest intent, as a close marker on the session-event stream ({@link SessionEvent#closedCart}).
 *
 * @param items the cart's item ids, oldest first, at most {@link OpenSession#CART_ITEMS_KEPT}
 * @param value the cart's value (add_to_cart values minus removals)
 * @param size items in the cart (quantities)
 * @param closeReason {@link SessionClosed#BY_GAP} or {@link SessionClosed#BY_MAX_DURATION}
 */
public record CartAtClose(String[] items, double value, int size, String closeReason) {
}
