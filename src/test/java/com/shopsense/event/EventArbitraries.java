package com.shopsense.event;

import static com.shopsense.event.JsonArbitraries.F;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** Event records: valid ones of every type, hostile variants of them, and violations with their reason. */
final class EventArbitraries {
    static final ObjectMapper JSON = new ObjectMapper();
    static final List<String> FIELDS = List.of("eventId", "userId", "type", "ts", "itemId", "categoryId", "price",
            "quantity", "amount", "currency", "query", "paymentMethod", "cardFingerprint", "deviceId", "ip", "country",
            "rating", "text", "merchantId");

    private record Head(String eventId, String userId, EventType type, JsonNode ts) {
    }

    /** A record the contract forbids and the reason code it must get. */
    record Violation(String kind, byte[] raw, String code) {
        @Override
        public String toString() {
            return kind + " -> " + code + ": " + (raw == null ? "null" : new String(raw, java.nio.charset.StandardCharsets.UTF_8)
                    .substring(0, Math.min(300, raw.length)));
        }
    }

    private EventArbitraries() {
    }

    static Arbitrary<String> validIds() {
        Arbitrary<String> ascii = Arbitraries.strings().alpha().numeric().withChars('-', '_', ':', '.', '@')
                .ofMinLength(1).ofMaxLength(40).filter(s -> !s.isBlank());
        Arbitrary<String> unicode = Combinators.combine(ascii, Arbitraries.of("\u00E9", "\u4E2D\u6587", "\uD83D\uDE00",
                "\u05D0", "e\u0301", "\u0628")).as((a, u) -> a + u);
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(8, ascii), net.jqwik.api.Tuple.of(2, unicode));
    }

    /** A time the contract accepts, in one of its spellings. */
    static Arbitrary<JsonNode> validTs() {
        Arbitrary<Long> ms = Arbitraries.longs().between(EventLimits.YEAR_2000_MS, JsonArbitraries.NOW + 86_000_000L);
        Arbitrary<Integer> offsetMinutes = Arbitraries.integers().between(-18 * 60, 18 * 60);
        return Arbitraries.oneOf(
                ms.map(F::numberNode),
                ms.map(m -> F.textNode(Long.toString(m))),
                ms.map(m -> F.textNode(Instant.ofEpochMilli(m).toString())),
                Combinators.combine(ms, offsetMinutes).as((m, o) -> F.textNode(Instant.ofEpochMilli(m)
                        .atOffset(ZoneOffset.ofTotalSeconds(o * 60)).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME))),
                ms.map(m -> F.textNode(Instant.ofEpochMilli(m).atOffset(ZoneOffset.UTC).toLocalDateTime().toString())));
    }

    static Arbitrary<String> freeText() {
        return Arbitraries.strings().alpha().numeric().withChars(' ', '\n', '\t', '\r', '!', '?', '\u200F', '\u200D',
                        '\u05D0', '\u0301', '"', '\\')
                .ofMaxLength(300).map(s -> s + "\uD83D\uDC4D");
    }

    /** A valid event of any type, as a JSON object (optional fields sometimes, unknown fields sometimes). */
    static Arbitrary<ObjectNode> validEvents() {
        Arbitrary<EventType> type = Arbitraries.of(EventType.class);
        Arbitrary<Double> money = Arbitraries.oneOf(Arbitraries.doubles().between(0, 1_000_000).ofScale(2),
                Arbitraries.of(0.0, 1_000_000.0, 0.01));
        Arbitrary<Head> head = Combinators.combine(validIds(), validIds(), type, validTs()).as(Head::new);
        return Combinators.combine(head, validIds(), money, money, Arbitraries.integers().between(1, 10_000),
                        Arbitraries.integers().between(1, 5), freeText())
                .as((hd, item, price, amount, qty, rating, text) -> {
                    String eventId = hd.eventId();
                    String userId = hd.userId();
                    EventType t = hd.type();
                    JsonNode ts = hd.ts();
                    ObjectNode n = F.objectNode();
                    n.put("eventId", eventId).put("userId", userId).put("type", t.wireName()).set("ts", ts);
                    int h = Math.abs((eventId + userId).hashCode()); // which optional fields, deterministic per case
                    if (t.isItemEvent() || t == EventType.REVIEW || (h & 1) == 0) {
                        n.put("itemId", item);
                    }
                    if ((h & 2) == 0) {
                        n.put("categoryId", "c-" + item);
                    }
                    if ((h & 4) == 0) {
                        n.put("price", price);
                    }
                    if ((h & 8) == 0) {
                        n.put("quantity", qty);
                    }
                    if (t == EventType.PAYMENT || t == EventType.ORDER || (h & 16) == 0) {
                        n.put("amount", amount);
                    }
                    if (t.isMonetary()) {
                        n.put("currency", "EUR").put("paymentMethod", "card").put("cardFingerprint", "fp-" + userId)
                                .put("merchantId", "m-" + item).put("ip", "10.0.0." + (h % 256));
                    }
                    if ((h & 32) == 0) {
                        n.put("deviceId", "d-" + userId).put("country", "DE");
                    }
                    if (t == EventType.SEARCH) {
                        n.put("query", text.substring(0, Math.min(text.length(), 500)));
                    }
                    if (t == EventType.REVIEW) {
                        int says = (h >> 7) % 3; // stars and words, words only, stars only
                        if (says != 2) {
                            n.put("text", text);
                        }
                        if (says != 1) {
                            n.put("rating", rating);
                        }
                    }
                    if ((h & 64) == 0) {
                        n.set("somethingNew", F.objectNode().put("v", 1).set("list", F.arrayNode().add(1).add("x")));
                    }
                    return n;
                });
    }

    static Arbitrary<byte[]> validRecords() {
        return validEvents().map(EventArbitraries::bytes);
    }

    /** Valid events with 1-3 fields set to edge values, removed, or added twice, or the structure broken. */
    static Arbitrary<byte[]> hostileRecords() {
        Arbitrary<String> field = Arbitraries.oneOf(Arbitraries.of(FIELDS), Arbitraries.of("extra", "Ts", "ts ", ""));
        Arbitrary<Edit> edit = Arbitraries.oneOf(
                Combinators.combine(field, JsonArbitraries.anyValue()).as(Edit::set),
                Combinators.combine(field, JsonArbitraries.timestamps()).as(Edit::set),
                field.map(Edit::remove),
                Combinators.combine(field, JsonArbitraries.anyValue()).as(Edit::duplicate));
        Arbitrary<byte[]> edited = Combinators.combine(validEvents(), edit.list().ofMinSize(1).ofMaxSize(3))
                .as((n, edits) -> {
                    String json = n.toString();
                    for (Edit e : edits) {
                        json = e.apply(json);
                    }
                    return wire(json);
                });
        Arbitrary<byte[]> structural = Combinators.combine(validRecords(), Arbitraries.integers().between(0, 7))
                .as((raw, kind) -> {
                    String s = new String(raw, java.nio.charset.StandardCharsets.UTF_8);
                    return JsonArbitraries.utf8(switch (kind) {
                        case 0 -> "[" + s + "]";
                        case 1 -> s + s;
                        case 2 -> s + " x";
                        case 3 -> "{\"wrap\":" + s + "}";
                        case 4 -> s.replace("}", ",}");
                        case 5 -> "[".repeat(40) + "]".repeat(40);
                        case 6 -> s.substring(0, s.length() - 1) + ",\"deep\":" + "[".repeat(33) + "]".repeat(33) + "}";
                        default -> "\uFEFF" + s; // a byte-order mark
                    });
                });
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(8, edited), net.jqwik.api.Tuple.of(1, structural),
                net.jqwik.api.Tuple.of(1, Arbitraries.of(new byte[0], JsonArbitraries.utf8("null"),
                        JsonArbitraries.utf8("{}"), JsonArbitraries.utf8(" "), JsonArbitraries.utf8("\"x\""))));
    }

    /** One textual change to a serialized object; textual so a key can be written twice. */
    record Edit(String kind, String field, JsonNode value) {
        static Edit set(String field, JsonNode value) {
            return new Edit("set", field, value);
        }

        static Edit remove(String field) {
            return new Edit("remove", field, null);
        }

        static Edit duplicate(String field, JsonNode value) {
            return new Edit("duplicate", field, value);
        }

        String apply(String json) {
            try {
                if (kind.equals("duplicate")) {
                    return json.substring(0, json.length() - 1) + "," + JSON.writeValueAsString(field) + ":"
                            + value.toString() + "}";
                }
                ObjectNode n = (ObjectNode) JSON.readTree(json); // the edits keep the text readable (no duplicate yet)
                if (kind.equals("set")) {
                    n.set(field, value);
                } else {
                    n.remove(field);
                }
                return n.toString();
            } catch (Exception e) {
                // An earlier duplicate edit: plain Jackson keeps the last value; append instead.
                return json.substring(0, json.length() - 1) + ",\"" + field + "\":" + (value == null ? "null" : value) + "}";
            }
        }
    }

    /** Single, known contract violations in otherwise valid events, with the code each must get. */
    static Arbitrary<Violation> violations() {
        Arbitrary<String> idField = Arbitraries.of(ContractOracle.ID_FIELDS).filter(f -> !f.equals("type"));
        Arbitrary<Character> controlOrFormat = Arbitraries.of('\u0000', '\u0007', '\n', '\u001B', '\u007F', '\u0085',
                '\u200B', '\u200E', '\u202E', '\u2066', '\uFEFF', '\u2028', '\u00AD');
        Arbitrary<Character> loneSurrogate = Arbitraries.chars().range('\uD800', '\uDFFF');
        Arbitrary<Character> textControl = Arbitraries.of('\u0000', '\u0001', '\u0008', '\u000B', '\u001B', '\u007F',
                '\u009B');
        Arbitrary<Violation> badIdChar = Combinators.combine(validEvents(), idField, controlOrFormat)
                .as((n, f, c) -> violation("control/format char in " + f, n.put(f, "a" + c + "b"), ReasonCodes.CONTROL_CHAR));
        Arbitrary<Violation> surrogateInId = Combinators.combine(validEvents(), idField, loneSurrogate)
                .as((n, f, c) -> violation("lone surrogate in " + f, n.put(f, "a" + c), ReasonCodes.INVALID_UNICODE));
        Arbitrary<Violation> badTextChar = Combinators.combine(validEvents(), Arbitraries.of("query", "text"),
                        textControl, loneSurrogate, Arbitraries.of(true, false))
                .as((n, f, c, s, control) -> violation((control ? "control char" : "lone surrogate") + " in " + f,
                        n.put(f, "free text " + (control ? c : s) + " more"),
                        control ? ReasonCodes.CONTROL_CHAR : ReasonCodes.INVALID_UNICODE));
        Arbitrary<Violation> duplicateKey = Combinators.combine(validEvents(), Arbitraries.of(FIELDS))
                .as((n, f) -> {
                    String s = n.toString();
                    JsonNode again = n.has(f) ? n.get(f) : F.textNode("x");
                    String pair = ",\"" + f + "\":" + again;
                    return new Violation("duplicate " + f, wire(s.substring(0, s.length() - 1) + pair
                            + (n.has(f) ? "" : pair) + "}"), ReasonCodes.DUPLICATE_KEY);
                });
        Arbitrary<JsonNode> killerTs = Arbitraries.oneOf(
                Arbitraries.strings().numeric().ofMinLength(19).ofMaxLength(60).map(F::textNode),
                Arbitraries.of(F.numberNode(Long.MAX_VALUE), F.numberNode(Long.MIN_VALUE),
                        F.numberNode(new java.math.BigInteger("9".repeat(30))), F.textNode("+999999999-12-31T23:59:59Z"),
                        F.textNode("-999999999-01-01T00:00:00Z"), F.textNode("+999999999-12-31T23:59:59.999999999-18:00"),
                        F.textNode("+10000-01-01T00:00:00Z"), F.textNode("1970-01-01T00:00:00Z")),
                Arbitraries.integers().between(-999_999_999, 999_999_999).filter(y -> y < 1999 || y > 2027)
                        .map(y -> F.textNode((y > 9999 ? "+" : "") + (y < 0 ? "-" + String.format("%04d", -y)
                                : String.format("%04d", y)) + "-06-15T12:00:00Z")));
        Arbitrary<Violation> extremeTs = Combinators.combine(validEvents(), killerTs)
                .as((n, ts) -> violation("extreme ts " + ts, (ObjectNode) n.set("ts", ts), ReasonCodes.TS_OUT_OF_RANGE));
        Arbitrary<Violation> noValue = Arbitraries.of(new Violation("tombstone", null, ReasonCodes.TOMBSTONE),
                new Violation("zero-length", new byte[0], ReasonCodes.EMPTY_PAYLOAD));
        Arbitrary<Violation> unreadableTs = Combinators.combine(validEvents(),
                        Arbitraries.of("yesterday", "2024-13-01T00:00:00Z", "2024-06-15 12:00", "12:00:00Z", "T"))
                .as((n, ts) -> violation("unreadable ts " + ts, n.put("ts", ts), ReasonCodes.INVALID_TS));
        Arbitrary<Violation> hugeMoney = Combinators.combine(validEvents(), Arbitraries.of("price", "amount"),
                        Arbitraries.of(1e13, 1e300, -0.01, -1e13))
                .as((n, f, v) -> violation(f + " " + v, n.put(f, v), ReasonCodes.OUT_OF_RANGE));
        Arbitrary<Violation> longId = Combinators.combine(validEvents(), Arbitraries.of("itemId", "merchantId", "deviceId"),
                        Arbitraries.integers().between(129, 20_000))
                .as((n, f, len) -> violation(len + "-char " + f, n.put(f, "x".repeat(len)), ReasonCodes.FIELD_TOO_LARGE));
        return Arbitraries.oneOf(badIdChar, surrogateInId, badTextChar, duplicateKey, extremeTs, noValue,
                unreadableTs, hugeMoney, longId);
    }

    private static Violation violation(String kind, ObjectNode n, String code) {
        return new Violation(kind, bytes(n), code);
    }

    static byte[] bytes(JsonNode n) {
        return wire(n.toString());
    }

    /**
     * JSON text to bytes. Java's UTF-8 encoder would turn a lone surrogate into '?', so text holding one is
     * sent with every non-ASCII char escaped (what a producer in another language may well send).
     */
    static byte[] wire(String json) {
        byte[] b = JsonArbitraries.utf8(json);
        return new String(b, java.nio.charset.StandardCharsets.UTF_8).equals(json) ? b
                : JsonArbitraries.utf8(escapeSurrogates(json));
    }

    /** n.toString() keeps lone surrogates as chars; spell every non-ASCII char as \\uXXXX, which is valid JSON. */
    private static String escapeSurrogates(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            if (c >= 0x80) {
                b.append(String.format("\\u%04X", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
