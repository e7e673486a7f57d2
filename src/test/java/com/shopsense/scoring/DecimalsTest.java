package com.shopsense.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DecimalsTest {

    @Test
    void scoresAreWrittenWithFourDecimalsLikeStringFormat() {
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < 200_000; i++) {
            float p = (float) (r.nextDouble() * (i % 2 == 0 ? 1 : 200) - (i % 4 == 1 ? 100 : 0));
            String want = String.format(Locale.ROOT, "%.4f", p);
            String got = Decimals.fixed4(p);
            if (!got.equals(want)) {
                // Only an exact decimal tie may round differently; never by more than one unit.
                assertThat(Math.abs(Double.parseDouble(got) - Double.parseDouble(want))).as("%s vs %s", got, want)
                        .isLessThanOrEqualTo(1.0001e-4);
            }
        }
        assertThat(Decisions.format(0f)).isEqualTo("0.0000");
        assertThat(Decisions.format(1f)).isEqualTo("1.0000");
        assertThat(Decisions.format(0.99996f)).isEqualTo("1.0000");
        assertThat(Decisions.format(0.00006f)).isEqualTo("0.0001");
        assertThat(Decisions.format(0.1234f)).isEqualTo("0.1234");
        assertThat(Decisions.format(Float.NaN)).isEqualTo("NaN");
        assertThat(Decimals.fixed4(-3.14159)).isEqualTo("-3.1416");
        assertThat(Decimals.fixed4(-0.00001)).isEqualTo("0.0000");
        assertThat(Decimals.fixed4(12345.67891)).isEqualTo("12345.6789");
        assertThat(Decimals.fixed4(1e20)).isEqualTo(String.format(Locale.ROOT, "%.4f", 1e20));
    }
}
