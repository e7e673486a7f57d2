package com.shopsense.insight;

import java.io.Serializable;
import java.time.Duration;

/**
 * The sliding event-time window of the review insight (options review.window, review.slide): windows end at
 * multiples of the slide and hold {@code [end - window, end)}; a review falls in the pane (one slide) it starts
 * in, so a window is the sum of its {@code window / slide} panes.
 */
public record ReviewWindowSpec(long windowMs, long slideMs) implements Serializable {

    public ReviewWindowSpec {
        if (slideMs <= 0 || windowMs < slideMs || windowMs % slideMs != 0) {
            throw new IllegalArgumentException("review.window (" + windowMs + " ms) must be a positive multiple of "
                    + "review.slide (" + slideMs + " ms)");
        }
    }

    public static ReviewWindowSpec of(Duration window, Duration slide) {
        return new ReviewWindowSpec(window.toMillis(), slide.toMillis());
    }

    /** Start of the pane that holds event time {@code ts}. */
    public long paneStart(long ts) {
        return Math.floorDiv(ts, slideMs) * slideMs;
    }

    /** Whether the pane starting at {@code paneStart} is part of the window ending at {@code windowEnd}. */
    public boolean inWindow(long paneStart, long windowEnd) {
        return paneStart < windowEnd && paneStart >= windowEnd - windowMs;
    }

    /** The end of the last window that holds the pane starting at {@code paneStart}. */
    public long lastWindowEnd(long paneStart) {
        return paneStart + windowMs;
    }

    /** The timer of the window ending at {@code windowEnd}: the watermark has passed every event time in it. */
    public static long fireAt(long windowEnd) {
        return windowEnd - 1;
    }
}
