package com.shopsense.event;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.chrono.IsoChronology;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.ResolverStyle;
import java.time.temporal.TemporalAccessor;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a time field (docs/event-contract.md, "Timestamps"): integer epoch milliseconds (a JSON integer or a
 * string of ASCII digits) or ISO-8601 local date-time with an optional offset (no offset = UTC). Total: any
 * input ends in a value inside [limits.minTimestampMs, now + limits.maxFutureSkew] or an
 * {@link InvalidEventException}. The range is checked on epoch seconds before milliseconds are formed, so
 * years up to ±999999999 and 19-digit numbers cannot overflow.
 */
final class Timestamps {
    /** Longer text is no timestamp (the longest ISO form with 9 fraction digits and an offset is ~45 chars). */
    static final int MAX_TEXT = 64;
    private static final DateTimeFormatter ISO = new DateTimeFormatterBuilder()
            .parseCaseInsensitive()
            .append(DateTimeFormatter.ISO_LOCAL_DATE_TIME)
            .optionalStart().appendOffsetId().optionalEnd()
            .toFormatter(Locale.ROOT)
            .withChronology(IsoChronology.INSTANCE)
            .withResolverStyle(ResolverStyle.STRICT);
    /** A leap second: "...T23:59:60...". */
    private static final Pattern LEAP_SECOND = Pattern.compile("^([^Tt]+[Tt]\\d{2}:\\d{2}:)60(?=$|[.,Zz+-])");

    private Timestamps() {
    }

    static long read(JsonNode n, String field, EventLimits limits, long nowMs) throws InvalidEventException {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            throw new InvalidEventException(ReasonCodes.MISSING_FIELD, field);
        }
        long minMs = limits.minTimestampMs();
        long maxMs = saturatedAdd(nowMs, limits.maxFutureSkew().toMillis());
        long ms;
        if (v.isIntegralNumber()) {
            if (!v.canConvertToLong()) {
                throw outOfRange(field, "is an integer beyond 64 bits");
            }
            ms = v.longValue();
        } else if (v.isTextual()) {
            ms = text(field, v.textValue(), minMs, maxMs);
        } else {
            throw new InvalidEventException(ReasonCodes.INVALID_TYPE,
                    field + " must be ISO-8601 text or integer epoch milliseconds");
        }
        if (ms < minMs) {
            throw outOfRange(field, ms + " is before " + java.time.Instant.ofEpochMilli(minMs)
                    + (ms > 0 && ms < 100_000_000_000L ? " (epoch seconds? the contract wants milliseconds)" : ""));
        }
        if (ms > maxMs) {
            throw outOfRange(field, ms + " is in the future");
        }
        return ms;
    }

    private static long text(String field, String s, long minMs, long maxMs) throws InvalidEventException {
        if (s.isEmpty() || s.isBlank()) {
            throw new InvalidEventException(ReasonCodes.INVALID_TS, field + " is blank");
        }
        if (s.length() > MAX_TEXT) {
            throw new InvalidEventException(ReasonCodes.INVALID_TS, field + " has " + s.length() + " chars, too long");
        }
        if (asciiDigits(s)) {
            // 19 digits can exceed Long.MAX_VALUE; anything over 18 digits is ~30 million years away anyway.
            if (s.length() > 18) {
                throw outOfRange(field, "has " + s.length() + " digits");
            }
            return Long.parseLong(s);
        }
        int[] millis = new int[1];
        long fast = CanonicalIsoTime.epochSeconds(s, millis);
        if (fast != CanonicalIsoTime.NOT_CANONICAL) {
            return inRange(field, s, fast, millis[0], minMs, maxMs);
        }
        return viaFormatter(field, s, minMs, maxMs);
    }

    /** The general ISO path: every form the contract allows, and the error for every other text. */
    static long viaFormatter(String field, String s, long minMs, long maxMs) throws InvalidEventException {
        TemporalAccessor t;
        try {
            t = ISO.parseBest(leapSecondAs59(s), OffsetDateTime::from, LocalDateTime::from);
        } catch (java.time.DateTimeException e) {
            throw new InvalidEventException(ReasonCodes.INVALID_TS,
                    "cannot read " + field + " '" + SafeText.of(s, MAX_TEXT) + "' as ISO-8601 or epoch ms");
        }
        long seconds;
        int nanos;
        if (t instanceof OffsetDateTime o) {
            seconds = o.toEpochSecond();
            nanos = o.getNano();
        } else {
            LocalDateTime l = (LocalDateTime) t;
            seconds = l.toEpochSecond(ZoneOffset.UTC);
            nanos = l.getNano();
        }
        return inRange(field, s, seconds, nanos / 1_000_000, minMs, maxMs);
    }

    private static long inRange(String field, String s, long seconds, int millis, long minMs, long maxMs)
            throws InvalidEventException {
        // Range on seconds first (no overflow for any year java.time accepts), then exact on milliseconds.
        if (seconds < Math.floorDiv(minMs, 1000L) - 1) {
            throw outOfRange(field, "'" + SafeText.of(s, MAX_TEXT) + "' is before " + java.time.Instant.ofEpochMilli(minMs));
        }
        if (seconds > Math.floorDiv(maxMs, 1000L) + 1) {
            throw outOfRange(field, "'" + SafeText.of(s, MAX_TEXT) + "' is in the future");
        }
        return seconds * 1000L + millis;
    }

    /** java.time's ISO_INSTANT reads a leap second as second 59; the local formatter would refuse it. */
    private static String leapSecondAs59(String s) {
        Matcher m = LEAP_SECOND.matcher(s);
        return m.find() ? m.group(1) + "59" + s.substring(m.end()) : s;
    }

    private static boolean asciiDigits(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static long saturatedAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? (b > 0 ? Long.MAX_VALUE : Long.MIN_VALUE) : r;
    }

    private static InvalidEventException outOfRange(String field, String detail) {
        return new InvalidEventException(ReasonCodes.TS_OUT_OF_RANGE, field + " " + detail);
    }
}
