package com.shopsense.session;

import java.io.Serializable;
import java.time.Duration;

/**
 * Sessionization settings (README "Configuration", options {@code session.*} and {@code profile.*}).
 *
 * @param gap inactivity that closes a session; an event exactly {@code gap} after the last starts a new one
 * @param maxDuration a session longer than this is closed and a new one started (bots, hot keys)
 * @param allowedLateness events older than watermark minus this go to the late output
 * @param keptItems how many recent item ids a session keeps (the recommender's input window)
 * @param maxKnownValues cap on remembered devices/countries per user
 * @param profileTtl profile state expires this long after its last update
 */
public record SessionConfig(
        Duration gap,
        Duration maxDuration,
        Duration allowedLateness,
        int keptItems,
        int maxKnownValues,
        Duration profileTtl) implements Serializable {

    /** Ten years: no session setting needs more, and ts + this stays far from overflow. */
    public static final Duration MAX_DURATION_LIMIT = Duration.ofDays(3650);

    public SessionConfig {
        if (gap.isNegative() || gap.isZero()) {
            throw new IllegalArgumentException("session.gap must be positive, was " + gap);
        }
        if (maxDuration.compareTo(gap) < 0) {
            throw new IllegalArgumentException("session.max-duration must be >= session.gap");
        }
        // Bounded so that ts + gap, start + max-duration and watermark - lateness cannot overflow for any
        // event time the parser accepts (at most now + 365 d).
        if (maxDuration.compareTo(MAX_DURATION_LIMIT) > 0 || allowedLateness.compareTo(MAX_DURATION_LIMIT) > 0) {
            throw new IllegalArgumentException("session.max-duration and session.allowed-lateness must be <= 3650 d");
        }
        if (allowedLateness.isNegative()) {
            throw new IllegalArgumentException("session.allowed-lateness must be >= 0");
        }
        if (keptItems < 1) {
            throw new IllegalArgumentException("session.kept-items must be >= 1");
        }
    }

    public static SessionConfig defaults() {
        return new SessionConfig(Duration.ofMinutes(30), Duration.ofHours(4), Duration.ZERO, 20, 8,
                Duration.ofDays(90));
    }
}
