package com.shopsense.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Edge-case JSON values for any field of any record: numbers at and beyond every limit, strings with every
 * kind of awkward character, timestamps in every spelling (and misspelling), wrong types, deep structures.
 * Shared by the event and label fuzz tests.
 */
final class JsonArbitraries {
    static final JsonNodeFactory F = JsonNodeFactory.instance;
    static final long NOW = Instant.parse("2026-06-01T00:00:00Z").toEpochMilli();

    private JsonArbitraries() {
    }

    /** Any JSON value a hostile producer might put in a field. */
    static Arbitrary<JsonNode> anyValue() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, numbers()),
                net.jqwik.api.Tuple.of(5, strings().map(F::textNode)),
                net.jqwik.api.Tuple.of(4, timestamps()),
                net.jqwik.api.Tuple.of(1, Arbitraries.of(F.nullNode(), F.booleanNode(true), F.booleanNode(false))),
                net.jqwik.api.Tuple.of(1, structures()));
    }

    /** Integers and decimals around every boundary: overflow, 19+ digits, huge/tiny exponents, negative zero. */
    static Arbitrary<JsonNode> numbers() {
        Arbitrary<JsonNode> specials = Arbitraries.of(
                F.numberNode(Long.MAX_VALUE), F.numberNode(Long.MIN_VALUE), F.numberNode(Integer.MAX_VALUE),
                F.numberNode(Integer.MIN_VALUE), F.numberNode(0), F.numberNode(-0.0), F.numberNode(1),
                F.numberNode(5), F.numberNode(6), F.numberNode(10_000), F.numberNode(10_001),
                F.numberNode(1_000_000.0), F.numberNode(1_000_000.000001), F.numberNode(Double.MAX_VALUE),
                F.numberNode(Double.MIN_VALUE), F.numberNode(-Double.MIN_VALUE), F.numberNode(1e-300),
                F.numberNode(new BigDecimal("1e400")), F.numberNode(new BigDecimal("1e-400")),
                F.numberNode(new BigDecimal("-1e400")), F.numberNode(new BigDecimal("1E+999999999")),
                F.numberNode(new BigDecimal("9.99999999999999999999999999E-999999999")),
                F.numberNode(new BigInteger("9".repeat(19))), F.numberNode(new BigInteger("9".repeat(40))),
                F.numberNode(new BigInteger("-" + "9".repeat(25))), F.numberNode(new BigInteger("1" + "0".repeat(999))),
                F.numberNode(EventLimits.YEAR_2000_MS), F.numberNode(EventLimits.YEAR_2000_MS - 1),
                F.numberNode(NOW / 1000), F.numberNode(NOW * 1000), F.numberNode(1.5), F.numberNode(4.0));
        Arbitrary<JsonNode> longs = Arbitraries.longs().map(F::numberNode);
        Arbitrary<JsonNode> ints = Arbitraries.integers().between(-10, 20_000).map(F::numberNode);
        Arbitrary<JsonNode> doubles = Arbitraries.doubles().between(-2e6, 2e6).map(F::numberNode);
        Arbitrary<JsonNode> bigIntegers = Arbitraries.bigIntegers()
                .between(BigInteger.TEN.pow(18).negate().multiply(BigInteger.TEN.pow(10)), BigInteger.TEN.pow(30))
                .map(F::numberNode);
        Arbitrary<JsonNode> exponents = Combinators.combine(Arbitraries.integers().between(1, 9),
                        Arbitraries.integers().between(-500, 500))
                .as((m, e) -> F.numberNode(new BigDecimal(m + "E" + e)));
        return Arbitraries.oneOf(specials, longs, ints, doubles, bigIntegers, exponents);
    }

    /** Time values: epoch ms in and out of range, seconds instead of ms, ISO text with extreme years and offsets. */
    static Arbitrary<JsonNode> timestamps() {
        Arbitrary<Long> inRange = Arbitraries.longs().between(EventLimits.YEAR_2000_MS, NOW + 86_400_000L);
        Arbitrary<Long> anyMs = Arbitraries.oneOf(inRange, Arbitraries.longs(),
                Arbitraries.longs().between(0, NOW / 1000)); // epoch seconds by mistake
        Arbitrary<JsonNode> numeric = anyMs.map(F::numberNode);
        Arbitrary<JsonNode> digits = Arbitraries.oneOf(anyMs.filter(l -> l >= 0).map(String::valueOf),
                        Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(30))
                .map(F::textNode);
        return Arbitraries.oneOf(numeric, digits, isoText().map(F::textNode), Arbitraries.of(
                "+999999999-12-31T23:59:59Z", "-999999999-01-01T00:00:00Z", "+999999999-12-31T23:59:59.999999999-18:00",
                "-999999999-01-01T00:00:00+18:00", "+1000000000-01-01T00:00:00Z", "9999999999999999999",
                "99999999999999999999", "2016-12-31T23:59:60Z", "2016-12-31T23:59:60.999+00:00",
                "2017-01-01T05:29:60+05:30", "2025-06-01T24:00:00Z", "2025-02-29T10:00:00Z", "2024-02-29T10:00:00Z",
                "2025-06-01T10:00:00+18:01", "2025-06-01T10:00:00+24:00", "2025-06-01T10:00:00-00:00",
                "2025-06-01T10:00:00.1234567891Z", "2025-06-01", "10:00:00", "2025-06-01T10:00:00 Z",
                "2025-06-01t10:00:00z", "1970-01-01T00:00:00Z", "2000-01-01T00:00:00Z", "1999-12-31T23:59:59.999Z",
                "\u0661\u0667\u0660\u0660\u0660\u0660\u0660\u0660\u0660\u0660\u0660\u0660\u0660", " 1700000000000",
                "1700000000000 ", "-1700000000000", "+1700000000000", "1.7e12", "").map(F::textNode));
    }

    /** ISO-8601-looking text: random years (including 5+ digits and signs), fields out of range, any offset. */
    static Arbitrary<String> isoText() {
        Arbitrary<String> year = Arbitraries.oneOf(Arbitraries.integers().between(1995, 2027).map(String::valueOf),
                Arbitraries.integers().between(-999_999_999, 999_999_999).map(y -> (y >= 0 ? "+" : "") + y),
                Arbitraries.integers().between(0, 9999).map(y -> String.format("%04d", y)));
        // Mostly valid fields, so that extreme years and offsets reach the range checks, sometimes any two digits.
        Arbitrary<String> month = twoDigits(1, 12);
        Arbitrary<String> day = twoDigits(1, 28);
        Arbitrary<String> hour = twoDigits(0, 23);
        Arbitrary<String> minute = twoDigits(0, 59);
        Arbitrary<String> second = Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(8, twoDigits(0, 59)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just("60")));
        Arbitrary<String> fraction = Arbitraries.oneOf(Arbitraries.just(""),
                Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(12).map(s -> "." + s));
        Arbitrary<String> offset = Arbitraries.oneOf(Arbitraries.of("Z", "z", "", "+00:00", "-00:00", "+18:00", "-18:00"),
                Combinators.combine(Arbitraries.of("+", "-"), Arbitraries.integers().between(0, 25),
                        Arbitraries.integers().between(0, 60)).as((s, h, m) -> String.format("%s%02d:%02d", s, h, m)));
        return Combinators.combine(year, month, day, hour, minute, second, fraction, offset)
                .as((y, mo, d, h, mi, s, f, o) -> y + "-" + mo + "-" + d + "T" + h + ":" + mi + ":" + s + f + o);
    }

    private static Arbitrary<String> twoDigits(int min, int max) {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Arbitraries.integers().between(min, max).map(i -> String.format("%02d", i))),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(0, 99).map(i -> String.format("%02d", i))));
    }

    /** Strings: plain ids, and every awkward character class, short and long. */
    static Arbitrary<String> strings() {
        Arbitrary<Character> awkward = Arbitraries.of('\u0000', '\u0001', '\u001F', '\u007F', '\u0085', '\u009F',
                '\t', '\n', '\r', '\uD800', '\uDBFF', '\uDC00', '\uDFFF', '\u200B', '\u200E', '\u200F', '\u202E',
                '\u2066', '\uFEFF', '\u2028', '\u2029', '\u0301', '\u0308', '\uFFFD', '\uFFFE', '\uFFFF', ' ', '"',
                '\\', '/', '\u00A0', '\u3000');
        Arbitrary<String> mixed = Arbitraries.strings().withChars("abcXYZ019-_.:@")
                .withCharRange('\u0000', '\u00FF').withCharRange('\u0590', '\u06FF').withCharRange('\uD800', '\uDFFF')
                .withCharRange('\u2000', '\u206F').ofMinLength(0).ofMaxLength(40);
        Arbitrary<String> withAwkward = Combinators.combine(
                        Arbitraries.strings().alpha().numeric().ofMaxLength(10), awkward,
                        Arbitraries.strings().alpha().numeric().ofMaxLength(10))
                .as((a, c, b) -> a + c + b);
        Arbitrary<String> pairs = Arbitraries.of("\uD83D\uDE00", "e\u0301", "\uD83D\uDC69\u200D\uD83D\uDCBB",
                "\uDB40\uDC01", "\u05E9\u05DC\u05D5\u05DD", "a\u0308\u0308\u0308").map(s -> "id-" + s);
        Arbitrary<String> lengths = Combinators.combine(Arbitraries.of('x', '\u00E9', '\u4E2D'),
                        Arbitraries.of(0, 1, 8, 9, 64, 65, 127, 128, 129, 512, 513, 4096, 4097, 65_536))
                .as((c, n) -> String.valueOf(c).repeat(n));
        Arbitrary<String> plain = Arbitraries.strings().alpha().numeric().withChars('-', '_').ofMinLength(1).ofMaxLength(20);
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(4, plain), net.jqwik.api.Tuple.of(3, withAwkward),
                net.jqwik.api.Tuple.of(2, mixed), net.jqwik.api.Tuple.of(1, pairs), net.jqwik.api.Tuple.of(1, lengths),
                net.jqwik.api.Tuple.of(1, Arbitraries.of("", " ", "   ", "\u2003", "null", "NaN", "Infinity",
                        "view", "payment", "fraud", "legit", "case", "chargeback")));
    }

    /** Arrays, objects and deep nesting as field values. */
    static Arbitrary<JsonNode> structures() {
        return Arbitraries.integers().between(0, 40).flatMap(depth -> Arbitraries.of(true, false).map(arrays -> {
            JsonNode n = F.textNode("x");
            for (int i = 0; i < depth; i++) {
                n = arrays ? F.arrayNode().add(n) : F.objectNode().set("k", n);
            }
            return n;
        }));
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Random damage to valid bytes: flips, inserts of structural or odd bytes, deletions, truncation, splices. */
    static Arbitrary<byte[]> mutated(Arbitrary<byte[]> valid) {
        List<Byte> interesting = List.of((byte) '"', (byte) '{', (byte) '}', (byte) '[', (byte) ']', (byte) ':',
                (byte) ',', (byte) '\\', (byte) '0', (byte) '9', (byte) '-', (byte) 'e', (byte) 0x00, (byte) 0x7F,
                (byte) 0x80, (byte) 0xC0, (byte) 0xC3, (byte) 0xED, (byte) 0xF4, (byte) 0xFF);
        return Combinators.combine(valid, Arbitraries.integers().between(1, 4), Arbitraries.longs())
                .as((bytes, edits, seed) -> {
                    java.util.Random rnd = new java.util.Random(seed);
                    byte[] b = bytes.clone(); // the generated value may be reused while shrinking
                    for (int k = 0; k < edits && b.length > 0; k++) {
                        int at = rnd.nextInt(b.length);
                        switch (rnd.nextInt(5)) {
                            case 0 -> b[at] = (byte) (b[at] ^ (1 << rnd.nextInt(8)));
                            case 1 -> b = insert(b, at, interesting.get(rnd.nextInt(interesting.size())));
                            case 2 -> b = delete(b, at);
                            case 3 -> b = java.util.Arrays.copyOf(b, at);
                            default -> b[at] = interesting.get(rnd.nextInt(interesting.size()));
                        }
                    }
                    return b;
                });
    }

    private static byte[] insert(byte[] b, int at, byte v) {
        byte[] out = new byte[b.length + 1];
        System.arraycopy(b, 0, out, 0, at);
        out[at] = v;
        System.arraycopy(b, at, out, at + 1, b.length - at);
        return out;
    }

    private static byte[] delete(byte[] b, int at) {
        byte[] out = new byte[b.length - 1];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(b, at + 1, out, at, b.length - at - 1);
        return out;
    }
}
