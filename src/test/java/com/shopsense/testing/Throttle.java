package com.shopsense.testing;

import org.apache.flink.api.common.functions.MapFunction;

/**
 * Test pacing: sleeps {@code millis} ms every {@code every} records, so a bounded job runs long enough to be
 * disturbed. Stateless, so it does not change results.
 */
public final class Throttle<T> implements MapFunction<T, T> {
    private final int every;
    private final long millis;
    private transient long n;

    public Throttle(int every) {
        this(every, 1);
    }

    public Throttle(int every, long millis) {
        this.every = every;
        this.millis = millis;
    }

    @Override
    public T map(T value) throws Exception {
        if (++n % every == 0) {
            Thread.sleep(millis);
        }
        return value;
    }
}
