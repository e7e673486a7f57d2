package com.shopsense.event;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/** Writes an event in the contract's JSON (ts as ISO-8601 UTC); the inverse of {@link EventParser}. */
public final class EventJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private EventJson() {
    }

    public static ObjectNode toNode(ShopEvent e) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("eventId", e.eventId());
        n.put("userId", e.userId());
        n.put("type", e.type().wireName());
        n.put("ts", Instant.ofEpochMilli(e.timestampMs()).toString());
        putIfPresent(n, "itemId", e.itemId());
        putIfPresent(n, "categoryId", e.categoryId());
        if (e.price() != null) {
            n.put("price", e.price());
        }
        if (e.quantity() != null) {
            n.put("quantity", e.quantity());
        }
        if (e.amount() != null) {
            n.put("amount", e.amount());
        }
        putIfPresent(n, "currency", e.currency());
        putIfPresent(n, "query", e.query());
        putIfPresent(n, "paymentMethod", e.paymentMethod());
        putIfPresent(n, "cardFingerprint", e.cardFingerprint());
        putIfPresent(n, "deviceId", e.deviceId());
        putIfPresent(n, "ip", e.ip());
        putIfPresent(n, "country", e.country());
        if (e.rating() != null) {
            n.put("rating", e.rating());
        }
        putIfPresent(n, "text", e.text());
        putIfPresent(n, "merchantId", e.merchantId());
        return n;
    }

    public static byte[] toBytes(ShopEvent e) {
        try {
            return MAPPER.writeValueAsBytes(toNode(e));
        } catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
            throw new IllegalStateException("cannot serialize event " + e.eventId(), ex);
        }
    }

    private static void putIfPresent(ObjectNode n, String field, String value) {
        if (value != null) {
            n.put(field, value);
        }
    }
}
