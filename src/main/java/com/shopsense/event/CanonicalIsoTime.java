package com.shopsense.event;

import java.time.DateTimeException;
import java.time.LocalDate;

/**
 * The ISO-8601 form producers actually send ({@code Instant.toString()}: {@code 2017-11-25T01:21:25Z},
 * {@code 2017-11-25T01:21:25.123Z}, or with {@code +hh:mm}), read by hand: java.time's formatter cost ~15% of
 * the source task's CPU in the load test. Anything else (no seconds, lower-case letters, a leap second,
 * offsets with seconds, signed or 5-digit years, ...) is left to the formatter, which accepts or rejects it;
 * for every text this class reads, it gives the formatter's exact result ({@code CanonicalIsoTimeTest}).
 */
final class CanonicalIsoTime {
    /** "Not this form": the caller uses the general parser. */
    static final long NOT_CANONICAL = Long.MIN_VALUE;

    private CanonicalIsoTime() {
    }

    /**
     * Epoch seconds of {@code s}, with the milliseconds of the second in {@code millisOut[0]}, or
     * {@link #NOT_CANONICAL}.
     */
    static long epochSeconds(String s, int[] millisOut) {
        int n = s.length();
        // yyyy-MM-ddTHH:mm:ss is 19 chars; then an optional fraction, then Z or +hh:mm (or nothing: UTC).
        if (n < 19 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T' || s.charAt(13) != ':'
                || s.charAt(16) != ':') {
            return NOT_CANONICAL;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        int day = digits(s, 8, 2);
        int hour = digits(s, 11, 2);
        int minute = digits(s, 14, 2);
        int second = digits(s, 17, 2);
        if ((year | month | day | hour | minute | second) < 0 || hour > 23 || minute > 59 || second > 59) {
            return NOT_CANONICAL;
        }
        int i = 19;
        int nanos = 0;
        if (i < n && s.charAt(i) == '.') {
            int start = ++i;
            while (i < n && i - start < 9 && isDigit(s.charAt(i))) {
                nanos = nanos * 10 + (s.charAt(i++) - '0');
            }
            int len = i - start;
            if (len == 0 || (i < n && isDigit(s.charAt(i)))) {
                return NOT_CANONICAL; // "." alone or more than 9 digits
            }
            for (int k = len; k < 9; k++) {
                nanos *= 10;
            }
        }
        int offsetSeconds;
        if (i == n) {
            offsetSeconds = 0;
        } else if (i + 1 == n && s.charAt(i) == 'Z') {
            offsetSeconds = 0;
        } else if (i + 6 == n && (s.charAt(i) == '+' || s.charAt(i) == '-') && s.charAt(i + 3) == ':') {
            int oh = digits(s, i + 1, 2);
            int om = digits(s, i + 4, 2);
            if (oh < 0 || om < 0 || oh > 18 || om > 59 || (oh == 18 && om > 0)) {
                return NOT_CANONICAL;
            }
            offsetSeconds = (s.charAt(i) == '-' ? -1 : 1) * (oh * 3600 + om * 60);
        } else {
            return NOT_CANONICAL;
        }
        long epochDay;
        try {
            epochDay = LocalDate.of(year, month, day).toEpochDay(); // strict: 2023-02-29 throws
        } catch (DateTimeException e) {
            return NOT_CANONICAL;
        }
        millisOut[0] = nanos / 1_000_000;
        return epochDay * 86_400L + hour * 3600L + minute * 60L + second - offsetSeconds;
    }

    /** The value of {@code len} ASCII digits at {@code from}, or -1. */
    private static int digits(String s, int from, int len) {
        int v = 0;
        for (int i = from; i < from + len; i++) {
            char c = s.charAt(i);
            if (!isDigit(c)) {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
