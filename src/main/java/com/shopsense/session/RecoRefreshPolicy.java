package com.shopsense.session;

import com.shopsense.event.EventType;
import java.io.Serializable;
import java.time.Duration;

/**
 * When an event refreshes its user's recommendations. The recommender is the most expensive model
 * (load-tests/RESULTS.md), so refreshes are bounded three ways: per user in event time
 * ({@code reco.min-interval}), per session (not before its {@code reco.min-session-events}-th event: a
 * bounce keeps the user's previous list), and per subtask in processing time
 * ({@code reco.max-refreshes-per-second}, a token bucket; 0 = unbounded) so that overload sheds stale
 * refreshes instead of backpressuring scoring. A shed refresh is retried by the user's next item event.
 */
public final class RecoRefreshPolicy implements Serializable {
    private static final long serialVersionUID = 1L;

    private final long minIntervalMs;
    private final int minSessionEvents;
    private final double maxPerSecond;
    private double tokens;
    private long lastRefillMs = Long.MIN_VALUE;

    public RecoRefreshPolicy(Duration minInterval, int minSessionEvents, double maxPerSecond) {
        if (minSessionEvents < 1 || maxPerSecond < 0) {
            throw new IllegalArgumentException("reco.min-session-events must be >= 1, reco.max-refreshes-per-second >= 0");
        }
        this.minIntervalMs = minInterval.toMillis();
        this.minSessionEvents = minSessionEvents;
        this.maxPerSecond = maxPerSecond;
    }

    /** The option defaults: 10 s between refreshes, from a session's second event, no rate bound. */
    public static RecoRefreshPolicy defaults() {
        return new RecoRefreshPolicy(Duration.ofSeconds(10), 2, 0);
    }

    /** Whether the event is due by the per-user and per-session rules ({@code lastRecoTs} < 0: never refreshed). */
    public boolean due(EventType type, int position, long ts, long lastRecoTs) {
        return type.isItemEvent()
                && position + 1 >= minSessionEvents
                && (lastRecoTs < 0 || ts - lastRecoTs >= minIntervalMs);
    }

    /** Takes one token of the subtask's budget at processing time {@code nowMs}; false means shed. */
    public boolean admit(long nowMs) {
        if (maxPerSecond == 0) {
            return true;
        }
        if (lastRefillMs == Long.MIN_VALUE) {
            tokens = maxPerSecond;
        } else if (nowMs > lastRefillMs) {
            tokens = Math.min(maxPerSecond, tokens + (nowMs - lastRefillMs) * maxPerSecond / 1000.0);
        }
        lastRefillMs = Math.max(lastRefillMs, nowMs);
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }

    /** A fresh copy for one operator instance (the bucket is per subtask, not shared). */
    public RecoRefreshPolicy copy() {
        return new RecoRefreshPolicy(Duration.ofMillis(minIntervalMs), minSessionEvents, maxPerSecond);
    }
}
