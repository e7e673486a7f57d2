package com.shopsense.ingest;

import com.shopsense.event.ShopEvent;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/**
 * Counts valid events whose Kafka key is not their userId (metric {@code keyMismatch}) or that have no key
 * ({@code keyMissing}). They are accepted: the job keys by userId itself, so its results are unaffected; but
 * the producer breaks the contract's "key = userId", which loses per-user ordering across partitions (and so
 * can make events late), and that should be visible.
 */
final class KeyCheck {
    private final Counter mismatch;
    private final Counter missing;

    KeyCheck(MetricGroup metrics) {
        this.mismatch = metrics.counter("keyMismatch");
        this.missing = metrics.counter("keyMissing");
    }

    void check(byte[] key, ShopEvent e) {
        if (key == null) {
            missing.inc();
        } else if (!Arrays.equals(key, e.userId().getBytes(StandardCharsets.UTF_8))) {
            mismatch.inc();
        }
    }

    long mismatches() {
        return mismatch.getCount();
    }

    long missing() {
        return missing.getCount();
    }
}
