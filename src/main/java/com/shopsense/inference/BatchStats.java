package com.shopsense.inference;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Counters of one model's batcher, shared by every subtask in the JVM and read by their metric
 * gauges. Batch sizes are counted in power-of-two buckets (1, 2-3, 4-7, ... 512+).
 */
public final class BatchStats {
    public static final int BUCKETS = 11;
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong queueWaitNanos = new AtomicLong();
    private final AtomicLong inferenceNanos = new AtomicLong();
    private final AtomicLong maxInferenceNanos = new AtomicLong();
    private final AtomicLongArray sizeBuckets = new AtomicLongArray(BUCKETS);

    void recordBatch(int size, long waitNanosTotal, long inferNanos) {
        requests.addAndGet(size);
        batches.incrementAndGet();
        queueWaitNanos.addAndGet(waitNanosTotal);
        inferenceNanos.addAndGet(inferNanos);
        maxInferenceNanos.accumulateAndGet(inferNanos, Math::max);
        sizeBuckets.incrementAndGet(Math.min(BUCKETS - 1, 31 - Integer.numberOfLeadingZeros(Math.max(1, size))));
    }

    void recordFailure(int size) {
        failures.addAndGet(size);
    }

    public long requests() {
        return requests.get();
    }

    public long batches() {
        return batches.get();
    }

    public long failures() {
        return failures.get();
    }

    public double meanBatchSize() {
        long b = batches.get();
        return b == 0 ? 0.0 : (double) requests.get() / b;
    }

    public double meanQueueWaitMillis() {
        long r = requests.get();
        return r == 0 ? 0.0 : queueWaitNanos.get() / 1e6 / r;
    }

    public double meanInferenceMillis() {
        long b = batches.get();
        return b == 0 ? 0.0 : inferenceNanos.get() / 1e6 / b;
    }

    public double maxInferenceMillis() {
        return maxInferenceNanos.get() / 1e6;
    }

    /** Number of batches whose size fell in bucket {@code i} ([2^i, 2^(i+1)), the last open-ended). */
    public long batchesInBucket(int i) {
        return sizeBuckets.get(i);
    }
}
