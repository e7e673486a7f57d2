package com.shopsense.event;

import java.io.Serializable;
import java.time.Duration;

/** Bounds a valid event must respect; configured from job options (see README, "Configuration"). */
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

    public static EventLimits defaults() {
        return new EventLimits(65_536, 128, 512, 4_096, 1_000_000.0, 10_000, YEAR_2000_MS, Duration.ofDays(1));
    }
}
