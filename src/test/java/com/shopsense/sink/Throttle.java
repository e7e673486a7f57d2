package com.shopsense.sink;

import org.apache.flink.api.common.functions.MapFunction;

/** Test pacing: sleeps 1 ms every {@code every} records, so a bounded job runs long enough to be disturbed. */
final class Throttle<T> implements MapFunction<T, T> {
    private final int every;
    private transient long n;

    Throttle(int every) {
        this.every = every;
    }

    @Override
    public T map(T value) throws Exception {
        if (++n % every == 0) {
            Thread.sleep(1);
        }
        return value;
    }
}
