package com.shopsense.event;

import java.util.Locale;

/**
 * The event types of the contract; {@link #wireName()} is the JSON spelling. Add new types at the end only:
 * state and the serializers store the ordinal ({@code ShopEventSerializer}, {@code OpenSession.countsByType}).
 */
public enum EventType {
    VIEW,
    SEARCH,
    ADD_TO_CART,
    REMOVE_FROM_CART,
    ORDER,
    PAYMENT,
    REVIEW,
    RECO_CLICK;

    private static final EventType[] VALUES = values();

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Returns the type for a wire name, or null when the name is not part of the contract. */
    public static EventType fromWireName(String name) {
        for (EventType t : VALUES) {
            if (t.wireName().equals(name)) {
                return t;
            }
        }
        return null;
    }

    /** Events that name an item: they feed the recommender. */
    public boolean isItemEvent() {
        return this == VIEW || this == ADD_TO_CART || this == REMOVE_FROM_CART || this == RECO_CLICK;
    }

    /** Events that move money: they are fraud-scored. */
    public boolean isMonetary() {
        return this == ORDER || this == PAYMENT;
    }
}
