package com.shopsense.event;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An independent reading of the contract (docs/event-contract.md), written without the parser's code: given
 * the raw bytes a parser accepted and what it made of them, lists every rule the acceptance broke. Its own
 * duplicate-key scan, its own character rules (regex classes and a UTF-8 round trip instead of char
 * checks), its own range checks, and a field-by-field comparison with a plain Jackson reading of the bytes
 * (so a value cannot be changed, dropped or invented on the way).
 */
final class ContractOracle {
    private static final ObjectMapper PLAIN = new ObjectMapper();
    private static final JsonFactory FACTORY = new JsonFactory();
    /** Control (Cc), format (Cf), line and paragraph separators. */
    private static final Pattern NOT_IN_IDS = Pattern.compile("[\\p{Cc}\\p{Cf}\\p{Zl}\\p{Zp}]");
    /** Control characters other than tab, LF, CR. */
    private static final Pattern NOT_IN_TEXT = Pattern.compile("[\\p{Cc}&&[^\\t\\n\\r]]");

    static final List<String> ID_FIELDS = List.of("eventId", "userId", "type", "itemId", "categoryId", "currency",
            "paymentMethod", "cardFingerprint", "deviceId", "ip", "country", "merchantId");
    static final List<String> TEXT_FIELDS = List.of("query", "text");

    private final EventLimits limits;
    private final long nowMs;
    private final List<String> violations = new ArrayList<>();

    private ContractOracle(EventLimits limits, long nowMs) {
        this.limits = limits;
        this.nowMs = nowMs;
    }

    /** The rules {@code accepted} breaks, given it was parsed from {@code raw}; empty = a legal acceptance. */
    static List<String> eventViolations(byte[] raw, ShopEvent e, EventLimits limits, long nowMs) {
        ContractOracle o = new ContractOracle(limits, nowMs);
        JsonNode n = o.envelope(raw);
        if (n != null) {
            o.event(n, e);
        }
        return o.violations;
    }

    static List<String> labelViolations(byte[] raw, FraudLabel l, EventLimits limits, long nowMs) {
        ContractOracle o = new ContractOracle(limits, nowMs);
        JsonNode n = o.envelope(raw);
        if (n != null) {
            o.label(n, l);
        }
        return o.violations;
    }

    private void fail(String rule) {
        violations.add(rule);
    }

    private JsonNode envelope(byte[] raw) {
        if (raw == null || raw.length == 0) {
            fail("accepted a record without a value");
            return null;
        }
        if (raw.length > limits.maxPayloadBytes()) {
            fail("accepted " + raw.length + " bytes > max payload");
        }
        String dup = duplicateKey(raw);
        if (dup != null) {
            fail(dup);
        }
        try {
            JsonNode n = PLAIN.readTree(raw);
            if (n == null || !n.isObject()) {
                fail("accepted a non-object");
                return null;
            }
            return n;
        } catch (IOException ex) {
            fail("accepted what plain Jackson cannot read: " + ex.getMessage());
            return null;
        }
    }

    /** A key twice in one object at any depth, or more than one top-level value, by a token scan of our own. */
    private static String duplicateKey(byte[] raw) {
        try (JsonParser p = FACTORY.createParser(raw)) {
            Deque<Set<String>> objects = new ArrayDeque<>();
            JsonToken t;
            int topLevel = 0;
            while ((t = p.nextToken()) != null) {
                if (objects.isEmpty() && (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY || t.isScalarValue())) {
                    topLevel++;
                }
                switch (t) {
                    case START_OBJECT -> objects.push(new HashSet<>());
                    case START_ARRAY -> objects.push(new HashSet<>(Set.of("\u0000array")));
                    case END_OBJECT, END_ARRAY -> objects.pop();
                    case FIELD_NAME -> {
                        if (!objects.peek().add(p.currentName())) {
                            return "accepted a duplicate key";
                        }
                    }
                    default -> {
                    }
                }
            }
            return topLevel > 1 ? "accepted trailing values" : null;
        } catch (IOException e) {
            return null; // unreadable: envelope() reports it
        }
    }

    private void event(JsonNode n, ShopEvent e) {
        for (String f : ID_FIELDS) {
            String v = f.equals("type") ? (e.type() == null ? null : e.type().wireName()) : stringOf(e, f);
            sameText(n, f, v);
            if (v != null) {
                idRules(f, v, f.equals("type") ? 64 : idLimit(f));
            }
        }
        for (String f : TEXT_FIELDS) {
            String v = stringOf(e, f);
            sameText(n, f, v);
            if (v != null) {
                textRules(f, v, f.equals("query") ? limits.maxQueryLength() : limits.maxTextLength());
            }
        }
        required(e.eventId(), "eventId");
        required(e.userId(), "userId");
        if (e.type() == null) {
            fail("no type");
            return;
        }
        timestamp(n.get("ts"), e.timestampMs(), "ts");
        money(n, "price", e.price());
        money(n, "amount", e.amount());
        integer(n, "quantity", e.quantity(), 1, limits.maxQuantity());
        integer(n, "rating", e.rating(), 1, 5);
        switch (e.type()) {
            case VIEW, ADD_TO_CART, REMOVE_FROM_CART, RECO_CLICK -> {
                if (e.itemId() == null) {
                    fail(e.type() + " without itemId");
                }
            }
            case PAYMENT -> {
                if (e.amount() == null) {
                    fail("payment without amount");
                }
            }
            case ORDER -> {
                if (e.amount() == null && e.price() == null && e.itemId() == null) {
                    fail("order without amount, price or itemId");
                }
            }
            case REVIEW -> {
                if (e.itemId() == null) {
                    fail("review without itemId");
                }
                if (e.text() == null && e.rating() == null) {
                    fail("review without text and rating");
                }
            }
            default -> {
            }
        }
        double value = e.monetaryValue();
        if (!Double.isFinite(value) || value < 0) {
            fail("monetary value " + value);
        }
    }

    private void label(JsonNode n, FraudLabel l) {
        String[][] ids = {{"labelId", l.labelId()}, {"eventId", l.eventId()}, {"alertId", l.alertId()},
                {"userId", l.userId()}, {"merchantId", l.merchantId()}};
        for (String[] f : ids) {
            sameText(n, f[0], f[1]);
            if (f[1] != null) {
                idRules(f[0], f[1], limits.maxIdLength());
            }
        }
        required(l.labelId(), "labelId");
        required(l.eventId(), "eventId");
        JsonNode label = n.get("label");
        if (label == null || !label.isTextual() || !Set.of("fraud", "legit").contains(label.textValue())
                || l.fraud() != label.textValue().equals("fraud")) {
            fail("label is not fraud|legit or read wrongly");
        }
        JsonNode source = n.get("source");
        if (source == null || !source.isTextual() || !source.textValue().equals(l.source())
                || !Set.of("case", "chargeback").contains(l.source())) {
            fail("source is not case|chargeback or read wrongly");
        }
        timestamp(n.get("decidedAt"), l.decidedAt(), "decidedAt");
    }

    private int idLimit(String f) {
        return switch (f) {
            case "currency" -> 8;
            case "paymentMethod", "ip", "country" -> 64;
            default -> limits.maxIdLength();
        };
    }

    private void required(String v, String f) {
        if (v == null || v.trim().isEmpty() || v.codePoints().allMatch(Character::isWhitespace)) {
            fail(f + " missing or blank");
        }
    }

    /** The event holds exactly the JSON's text (or integer spelled out), or null when the JSON has none. */
    private void sameText(JsonNode n, String f, String v) {
        JsonNode j = n.get(f);
        String expected = j == null || j.isNull() ? null
                : j.isTextual() ? j.textValue() : j.isIntegralNumber() ? j.asText() : "<" + j.getNodeType() + ">";
        if (!Objects.equals(expected, v)) {
            fail(f + " is not what the JSON holds");
        }
    }

    private void idRules(String f, String v, int max) {
        if (v.length() > max) {
            fail(f + " longer than " + max);
        }
        if (!roundTripsThroughUtf8(v)) {
            fail(f + " is not valid Unicode (lone surrogate)");
        }
        if (NOT_IN_IDS.matcher(v).find()) {
            fail(f + " has a control or format character");
        }
    }

    private void textRules(String f, String v, int max) {
        if (v.length() > max) {
            fail(f + " longer than " + max);
        }
        if (!roundTripsThroughUtf8(v)) {
            fail(f + " is not valid Unicode (lone surrogate)");
        }
        if (NOT_IN_TEXT.matcher(v).find()) {
            fail(f + " has a control character");
        }
    }

    private static boolean roundTripsThroughUtf8(String s) {
        return new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8).equals(s);
    }

    private void timestamp(JsonNode j, long ms, String f) {
        long max = nowMs + limits.maxFutureSkew().toMillis();
        if (ms < limits.minTimestampMs() || ms > max) {
            fail(f + " " + ms + " outside [2000, now + skew]");
        }
        if (j == null || j.isNull()) {
            fail(f + " missing");
        } else if (j.isIntegralNumber()) {
            if (!j.canConvertToLong() || j.longValue() != ms) {
                fail(f + " is not the JSON's integer");
            }
        } else if (j.isTextual()) {
            String s = j.textValue();
            if (s.matches("[0-9]+")) {
                if (s.length() > 18 || Long.parseLong(s) != ms) {
                    fail(f + " is not the JSON's digits");
                }
            } else {
                Long iso = isoInstant(s);
                if (iso != null && iso != ms) {
                    fail(f + " " + ms + " is not the instant " + s);
                }
            }
        } else {
            fail(f + " accepted from a " + j.getNodeType());
        }
    }

    /** java.time's own reading of ISO text with an offset or Z (leap seconds as :59), or null when it has none. */
    private static Long isoInstant(String s) {
        try {
            Instant i = Instant.parse(s);
            return i.toEpochMilli();
        } catch (RuntimeException e) {
            return null; // a local date-time without offset, or something Instant.parse does not read: range only
        }
    }

    private void money(JsonNode n, String f, Double v) {
        JsonNode j = n.get(f);
        if (j == null || j.isNull()) {
            if (v != null) {
                fail(f + " invented");
            }
            return;
        }
        if (v == null || !j.isNumber()) {
            fail(f + " dropped or accepted from a " + j.getNodeType());
            return;
        }
        if (!Double.isFinite(v) || v < 0 || v > limits.maxAmount()) {
            fail(f + " " + v + " outside [0, max]");
        }
        if (Double.doubleToRawLongBits(v) == Double.doubleToRawLongBits(-0.0)) {
            fail(f + " is negative zero");
        }
        if (j.doubleValue() != v) {
            fail(f + " is not the JSON's number");
        }
    }

    private void integer(JsonNode n, String f, Integer v, int min, int max) {
        JsonNode j = n.get(f);
        if (j == null || j.isNull()) {
            if (v != null) {
                fail(f + " invented");
            }
            return;
        }
        if (v == null || !j.isIntegralNumber() || !j.canConvertToInt() || j.intValue() != v) {
            fail(f + " dropped or not the JSON's integer");
            return;
        }
        if (v < min || v > max) {
            fail(f + " " + v + " outside [" + min + ", " + max + "]");
        }
    }

    private static String stringOf(ShopEvent e, String f) {
        return switch (f) {
            case "eventId" -> e.eventId();
            case "userId" -> e.userId();
            case "itemId" -> e.itemId();
            case "categoryId" -> e.categoryId();
            case "currency" -> e.currency();
            case "paymentMethod" -> e.paymentMethod();
            case "cardFingerprint" -> e.cardFingerprint();
            case "deviceId" -> e.deviceId();
            case "ip" -> e.ip();
            case "country" -> e.country();
            case "merchantId" -> e.merchantId();
            case "query" -> e.query();
            case "text" -> e.text();
            default -> throw new IllegalArgumentException(f);
        };
    }
}
