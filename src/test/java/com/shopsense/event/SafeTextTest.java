package com.shopsense.event;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** Text for DLQ reasons and headers: printable ASCII, bounded whatever the value holds. */
class SafeTextTest {
    @Property
    void anyTextBecomesPrintableAsciiOfBoundedLength(@ForAll String s, @ForAll @IntRange(min = 6, max = 200) int max) {
        String out = SafeText.of(s, max);
        assertThat(out).matches("[\\x20-\\x7E]*");
        assertThat(out.length()).isLessThanOrEqualTo(max + 3); // + "..."
    }

    @Property
    void shortPrintableTextIsKeptAsItIs(@ForAll("printable") String s) {
        assertThat(SafeText.of(s, 64)).isEqualTo(s);
    }

    @Provide
    Arbitrary<String> printable() {
        return Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(64);
    }

    @Test
    void escapesCountTowardsTheLimit() {
        assertThat(SafeText.of("\u00e9\u00e9\u00e9", 12)).isEqualTo("\\u00E9\\u00E9...");
        assertThat(SafeText.of("ab\u00e9", 8)).isEqualTo("ab\\u00E9");
        assertThat(SafeText.of(null, 8)).isEqualTo("null");
    }
}
