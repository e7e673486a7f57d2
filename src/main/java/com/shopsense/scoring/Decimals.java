package com.shopsense.scoring;

import java.util.Locale;

/**
 * Numbers with four decimals, as {@code String.format("%.4f")} writes them but without the
 * formatter: score strings and recommendation JSON were ~20% of the job's Java samples
 * (load-tests/RESULTS.md). Rounding is half-up on the binary value; where the formatter rounds a
 * float's shortest decimal form at an exact tie instead, the result can differ by one in the last digit.
 */
public final class Decimals {
    private static final double LIMIT = 1e14; // beyond this the long arithmetic below would overflow

    private Decimals() {
    }

    public static String fixed4(double v) {
        if (!Double.isFinite(v) || Math.abs(v) >= LIMIT) {
            return String.format(Locale.ROOT, "%.4f", v);
        }
        long units = (long) Math.floor(Math.abs(v) * 10_000.0 + 0.5);
        StringBuilder b = new StringBuilder(24);
        if (v < 0 && units != 0) {
            b.append('-');
        }
        b.append(units / 10_000).append('.');
        long frac = units % 10_000;
        for (long d = 1_000; d > 0; d /= 10) {
            b.append((char) ('0' + (frac / d) % 10));
        }
        return b.toString();
    }
}
