package com.shopsense.event;

import java.io.Serializable;
import java.time.Duration;

/**
 * Bounds a valid event must respect; configured from job options (docs/event-contract.md). The limits
 * themselves are bounded so that what the parser accepts is safe in the job's arithmetic: price x quantity
 * and sums of many amounts stay finite (max amount 1e12, max quantity 1e6), and ts + any session duration
 * cannot overflow (ts <= now + at most 365 days). A bad setting fails at submission, not per record.
 */
public record EventLimits(
        int maxPayloadBytes,
        int maxIdLength,
        int maxQueryLength,
        int maxTextLength,
        double maxAmount,
        int maxQuantity,
        long minTimestampMs,
        Duration maxFutureSkew) implements Serializable {

    /** 2000-01-01T00:00:00Z: anything earlier is a broken clock or a default value, not an event. */
    public static final long YEAR_2000_MS = 946_684_800_000L;
    public static final double MAX_AMOUNT_LIMIT = 1e12;
    public static final int MAX_QUANTITY_LIMIT = 1_000_000;
    public static final Duration MAX_FUTURE_SKEW_LIMIT = Duration.ofDays(365);

    public EventLimits {
        require(maxPayloadBytes >= 2 && maxPayloadBytes <= 16 << 20, "event.max-payload-bytes must be in [2, 16 MiB]");
        require(maxIdLength >= 1 && maxQueryLength >= 1 && maxTextLength >= 1,
                "event.max-*-length must be positive");
        require(Double.isFinite(maxAmount) && maxAmount > 0 && maxAmount <= MAX_AMOUNT_LIMIT,
                "event.max-amount must be in (0, 1e12]");
        require(maxQuantity >= 1 && maxQuantity <= MAX_QUANTITY_LIMIT, "event.max-quantity must be in [1, 1000000]");
        require(minTimestampMs >= 0, "the earliest event time must not be before 1970");
        require(!maxFutureSkew.isNegative() && maxFutureSkew.compareTo(MAX_FUTURE_SKEW_LIMIT) <= 0,
                "event.max-future-skew must be in [0, 365 d]");
    }

    public static EventLimits defaults() {
        return new EventLimits(65_536, 128, 512, 4_096, 1_000_000.0, 10_000, YEAR_2000_MS, Duration.ofDays(1));
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
