package com.shopsense.event;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.function.LongSupplier;

/**
 * Parses and validates one event JSON document (contract in README "Event JSON"). Unknown fields
 * are ignored; anything else that breaks the contract raises {@link InvalidEventException} whose
 * message is the dead-letter reason. Not thread-safe only in the sense that callers own it per task.
 */
public final class EventParser {
    private final ObjectMapper mapper;
    private final EventLimits limits;
    private final LongSupplier clockMs;

    public EventParser(EventLimits limits, LongSupplier clockMs) {
        this.limits = limits;
        this.clockMs = clockMs;
        this.mapper = JsonMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(JsonParser.Feature.ALLOW_NON_NUMERIC_NUMBERS)
                .build();
        mapper.getFactory().setStreamReadConstraints(
                StreamReadConstraints.builder().maxNestingDepth(32).maxStringLength(limits.maxPayloadBytes()).build());
    }

    public ShopEvent parse(byte[] raw) throws InvalidEventException {
        if (raw == null || raw.length == 0) {
            throw new InvalidEventException("empty_payload", "record has no value");
        }
        if (raw.length > limits.maxPayloadBytes()) {
            throw new InvalidEventException("payload_too_large",
                    raw.length + " bytes > " + limits.maxPayloadBytes());
        }
        JsonNode root;
        try {
            root = mapper.readTree(raw);
        } catch (IOException e) {
            throw new InvalidEventException("malformed_json", firstLine(e.getMessage()));
        }
        if (root == null || !root.isObject()) {
            throw new InvalidEventException("not_an_object", "top-level JSON value must be an object");
        }
        return toEvent(root);
    }

    private ShopEvent toEvent(JsonNode n) throws InvalidEventException {
        String eventId = requiredString(n, "eventId", limits.maxIdLength());
        String userId = requiredString(n, "userId", limits.maxIdLength());
        String typeName = requiredString(n, "type", 64);
        EventType type = EventType.fromWireName(typeName);
        if (type == null) {
            throw new InvalidEventException("unknown_type", typeName);
        }
        long ts = timestamp(n, "ts", limits, clockMs.getAsLong());

        ShopEvent e = new ShopEvent(
                eventId, userId, type, ts,
                optionalString(n, "itemId", limits.maxIdLength()),
                optionalString(n, "categoryId", limits.maxIdLength()),
                optionalMoney(n, "price"),
                optionalInt(n, "quantity", 1, limits.maxQuantity()),
                optionalMoney(n, "amount"),
                optionalString(n, "currency", 8),
                optionalString(n, "query", limits.maxQueryLength()),
                optionalString(n, "paymentMethod", 64),
                optionalString(n, "cardFingerprint", limits.maxIdLength()),
                optionalString(n, "deviceId", limits.maxIdLength()),
                optionalString(n, "ip", 64),
                optionalString(n, "country", 64),
                optionalInt(n, "rating", 1, 5),
                optionalString(n, "text", limits.maxTextLength()),
                optionalString(n, "merchantId", limits.maxIdLength()));
        checkTypeSpecific(e);
        return e;
    }

    private static void checkTypeSpecific(ShopEvent e) throws InvalidEventException {
        if (e.type().isItemEvent() && e.itemId() == null) {
            throw new InvalidEventException("missing_field", "itemId is required for " + e.type().wireName());
        }
        if (e.type() == EventType.PAYMENT && e.amount() == null) {
            throw new InvalidEventException("missing_field", "amount is required for payment");
        }
        if (e.type() == EventType.ORDER && e.amount() == null && e.price() == null && e.itemId() == null) {
            throw new InvalidEventException("missing_field", "an order needs amount, price or itemId");
        }
    }

    /** A required time field: ISO-8601 text or epoch ms, from 2000-01-01 to now + maxFutureSkew. */
    static long timestamp(JsonNode n, String field, EventLimits limits, long nowMs) throws InvalidEventException {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            throw new InvalidEventException("missing_field", field);
        }
        long ms;
        if (v.isIntegralNumber() && v.canConvertToLong()) {
            ms = v.longValue();
        } else if (v.isTextual()) {
            ms = parseTimestampText(v.textValue());
        } else {
            throw new InvalidEventException("invalid_type", field + " must be ISO-8601 text or epoch milliseconds");
        }
        if (ms < limits.minTimestampMs()) {
            throw new InvalidEventException("ts_out_of_range", field + " " + ms + " is before 2000-01-01");
        }
        if (ms > nowMs + limits.maxFutureSkew().toMillis()) {
            throw new InvalidEventException("ts_out_of_range", field + " " + ms + " is in the future");
        }
        return ms;
    }

    private static long parseTimestampText(String s) throws InvalidEventException {
        if (!s.isEmpty() && s.length() <= 19 && s.chars().allMatch(Character::isDigit)) {
            return Long.parseLong(s);
        }
        try {
            return OffsetDateTime.parse(s, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant().toEpochMilli();
        } catch (DateTimeException notOffset) {
            try {
                return Instant.parse(s + (s.endsWith("Z") ? "" : "Z")).toEpochMilli();
            } catch (DateTimeException e) {
                throw new InvalidEventException("invalid_ts", "cannot read '" + truncate(s) + "' as ISO-8601");
            }
        }
    }

    static String requiredString(JsonNode n, String field, int maxLen) throws InvalidEventException {
        String s = optionalString(n, field, maxLen);
        if (s == null || s.isBlank()) {
            throw new InvalidEventException("missing_field", field);
        }
        return s;
    }

    static String optionalString(JsonNode n, String field, int maxLen) throws InvalidEventException {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        String s;
        if (v.isTextual()) {
            s = v.textValue();
        } else if (v.isIntegralNumber()) {
            s = v.asText(); // numeric ids are common in shop exports
        } else {
            throw new InvalidEventException("invalid_type", field + " must be a string");
        }
        if (s.length() > maxLen) {
            throw new InvalidEventException("field_too_large", field + " has " + s.length() + " chars > " + maxLen);
        }
        return s;
    }

    private Double optionalMoney(JsonNode n, String field) throws InvalidEventException {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isNumber()) {
            throw new InvalidEventException("invalid_type", field + " must be a number");
        }
        double d = v.doubleValue();
        if (!Double.isFinite(d) || d < 0) {
            throw new InvalidEventException("out_of_range", field + " must be a finite number >= 0, was " + v.asText());
        }
        if (d > limits.maxAmount()) {
            throw new InvalidEventException("out_of_range", field + " " + d + " > " + limits.maxAmount());
        }
        return d;
    }

    private static Integer optionalInt(JsonNode n, String field, int min, int max) throws InvalidEventException {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new InvalidEventException("invalid_type", field + " must be an integer");
        }
        int i = v.intValue();
        if (i < min || i > max) {
            throw new InvalidEventException("out_of_range", field + " " + i + " not in [" + min + ", " + max + "]");
        }
        return i;
    }

    static String firstLine(String s) {
        if (s == null) {
            return "unreadable";
        }
        int nl = s.indexOf('\n');
        return truncate(nl < 0 ? s : s.substring(0, nl));
    }

    private static String truncate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }
}
