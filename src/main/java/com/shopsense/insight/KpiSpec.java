package com.shopsense.insight;

import java.io.Serializable;
import java.time.Duration;

/**
 * One KPI window definition, epoch-aligned in event time: windows of {@code sizeMs} every {@code slideMs}
 * (tumbling when equal), each written {@code settleMs} after its end. A window is made of
 * {@link #panesPerWindow()} panes of one slide each, the unit the facts are pre-aggregated in.
 */
public record KpiSpec(String name, long sizeMs, long slideMs, long settleMs) implements Serializable {

    public KpiSpec {
        if (slideMs <= 0 || sizeMs <= 0 || sizeMs % slideMs != 0 || settleMs < 0) {
            throw new IllegalArgumentException("KPI window " + name + ": size must be a positive multiple of the slide");
        }
    }

    public static KpiSpec of(Duration size, Duration slide, Duration settle) {
        return new KpiSpec(nameOf(size), size.toMillis(), slide.toMillis(), settle.toMillis());
    }

    /** 1 min -> "1m", 1 h -> "1h", 90 s -> "90s": the name in Redis keys and metrics. */
    public static String nameOf(Duration size) {
        long s = size.toSeconds();
        if (s % 3600 == 0) {
            return s / 3600 + "h";
        }
        return s % 60 == 0 ? s / 60 + "m" : s + "s";
    }

    public int panesPerWindow() {
        return (int) (sizeMs / slideMs);
    }

    /** The start of the pane (and of the latest window) that holds {@code ts}. */
    public long paneStart(long ts) {
        return ts - Math.floorMod(ts, slideMs);
    }

    /** The event time at which the window ending at {@code windowEnd} is final and written. */
    public long fireAt(long windowEnd) {
        return windowEnd - 1 + settleMs;
    }
}
