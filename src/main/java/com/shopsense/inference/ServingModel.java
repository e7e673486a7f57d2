package com.shopsense.inference;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The version of one model that serves requests now, replaceable while requests flow (hot swap).
 * Each version has its own session and batcher. A swap points new requests at the new batcher, then
 * closes the old one, which answers every request it had already queued (its worker drains the queue),
 * and only then closes the old session: in-flight requests finish on the session they were queued on.
 * Every result names the version that computed it. A caller that batches on its own runs its batch on its
 * own thread instead ({@link #runBatch}), on the version serving at that moment; a swap waits for such runs
 * before closing the old session.
 */
public final class ServingModel implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ServingModel.class);

    /** The outputs of one request and the manifest entry of the version that computed them. */
    public record Result(Object[] outputs, ModelEntry entry) {
    }

    /**
     * The outputs of one directly run batch, one flat array per model output in manifest order (example k's
     * values at {@code k * exampleSize}), and the manifest entry of the version that computed them.
     */
    public record BatchResult(Object[] outputs, ModelEntry entry) {
        public float[] floats(int output) {
            return (float[]) outputs[output];
        }

        public long[] longs(int output) {
            return (long[]) outputs[output];
        }
    }

    private final OrtEnvironment env;
    private final int maxBatch;
    private final Duration maxWait;
    private final Duration answerTimeout;
    private final BatchStats stats = new BatchStats();
    private final AtomicReference<ModelBatcher> current;
    private final AtomicLong swaps = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private volatile String lastRejection = "";
    private volatile boolean closed;

    /** @param answerTimeout a request not answered in this time fails ({@link ModelBatcher}); 0 = never */
    public ServingModel(OrtEnvironment env, LoadedModel first, int maxBatch, Duration maxWait, Duration answerTimeout) {
        this.env = env;
        this.maxBatch = maxBatch;
        this.maxWait = maxWait;
        this.answerTimeout = answerTimeout;
        this.current = new AtomicReference<>(new ModelBatcher(env, first, maxBatch, maxWait, stats, answerTimeout));
    }

    /** Scores one example on the serving version; never lost to a concurrent swap. */
    public CompletableFuture<Result> score(Object[] inputs) {
        return score(inputs, false);
    }

    /** {@code runNow}: the caller blocks on this result next, so its batch starts without waiting for more. */
    public CompletableFuture<Result> score(Object[] inputs, boolean runNow) {
        while (true) {
            ModelBatcher b = current.get();
            CompletableFuture<Object[]> f = b.trySubmit(inputs, runNow);
            if (f != null) {
                ModelEntry entry = b.model().entry();
                return f.thenApply(out -> new Result(out, entry));
            }
            if (closed || current.get() == b) {
                return CompletableFuture.failedFuture(new IllegalStateException(
                        "model " + b.model().entry().name() + " is closed"));
            }
            // b was swapped out between our read and our submit: the new batcher takes the request.
        }
    }

    /**
     * Runs {@code n} examples as one batch on the calling thread, on the serving version: no queue, no
     * futures. {@code inputs}: one flat array per model input in manifest order, as
     * {@link ModelBatcher#tryRunDirect}. Never lost to a concurrent swap (retried on the new version).
     */
    public BatchResult runBatch(int n, Object[] inputs) throws OrtException {
        while (true) {
            ModelBatcher b = current.get();
            Object[] out = b.tryRunDirect(n, inputs);
            if (out != null) {
                return new BatchResult(out, b.model().entry());
            }
            if (closed || current.get() == b) {
                throw new IllegalStateException("model " + b.model().entry().name() + " is closed");
            }
            // b was swapped out between our read and our run: the new version runs the batch.
        }
    }

    public LoadedModel model() {
        return current.get().model();
    }

    public ModelEntry entry() {
        return model().entry();
    }

    /** Statistics over every version this model has served. */
    public BatchStats stats() {
        return stats;
    }

    public long swaps() {
        return swaps.get();
    }

    public long rejected() {
        return rejected.get();
    }

    /** The reason of the latest rejected version (names the file), empty when none. */
    public String lastRejection() {
        return lastRejection;
    }

    /** Counts and remembers a new version that failed its checks; the serving version stays. */
    void reject(String reason) {
        rejected.incrementAndGet();
        lastRejection = reason;
        LOG.error("hot swap of model {} rejected, version {} keeps serving: {}", entry().name(), entry().version(), reason);
    }

    /**
     * Makes {@code next} the serving version and retires the old one once it has answered its queued
     * requests. Blocks the caller (the watcher thread) for that drain, not the submitters.
     */
    void swapTo(LoadedModel next) throws InterruptedException {
        ModelBatcher old = current.getAndSet(new ModelBatcher(env, next, maxBatch, maxWait, stats, answerTimeout));
        swaps.incrementAndGet();
        LOG.info("model {} swapped from version {} to {}", next.entry().name(), old.model().entry().version(),
                next.entry().version());
        retire(old);
    }

    private static void retire(ModelBatcher old) throws InterruptedException {
        old.close();
        if (!old.isDrained()) {
            // A run() still going after 30 s: leak the session rather than free it under a running batch.
            LOG.warn("model {} version {} still busy after close; its session is left open",
                    old.model().entry().name(), old.model().entry().version());
            return;
        }
        try {
            old.model().close();
        } catch (OrtException e) {
            LOG.warn("closing model {} version {} failed", old.model().entry().name(), old.model().entry().version(), e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        retire(current.get());
    }
}
