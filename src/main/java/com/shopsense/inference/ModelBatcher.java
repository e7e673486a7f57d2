package com.shopsense.inference;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gathers single-example requests for one model from every subtask in the JVM and runs them as
 * one batched {@code run()}: a batch starts when it has {@code maxBatch} requests, when its oldest
 * request has waited {@code maxWait}, or at once when it holds a request marked {@code runNow}: a
 * caller that batched on its own and now blocks on the results (waiting longer could only add
 * requests from other callers, at the price of stalling this one's task thread). One worker thread per
 * model runs the queued batches; a caller that batched on its own can also run its batch directly on its
 * own thread ({@link #tryRunDirect}, no queue, future or hand-off). The session is never closed under a
 * running batch: {@link #close()} waits for direct runs in progress and drains the queue first.
 *
 * <p>A request is an array with one value per model input, in manifest order: a {@code float[]} or
 * {@code long[]} holding exactly one example. The result has one array per model output.
 */
public final class ModelBatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ModelBatcher.class);

    private record Request(Object[] inputs, CompletableFuture<Object[]> result, long enqueuedNanos, boolean runNow) {
    }

    private final OrtEnvironment env;
    private final LoadedModel model;
    private final int maxBatch;
    private final long maxWaitNanos;
    private final BlockingQueue<Request> queue;
    private final BatchStats stats;
    private final Thread worker;
    private final long answerTimeoutNanos;
    private final Thread watchdog;
    /**
     * The batch the worker builds or runs, for the watchdog: the first {@code takenCount} slots (the worker writes a
     * slot, then the count; a slot the watchdog reads while the next batch reuses it holds a newer request).
     */
    private final Request[] taken;
    private volatile int takenCount;
    /**
     * Submitters hold the read lock from their running check to their put, close() takes the write lock to
     * stop intake: without it a request put just after the worker's last poll would never be answered
     * (matters for hot swaps, which close a batcher while others still submit). Direct runs hold it for
     * the whole run, so close() returns only once none is running and none can start.
     */
    private final ReadWriteLock intake = new ReentrantReadWriteLock();
    private volatile boolean running = true;

    public ModelBatcher(OrtEnvironment env, LoadedModel model, int maxBatch, Duration maxWait) {
        this(env, model, maxBatch, maxWait, new BatchStats());
    }

    /** With statistics shared with earlier batchers of the same model (they outlive a hot swap). */
    public ModelBatcher(OrtEnvironment env, LoadedModel model, int maxBatch, Duration maxWait, BatchStats stats) {
        this(env, model, maxBatch, maxWait, stats, Duration.ZERO);
    }

    /**
     * @param answerTimeout a queued request not answered in this time fails with a {@link TimeoutException}, and so
     *     do all others queued or in the batch then (the caller's task restarts from its checkpoint, as Flink's
     *     Async I/O timeout made it); 0 = never. One watchdog thread checks the oldest request a few times per
     *     timeout: a timer per request (Flink's timeout) cost the sessionizer's thread ~7 % of its CPU, scheduled
     *     and cancelled on its processing-time queue for every recommendation (load-tests/RESULTS.md).
     */
    public ModelBatcher(OrtEnvironment env, LoadedModel model, int maxBatch, Duration maxWait, BatchStats stats,
            Duration answerTimeout) {
        this.env = env;
        this.model = model;
        this.stats = stats;
        this.maxBatch = maxBatch;
        this.maxWaitNanos = maxWait.toNanos();
        this.answerTimeoutNanos = answerTimeout.toNanos();
        this.taken = new Request[maxBatch];
        this.queue = new ArrayBlockingQueue<>(Math.max(maxBatch * 64, 4096));
        this.worker = new Thread(null, this::loop, "ort-batcher-" + model.entry().name(), NativeStack.STACK_BYTES);
        this.worker.setDaemon(true);
        this.worker.start();
        if (answerTimeoutNanos > 0) {
            this.watchdog = new Thread(this::watch, "ort-watchdog-" + model.entry().name());
            this.watchdog.setDaemon(true);
            this.watchdog.start();
        } else {
            this.watchdog = null;
        }
    }

    public BatchStats stats() {
        return stats;
    }

    public LoadedModel model() {
        return model;
    }

    /** Queues one example; blocks while the queue is full (backpressure), never drops. */
    public CompletableFuture<Object[]> submit(Object[] inputs) {
        return submit(inputs, false);
    }

    /** Like {@link #submit(Object[])}; {@code runNow} starts the batch without waiting for more requests. */
    public CompletableFuture<Object[]> submit(Object[] inputs, boolean runNow) {
        CompletableFuture<Object[]> f = trySubmit(inputs, runNow);
        return f != null ? f : CompletableFuture.failedFuture(
                new IllegalStateException("batcher of " + model.entry().name() + " is closed"));
    }

    /** Like {@link #submit} but returns null, without queueing, once the batcher is closed. */
    public CompletableFuture<Object[]> trySubmit(Object[] inputs, boolean runNow) {
        CompletableFuture<Object[]> f = new CompletableFuture<>();
        intake.readLock().lock();
        try {
            if (!running) {
                return null;
            }
            queue.put(new Request(inputs, f, System.nanoTime(), runNow));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            f.completeExceptionally(e);
        } finally {
            intake.readLock().unlock();
        }
        return f;
    }

    /**
     * Runs one batch of {@code n} examples on the calling thread (one {@code OrtSession.run}, which is
     * thread-safe: callers share nothing but the session). {@code inputs} has one flat array per model
     * input, in manifest order: a {@code long[]} or {@code float[]} whose first {@code n * exampleSize}
     * values are the examples one after the other (longer arrays are fine: callers reuse buffers). Returns
     * one flat array per model output, in manifest order ({@code n * exampleSize} values), or null, without
     * running, once the batcher is closed (a hot swap retired it). Counted in the same {@link BatchStats}
     * (no queue wait).
     */
    public Object[] tryRunDirect(int n, Object[] inputs) throws OrtException {
        intake.readLock().lock();
        try {
            if (!running) {
                return null;
            }
            long start = System.nanoTime();
            try {
                Object[] out = runFlat(env, model, n, inputs);
                stats.recordBatch(n, 0, System.nanoTime() - start);
                return out;
            } catch (OrtException | RuntimeException e) {
                stats.recordFailure(n);
                throw e;
            }
        } finally {
            intake.readLock().unlock();
        }
    }

    static Object[] runFlat(OrtEnvironment env, LoadedModel model, int n, Object[] inputs) throws OrtException {
        List<TensorSpec> specs = model.entry().inputs();
        if (n < 1 || inputs.length != specs.size()) {
            throw new IllegalArgumentException("batch of " + n + " with " + inputs.length + " inputs for "
                    + model.entry().name() + ", which has inputs " + specs);
        }
        Map<String, OnnxTensor> tensors = new HashMap<>(2 * specs.size());
        try {
            for (int i = 0; i < specs.size(); i++) {
                tensors.put(specs.get(i).name(), flatTensor(env, specs.get(i), specs.get(i).batchShape(n), inputs[i]));
            }
            try (OrtSession.Result result = model.session().run(tensors)) {
                List<TensorSpec> outputs = model.entry().outputs();
                Object[] out = new Object[outputs.size()];
                for (int o = 0; o < out.length; o++) {
                    OnnxTensor t = (OnnxTensor) result.get(outputs.get(o).name()).orElseThrow();
                    if (outputs.get(o).isInt64()) {
                        LongBuffer buf = t.getLongBuffer();
                        long[] v = new long[buf.remaining()];
                        buf.get(v);
                        out[o] = v;
                    } else {
                        FloatBuffer buf = t.getFloatBuffer();
                        float[] v = new float[buf.remaining()];
                        buf.get(v);
                        out[o] = v;
                    }
                }
                return out;
            }
        } finally {
            tensors.values().forEach(OnnxTensor::close);
        }
    }

    /** A tensor of {@code shape} from the first values of a flat {@code long[]} or {@code float[]}. */
    private static OnnxTensor flatTensor(OrtEnvironment env, TensorSpec spec, long[] shape, Object flat)
            throws OrtException {
        long elements = 1;
        for (long d : shape) {
            elements *= d;
        }
        int size = Math.toIntExact(elements);
        if (spec.isInt64()) {
            if (!(flat instanceof long[] v) || v.length < size) {
                throw new IllegalArgumentException("input " + spec.name() + " needs a long[] of at least " + size);
            }
            return OnnxTensor.createTensor(env, LongBuffer.wrap(v, 0, size), shape);
        }
        if (!(flat instanceof float[] v) || v.length < size) {
            throw new IllegalArgumentException("input " + spec.name() + " needs a float[] of at least " + size);
        }
        return OnnxTensor.createTensor(env, FloatBuffer.wrap(v, 0, size), shape);
    }

    private void loop() {
        List<Request> batch = new ArrayList<>(maxBatch);
        while (running || !queue.isEmpty()) {
            try {
                Request first = queue.poll(50, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                take(batch, 0);
                boolean runNow = first.runNow;
                long deadline = first.enqueuedNanos + maxWaitNanos;
                while (batch.size() < maxBatch && !runNow) {
                    int before = batch.size();
                    queue.drainTo(batch, maxBatch - batch.size());
                    for (int i = before; i < batch.size(); i++) {
                        runNow |= batch.get(i).runNow;
                    }
                    take(batch, before);
                    long left = deadline - System.nanoTime();
                    if (runNow || batch.size() >= maxBatch || left <= 0) {
                        break;
                    }
                    Request next = queue.poll(left, TimeUnit.NANOSECONDS);
                    if (next == null) {
                        break;
                    }
                    batch.add(next);
                    take(batch, batch.size() - 1);
                    runNow = next.runNow;
                }
                run(batch);
            } catch (InterruptedException e) {
                if (!running) {
                    break;
                }
            } catch (Throwable t) {
                LOG.error("batch of {} failed", model.entry().name(), t);
                stats.recordFailure(batch.size());
                batch.forEach(r -> r.result.completeExceptionally(t));
            } finally {
                takenCount = 0;
                batch.clear();
            }
        }
    }

    /** Shows the watchdog the batch's requests from index {@code from} on. */
    private void take(List<Request> batch, int from) {
        if (answerTimeoutNanos > 0) {
            for (int i = from; i < batch.size(); i++) {
                taken[i] = batch.get(i);
            }
            takenCount = batch.size();
        }
    }

    /**
     * Fails every waiting request once the oldest of them (taken by the worker, else the queue's head) has waited
     * longer than the answer timeout: a hung or overloaded model must fail its callers, not hold them forever.
     */
    private void watch() {
        long checkMs = Math.max(10, Math.min(1_000, answerTimeoutNanos / 5_000_000));
        while (running || worker.isAlive()) {
            try {
                Thread.sleep(checkMs);
            } catch (InterruptedException e) {
                if (!running) {
                    return;
                }
            }
            List<Request> inWork = new ArrayList<>();
            for (int i = 0, n = takenCount; i < n; i++) {
                Request r = taken[i];
                if (r != null && !r.result.isDone()) { // one failed before is not stuck again
                    inWork.add(r);
                }
            }
            Request head = queue.peek();
            long oldest = head != null ? head.enqueuedNanos : Long.MAX_VALUE;
            for (Request r : inWork) {
                oldest = Math.min(oldest, r.enqueuedNanos);
            }
            long now = System.nanoTime();
            if (oldest != Long.MAX_VALUE && now - oldest > answerTimeoutNanos) {
                TimeoutException timeout = new TimeoutException("model " + model.entry().name() + " version "
                        + model.entry().version() + " did not answer a request in "
                        + Duration.ofNanos(answerTimeoutNanos) + " (inference.async-timeout)");
                List<Request> stuck = new ArrayList<>(inWork);
                queue.drainTo(stuck);
                LOG.error("{}: failing {} waiting requests", timeout.getMessage(), stuck.size());
                stats.recordFailure(stuck.size());
                stuck.forEach(r -> r.result.completeExceptionally(timeout));
            }
        }
    }

    private void run(List<Request> batch) throws OrtException {
        int n = batch.size();
        long start = System.nanoTime();
        long waited = 0;
        for (Request r : batch) {
            waited += start - r.enqueuedNanos;
        }
        List<TensorSpec> inputs = model.entry().inputs();
        Map<String, OnnxTensor> tensors = new HashMap<>();
        try {
            for (int i = 0; i < inputs.size(); i++) {
                tensors.put(inputs.get(i).name(), tensor(inputs.get(i), batch, i));
            }
            try (OrtSession.Result result = model.session().run(tensors)) {
                List<TensorSpec> outputs = model.entry().outputs();
                Object[][] perExample = new Object[n][outputs.size()];
                for (int o = 0; o < outputs.size(); o++) {
                    split(outputs.get(o), result.get(outputs.get(o).name()).orElseThrow(), perExample, o);
                }
                stats.recordBatch(n, waited, System.nanoTime() - start);
                for (int k = 0; k < n; k++) {
                    batch.get(k).result.complete(perExample[k]);
                }
            }
        } finally {
            tensors.values().forEach(OnnxTensor::close);
        }
    }

    private OnnxTensor tensor(TensorSpec spec, List<Request> batch, int input) throws OrtException {
        int size = spec.exampleSize();
        long[] shape = spec.batchShape(batch.size());
        if (spec.isInt64()) {
            int skip = spec.leftPadded()
                    ? paddingColumns(batch.size(), k -> (long[]) batch.get(k).inputs[input], spec.padValue()) : 0;
            int trail = spec.rightPadded()
                    ? trailingPaddingColumns(batch.size(), k -> (long[]) batch.get(k).inputs[input], spec.padValue())
                    : 0;
            int width = size - skip - trail;
            long[] all = new long[batch.size() * width];
            for (int k = 0; k < batch.size(); k++) {
                System.arraycopy((long[]) batch.get(k).inputs[input], skip, all, k * width, width);
            }
            if (skip > 0 || trail > 0) {
                shape[1] = width;
            }
            return flatTensor(env, spec, shape, all);
        }
        float[] all = new float[batch.size() * size];
        for (int k = 0; k < batch.size(); k++) {
            System.arraycopy((float[]) batch.get(k).inputs[input], 0, all, k * size, size);
        }
        return flatTensor(env, spec, shape, all);
    }

    /**
     * Leading columns of a left-padded window input ({@link TensorSpec#leftPadded()}) that are {@code pad} in every
     * one of the {@code n} rows: the batch runs without them, at least one column stays. Same outputs as the whole
     * windows for a graph that masks padding out of every real position and counts positions from the right (the
     * recommender). A row without a real item keeps the whole batch untrimmed: its output is the graph's answer
     * for an all-padding window of that width.
     */
    static int paddingColumns(int n, IntFunction<long[]> row, long pad) {
        int skip = Integer.MAX_VALUE;
        for (int k = 0; k < n && skip > 0; k++) {
            long[] r = row.apply(k);
            int first = 0;
            while (first < r.length && r[first] == pad) {
                first++;
            }
            if (first == r.length) {
                return 0;
            }
            skip = Math.min(skip, first);
        }
        return n == 0 ? 0 : skip;
    }

    /**
     * Trailing columns of a right-padded window input ({@link TensorSpec#rightPadded()}) that are {@code pad} in
     * every one of the {@code n} rows: the batch runs as wide as its longest row (at least one column). Same outputs
     * for a graph that masks padding out of every real position (the review model).
     */
    static int trailingPaddingColumns(int n, IntFunction<long[]> row, long pad) {
        int skip = Integer.MAX_VALUE;
        for (int k = 0; k < n && skip > 0; k++) {
            long[] r = row.apply(k);
            int last = r.length;
            while (last > 1 && r[last - 1] == pad) {
                last--;
            }
            skip = Math.min(skip, r.length - last);
        }
        return n == 0 ? 0 : skip;
    }

    private static void split(TensorSpec spec, OnnxValue value, Object[][] perExample, int output) {
        OnnxTensor t = (OnnxTensor) value;
        int n = perExample.length;
        if (spec.isInt64()) {
            LongBuffer buf = t.getLongBuffer();
            int size = buf.remaining() / n;
            for (int k = 0; k < n; k++) {
                long[] v = new long[size];
                buf.get(v);
                perExample[k][output] = v;
            }
        } else {
            FloatBuffer buf = t.getFloatBuffer();
            int size = buf.remaining() / n;
            for (int k = 0; k < n; k++) {
                float[] v = new float[size];
                buf.get(v);
                perExample[k][output] = v;
            }
        }
    }

    /** Stops taking requests, finishes every queued one, then returns (the session stays open). */
    @Override
    public void close() throws InterruptedException {
        intake.writeLock().lock();
        try {
            running = false;
        } finally {
            intake.writeLock().unlock();
        }
        worker.join(30_000);
        if (watchdog != null) {
            watchdog.interrupt();
        }
    }

    /** True once close() has returned with every queued request answered (the worker has ended). */
    public boolean isDrained() {
        return !running && !worker.isAlive();
    }
}
