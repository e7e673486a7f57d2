package com.shopsense.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;
import org.junit.jupiter.api.Test;

/**
 * The review part of the contract (docs/event-contract.md "Reviews"): a review names its product and carries text,
 * a rating or both; its text is any valid Unicode up to event.max-text-length UTF-16 units, kept exactly as sent
 * (the review model reads its bytes); invalid UTF-8 anywhere in the record, a lone surrogate or a control character
 * in the text, and oversized text are dead letters whose reason never repeats the text.
 */
class ReviewContractFuzzTest {
    private static final EventLimits LIMITS = EventLimits.defaults();
    private static final String SECRET = "Zq7secretReviewWords";
    private final EventParser parser = new EventParser(LIMITS, () -> JsonArbitraries.NOW);

    private static ObjectNode review() {
        return EventArbitraries.JSON.createObjectNode().put("eventId", "e1").put("userId", "u1").put("type", "review")
                .put("ts", JsonArbitraries.NOW - 1000).put("itemId", "i1");
    }

    /** Text of any valid code points: CJK, emoji (surrogate pairs), RTL and joiners, tabs and newlines. */
    @Provide
    Arbitrary<String> validTexts() {
        Arbitrary<Integer> codePoint = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, Arbitraries.integers().between(0x20, 0x7E)),
                net.jqwik.api.Tuple.of(3, Arbitraries.integers().between(0x4E00, 0x9FFF)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(0x1F300, 0x1FAFF)),
                net.jqwik.api.Tuple.of(1, Arbitraries.of(0x09, 0x0A, 0x0D, 0x200D, 0x200F, 0x05D0, 0x0301, 0xFEFF)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(0xA0, 0x10FFFF)
                        .filter(c -> (c < 0xD800 || c > 0xDFFF) && Character.getType(c) != Character.CONTROL
                                && Character.isDefined(c))));
        return codePoint.list().ofMaxSize(1200).map(cps -> {
            StringBuilder b = new StringBuilder();
            cps.forEach(b::appendCodePoint);
            return b.toString();
        }).filter(s -> s.length() <= LIMITS.maxTextLength());
    }

    @Property
    void anyValidTextUpToTheLimitIsKeptExactlyAsSent(@ForAll("validTexts") String text) throws Exception {
        ObjectNode n = review().put("text", text);
        ShopEvent e = parser.parse(EventArbitraries.bytes(n));
        assertThat(e.text()).isEqualTo(text);
        assertThat(e.text().getBytes(StandardCharsets.UTF_8)).isEqualTo(text.getBytes(StandardCharsets.UTF_8));
        Statistics.collect(text.length() > 255 ? "longer than the model reads" : "short");
    }

    @Property
    void textOverTheLimitIsFieldTooLargeAndTheReasonHasNoText(@ForAll @IntRange(min = 1, max = 3000) int over,
            @ForAll("validTexts") String filler) {
        StringBuilder b = new StringBuilder(SECRET);
        while (b.length() < LIMITS.maxTextLength() + over) {
            b.append(filler.isEmpty() ? "x" : filler);
        }
        String text = b.substring(0, LIMITS.maxTextLength() + over);
        if (Character.isHighSurrogate(text.charAt(text.length() - 1))) {
            text = text + "x"; // no lone surrogate at the cut: still over the limit
        }
        byte[] raw = EventArbitraries.bytes(review().put("text", text).put("rating", 3));
        String code = raw.length > LIMITS.maxPayloadBytes() ? ReasonCodes.PAYLOAD_TOO_LARGE : ReasonCodes.FIELD_TOO_LARGE;
        assertRejected(raw, code);
    }

    /** Bytes that are not UTF-8: stray continuation, overlong, truncated, beyond U+10FFFF, never-valid bytes. */
    @Provide
    Arbitrary<byte[]> invalidUtf8() {
        return Arbitraries.of(new byte[] {(byte) 0x80}, new byte[] {(byte) 0xBF}, new byte[] {(byte) 0xC0, (byte) 0x80},
                new byte[] {(byte) 0xC1, (byte) 0xBF}, new byte[] {(byte) 0xE0, (byte) 0x80, (byte) 0x80},
                new byte[] {(byte) 0xE4, (byte) 0xB8}, new byte[] {(byte) 0xF0, (byte) 0x9F, (byte) 0x98},
                new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, new byte[] {(byte) 0xF5},
                new byte[] {(byte) 0xFE}, new byte[] {(byte) 0xFF}, new byte[] {(byte) 0xC3, (byte) 0x28},
                new byte[] {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80},
                // Overlong 'A' and NUL: Jackson alone decodes them (to a text the producer's bytes do not say).
                new byte[] {(byte) 0xC1, (byte) 0x81}, new byte[] {(byte) 0xE0, (byte) 0x81, (byte) 0x81},
                new byte[] {(byte) 0xF0, (byte) 0x80, (byte) 0x81, (byte) 0x81}, new byte[] {(byte) 0xC0, (byte) 0x80});
    }

    /** A valid review whose text gets invalid bytes at any place: malformed_json, whatever the rest says. */
    @Property
    void invalidUtf8AnywhereInTheTextIsRejected(@ForAll("validTexts") String text, @ForAll("invalidUtf8") byte[] bad,
            @ForAll @IntRange(min = 0, max = 10_000) int where) {
        // Characters JSON escapes would shift the splice: left out (the escaped ones are tested elsewhere).
        String marked = SECRET + text.replaceAll("[\\x00-\\x1F\"\\\\]", "");
        byte[] t = marked.getBytes(StandardCharsets.UTF_8);
        int at = codePointBoundary(t, where % (t.length + 1));
        byte[] raw = EventArbitraries.bytes(review().put("text", "\u0001MARK\u0001").put("rating", 4));
        String json = new String(raw, StandardCharsets.UTF_8);
        int field = json.indexOf("\\u0001MARK\\u0001");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(json.substring(0, field).getBytes(StandardCharsets.UTF_8));
        out.write(t, 0, at);
        out.writeBytes(bad);
        out.write(t, at, t.length - at);
        out.writeBytes(json.substring(field + "\\u0001MARK\\u0001".length()).getBytes(StandardCharsets.UTF_8));
        byte[] record = out.toByteArray();
        assertRejected(record, ReasonCodes.MALFORMED_JSON);
        Statistics.collect(bad.length);
    }

    /** CESU-8 / UTF-8-encoded surrogates: a lone surrogate, never a text the model would read differently. */
    @Test
    void encodedSurrogateBytesAreRejected() {
        byte[] head = ("{\"eventId\":\"e\",\"userId\":\"u\",\"type\":\"review\",\"ts\":" + (JsonArbitraries.NOW - 1000)
                + ",\"itemId\":\"i\",\"text\":\"" + SECRET).getBytes(StandardCharsets.UTF_8);
        byte[] raw = concat(head, new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, "\"}".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> parser.parse(raw)).isInstanceOf(InvalidEventException.class)
                .satisfies(x -> assertThat(((InvalidEventException) x).code())
                        .isIn(ReasonCodes.MALFORMED_JSON, ReasonCodes.INVALID_UNICODE))
                .satisfies(x -> assertThat(x.getMessage()).doesNotContain(SECRET));
    }

    @Test
    void aReviewNeedsItsProductAndTextOrRating() throws Exception {
        assertRejected(EventArbitraries.bytes(review().put("text", "good").without("itemId")), ReasonCodes.MISSING_FIELD);
        assertRejected(EventArbitraries.bytes(review()), ReasonCodes.MISSING_FIELD);
        assertThat(parser.parse(EventArbitraries.bytes(review().put("rating", 2))).text()).isNull();
        assertThat(parser.parse(EventArbitraries.bytes(review().put("text", "\u4E0D\u9519"))).rating()).isNull();
        assertThat(parser.parse(EventArbitraries.bytes(review().put("text", "")))).extracting(ShopEvent::text)
                .isEqualTo("");
    }

    @Property
    void controlCharactersOrLoneSurrogatesInTextAreRejectedWithoutRepeatingIt(
            @ForAll("validTexts") String text, @ForAll("badChars") String bad, @ForAll @IntRange(max = 2000) int where) {
        int at = Math.min(where, text.length());
        if (at > 0 && Character.isHighSurrogate(text.charAt(at - 1))) {
            at--;
        }
        String broken = SECRET + text.substring(0, at) + bad + text.substring(at);
        if (broken.length() > LIMITS.maxTextLength()) {
            return;
        }
        String code = Character.isSurrogate(bad.charAt(0)) ? ReasonCodes.INVALID_UNICODE : ReasonCodes.CONTROL_CHAR;
        assertRejected(EventArbitraries.bytes(review().put("text", broken)), code);
    }

    @Provide
    Arbitrary<String> badChars() {
        return Arbitraries.of("\u0000", "\u0007", "\u001B", "\u007F", "\u0085", "\u009F", "\uD800", "\uDFFF");
    }

    private void assertRejected(byte[] raw, String code) {
        assertThatThrownBy(() -> parser.parse(raw)).isInstanceOf(InvalidEventException.class)
                .satisfies(x -> assertThat(((InvalidEventException) x).code()).isEqualTo(code))
                .satisfies(x -> assertThat(x.getMessage()).doesNotContain(SECRET).matches("[\\x20-\\x7E]{1,400}"));
    }

    private static int codePointBoundary(byte[] utf8, int at) {
        while (at > 0 && at < utf8.length && (utf8[at] & 0xC0) == 0x80) {
            at--;
        }
        return at;
    }

    private static byte[] concat(byte[]... parts) {
        int n = Arrays.stream(parts).mapToInt(p -> p.length).sum();
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
