package com.shopsense.event;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

/**
 * Parses and validates one event JSON document (contract in docs/event-contract.md). Unknown fields are
 * ignored; anything else that breaks the contract raises {@link InvalidEventException} whose message is the
 * dead-letter reason ({@code code: detail}, code from {@link ReasonCodes#EVENT_PARSER}). Total: no input makes
 * it throw anything else, and what it returns satisfies every rule, so downstream code may trust the values
 * (ts within [2000, now + skew], money finite in [0, max], ids without control characters or lone surrogates).
 * Not thread-safe only in the sense that callers own it per task.
 */
public final class EventParser {
    /** The contract's field names: a duplicate_key detail may name these. */
    static final Set<String> FIELDS = Arrays.stream(ShopEvent.class.getRecordComponents())
            .map(c -> c.getName().equals("timestampMs") ? "ts" : c.getName()).collect(Collectors.toUnmodifiableSet());

    private final StrictJson json;
    private final EventLimits limits;
    private final LongSupplier clockMs;

    public EventParser(EventLimits limits, LongSupplier clockMs) {
        this.limits = limits;
        this.clockMs = clockMs;
        this.json = new StrictJson(limits.maxPayloadBytes(), FIELDS);
    }

    /** @param raw the record value; null is a tombstone */
    public ShopEvent parse(byte[] raw) throws InvalidEventException {
        return toEvent(json.readObject(raw));
    }

    private ShopEvent toEvent(JsonNode n) throws InvalidEventException {
        int maxId = limits.maxIdLength();
        String eventId = Fields.requiredId(n, "eventId", maxId);
        String userId = Fields.requiredId(n, "userId", maxId);
        String typeName = Fields.requiredId(n, "type", 64);
        EventType type = EventType.fromWireName(typeName);
        if (type == null) {
            throw new InvalidEventException(ReasonCodes.UNKNOWN_TYPE, "'" + SafeText.of(typeName, 32) + "'");
        }
        long ts = Timestamps.read(n, "ts", limits, clockMs.getAsLong());

        ShopEvent e = new ShopEvent(
                eventId, userId, type, ts,
                Fields.optionalId(n, "itemId", maxId),
                Fields.optionalId(n, "categoryId", maxId),
                Fields.optionalMoney(n, "price", limits.maxAmount()),
                Fields.optionalInt(n, "quantity", 1, limits.maxQuantity()),
                Fields.optionalMoney(n, "amount", limits.maxAmount()),
                Fields.optionalId(n, "currency", 8),
                Fields.optionalFreeText(n, "query", limits.maxQueryLength()),
                Fields.optionalId(n, "paymentMethod", 64),
                Fields.optionalId(n, "cardFingerprint", maxId),
                Fields.optionalId(n, "deviceId", maxId),
                Fields.optionalId(n, "ip", 64),
                Fields.optionalId(n, "country", 64),
                Fields.optionalInt(n, "rating", 1, 5),
                Fields.optionalFreeText(n, "text", limits.maxTextLength()),
                Fields.optionalId(n, "merchantId", maxId));
        checkTypeSpecific(e);
        return e;
    }

    private static void checkTypeSpecific(ShopEvent e) throws InvalidEventException {
        if (e.type().isItemEvent() && e.itemId() == null) {
            throw new InvalidEventException(ReasonCodes.MISSING_FIELD, "itemId is required for " + e.type().wireName());
        }
        if (e.type() == EventType.PAYMENT && e.amount() == null) {
            throw new InvalidEventException(ReasonCodes.MISSING_FIELD, "amount is required for payment");
        }
        if (e.type() == EventType.ORDER && e.amount() == null && e.price() == null && e.itemId() == null) {
            throw new InvalidEventException(ReasonCodes.MISSING_FIELD, "an order needs amount, price or itemId");
        }
        if (e.type() == EventType.REVIEW) {
            // A review is about a product (its insight is per product) and says something: stars, words or both.
            if (e.itemId() == null) {
                throw new InvalidEventException(ReasonCodes.MISSING_FIELD, "itemId is required for review");
            }
            if (e.text() == null && e.rating() == null) {
                throw new InvalidEventException(ReasonCodes.MISSING_FIELD, "a review needs text or rating");
            }
        }
    }
}
