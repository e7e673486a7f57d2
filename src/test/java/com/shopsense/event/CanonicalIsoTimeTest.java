package com.shopsense.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;

/** The hand-written reader of the canonical ISO form agrees with java.time's formatter wherever it answers. */
class CanonicalIsoTimeTest {

    @Property
    void readsEveryInstantToStringAsTheFormatterDoes(
            @ForAll @LongRange(min = 0, max = 4_102_444_800_000L) long epochMs) throws Exception {
        String s = Instant.ofEpochMilli(epochMs).toString();
        int[] millis = new int[1];
        long seconds = CanonicalIsoTime.epochSeconds(s, millis);
        assertThat(seconds).as(s).isNotEqualTo(CanonicalIsoTime.NOT_CANONICAL);
        assertThat(seconds * 1000 + millis[0]).as(s).isEqualTo(epochMs).isEqualTo(formatter(s));
    }

    @Property
    void nearMissesAreEitherReadExactlyOrLeftToTheFormatter(@ForAll("isoLike") String s) {
        int[] millis = new int[1];
        long seconds = CanonicalIsoTime.epochSeconds(s, millis);
        if (seconds == CanonicalIsoTime.NOT_CANONICAL) {
            return; // the formatter decides: nothing claimed
        }
        try {
            assertThat(seconds * 1000 + millis[0]).as(s).isEqualTo(formatter(s));
        } catch (InvalidEventException e) {
            throw new AssertionError("the fast path read '" + s + "' which the formatter rejects: " + e.getMessage());
        }
    }

    @Property(tries = 300)
    void offsetsAreApplied(@ForAll("validOffsets") String offset) throws Exception {
        String s = "2024-02-29T23:30:00.5" + offset;
        int[] millis = new int[1];
        long seconds = CanonicalIsoTime.epochSeconds(s, millis);
        assertThat(seconds).as(s).isNotEqualTo(CanonicalIsoTime.NOT_CANONICAL);
        assertThat(seconds * 1000 + millis[0]).isEqualTo(formatter(s));
    }

    @Property(tries = 50)
    void impossibleDatesAreNotRead(@ForAll("impossible") String s) {
        assertThat(CanonicalIsoTime.epochSeconds(s, new int[1])).as(s).isEqualTo(CanonicalIsoTime.NOT_CANONICAL);
        assertThatThrownBy(() -> formatter(s)).isInstanceOf(InvalidEventException.class);
    }

    private static long formatter(String s) throws InvalidEventException {
        return Timestamps.viaFormatter("ts", s, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    /** Canonical texts with one part drawn from a wider range than valid, or a separator swapped. */
    @Provide
    Arbitrary<String> isoLike() {
        Arbitrary<String> year = Arbitraries.oneOf(Arbitraries.integers().between(0, 9999).map(y -> pad(y, 4)),
                Arbitraries.strings().withChars("0123456789+-x").ofMinLength(3).ofMaxLength(5));
        Arbitrary<String> two = Arbitraries.oneOf(Arbitraries.integers().between(0, 99).map(v -> pad(v, 2)),
                Arbitraries.strings().withChars("0123456789 a").ofMinLength(1).ofMaxLength(3));
        Arbitrary<String> sep = Arbitraries.of("-", "-", "-", "/", "");
        Arbitrary<String> t = Arbitraries.of("T", "T", "T", "t", " ");
        Arbitrary<String> fraction = Arbitraries.oneOf(Arbitraries.just(""),
                Arbitraries.strings().numeric().ofMinLength(0).ofMaxLength(11).map(f -> "." + f),
                Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(3).map(f -> "," + f));
        Arbitrary<String> zone = Arbitraries.oneOf(Arbitraries.of("", "Z", "z", "+", "Z ", "UTC"), offsets());
        Arbitrary<String> date = Combinators.combine(year, sep, two, two).as((y, d, mo, da) -> y + d + mo + "-" + da);
        Arbitrary<String> time = Combinators.combine(two, two, two).as((h, mi, se) -> h + ":" + mi + ":" + se);
        return Combinators.combine(date, t, time, fraction, zone).as((d, tt, tm, f, z) -> d + tt + tm + f + z);
    }

    @Provide
    Arbitrary<String> offsets() {
        return Combinators.combine(Arbitraries.of("+", "-"), Arbitraries.integers().between(0, 20),
                Arbitraries.integers().between(0, 70), Arbitraries.of(":", ":", ""))
                .as((sign, h, m, c) -> sign + pad(h, 2) + c + pad(m, 2));
    }

    @Provide
    Arbitrary<String> validOffsets() {
        return Combinators.combine(Arbitraries.of("+", "-"), Arbitraries.integers().between(0, 17),
                Arbitraries.integers().between(0, 59)).as((sign, h, m) -> sign + pad(h, 2) + ":" + pad(m, 2));
    }

    @Provide
    Arbitrary<String> impossible() {
        return Arbitraries.of("2023-02-29T00:00:00Z", "2100-02-29T00:00:00Z", "2024-04-31T00:00:00Z",
                "2024-13-01T00:00:00Z", "2024-00-10T00:00:00Z", "2024-01-00T00:00:00Z", "2024-01-01T24:00:00Z",
                "2024-01-01T00:60:00Z", "2024-01-01T00:00:00+19:00");
    }

    private static String pad(int v, int width) {
        String s = Integer.toString(v);
        return "0".repeat(Math.max(0, width - s.length())) + s;
    }
}
