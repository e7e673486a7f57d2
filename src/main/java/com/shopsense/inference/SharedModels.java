package com.shopsense.inference;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one per-JVM holder of ONNX Runtime state: one environment, and per model one {@link ServingModel}
 * (session + batcher of the serving version, or direct batches on the caller's thread) shared by every subtask of the TaskManager,
 * reference-counted. The last {@link Handle#close()} drains the batcher, then closes the session. With
 * {@code models.watch-interval} > 0, one watcher thread per JVM looks for new versions in the models'
 * directories and swaps them in ({@link HotSwap}). This is the project's only mutable static state
 * (see README, "Inference").
 */
public final class SharedModels {
    private static final Logger LOG = LoggerFactory.getLogger(SharedModels.class);
    private static final Map<String, Entry> MODELS = new HashMap<>();
    private static ScheduledExecutorService watcher;

    private static final class Entry {
        final ServingModel serving;
        final ModelSource source;
        final String modelName;
        final RuntimeOptions options;
        ScheduledFuture<?> watch;
        int references;

        Entry(ServingModel serving, ModelSource source, String modelName, RuntimeOptions options) {
            this.serving = serving;
            this.source = source;
            this.modelName = modelName;
            this.options = options;
        }
    }

    private SharedModels() {
    }

    /** A subtask's reference to a shared model; close it in the operator's close(). */
    public static final class Handle implements AutoCloseable {
        private final String key;
        private final Entry entry;
        private boolean closed;

        private Handle(String key, Entry entry) {
            this.key = key;
            this.entry = entry;
        }

        /** Scores one example (inputs in manifest order) on the serving version; the result names that version. */
        public CompletableFuture<ServingModel.Result> score(Object[] inputs) {
            return entry.serving.score(inputs, false);
        }

        /** The last of a caller's own batch before it blocks on the results: the batch runs without waiting. */
        public CompletableFuture<ServingModel.Result> scoreNow(Object[] inputs) {
            return entry.serving.score(inputs, true);
        }

        /**
         * Runs a caller's own batch of {@code n} examples on its thread (inputs: one flat array per model
         * input, manifest order); the result names the version that computed it. See {@link ServingModel#runBatch}.
         */
        public ServingModel.BatchResult runBatch(int n, Object[] inputs) throws OrtException {
            return entry.serving.runBatch(n, inputs);
        }

        public ServingModel serving() {
            return entry.serving;
        }

        /** The serving version's manifest entry (changes on a hot swap; results carry their own). */
        public ModelEntry manifestEntry() {
            return entry.serving.entry();
        }

        public String provider() {
            return entry.serving.model().provider();
        }

        @Override
        public void close() {
            synchronized (SharedModels.class) {
                if (closed) {
                    return;
                }
                closed = true;
                if (--entry.references == 0) {
                    MODELS.remove(key);
                    if (entry.watch != null) {
                        entry.watch.cancel(false);
                    }
                    stopWatcherWhenIdle();
                    try {
                        entry.serving.close();
                        LOG.info("closed shared model {}", key);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        }
    }

    /** Batch statistics of every model loaded in this JVM (for the local run's progress line). */
    public static synchronized Map<String, BatchStats> stats() {
        Map<String, BatchStats> out = new java.util.TreeMap<>();
        for (Entry e : MODELS.values()) {
            // A second variant of a model (another directory) is listed as name@directory.
            String name = out.containsKey(e.modelName) ? e.modelName + "@" + e.source.location() : e.modelName;
            out.put(name, e.serving.stats());
        }
        return out;
    }

    /** Loads (first caller) or shares the named model; throws {@link ModelLoadException} naming the file. */
    public static synchronized Handle acquire(RuntimeOptions options, String modelName) {
        ModelSource source = new ModelSource(options.modelsDir());
        String key = source.location() + "#" + modelName + "#" + options.provider() + "#" + options.maxBatch(modelName);
        Entry e = MODELS.get(key);
        if (e == null) {
            ModelEntry manifestEntry = ModelManifest.load(source).model(modelName);
            LoadedModel model = NativeStack.call("ort-load-" + modelName,
                    () -> LoadedModel.load(OrtEnvironment.getEnvironment(), source, manifestEntry, options));
            e = new Entry(new ServingModel(OrtEnvironment.getEnvironment(), model, options.maxBatch(modelName),
                    options.maxWait(), options.answerTimeout()), source, modelName, options);
            MODELS.put(key, e);
            LOG.info("loaded model {} version {} from {} on {}", modelName, manifestEntry.version(),
                    source.describe(manifestEntry.file()), model.provider());
            startWatching(e);
        }
        e.references++;
        return new Handle(key, e);
    }

    /**
     * Looks once at every loaded model's manifest and swaps in new versions (the watcher's periodic task;
     * tests call it directly). Returns the number of models swapped.
     */
    public static synchronized int checkForNewVersions() throws InterruptedException {
        int swapped = 0;
        for (Entry e : MODELS.values()) {
            swapped += check(e) ? 1 : 0;
        }
        return swapped;
    }

    // Runs under the class lock, so a swap never races the last handle's close of the same model.
    private static synchronized boolean check(Entry e) throws InterruptedException {
        return MODELS.containsValue(e) && HotSwap.check(e.serving, e.source, e.modelName, e.options);
    }

    private static void startWatching(Entry e) {
        long intervalMs = e.options.watchInterval().toMillis();
        if (intervalMs <= 0 || e.source.location().startsWith("classpath:")) {
            return; // the job JAR's copy cannot change
        }
        if (watcher == null) {
            // Loading a session recurses deeply in ORT: the watcher needs the large native stack too.
            watcher = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(null, r, "model-watcher", NativeStack.STACK_BYTES);
                t.setDaemon(true);
                return t;
            });
        }
        e.watch = watcher.scheduleWithFixedDelay(() -> {
            try {
                check(e);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException ex) {
                LOG.error("looking for a new version of model {} failed", e.modelName, ex);
            }
        }, intervalMs, intervalMs, TimeUnit.MILLISECONDS);
        LOG.info("watching {} for new versions of model {} every {} ms", e.source.describe("manifest.json"),
                e.modelName, intervalMs);
    }

    private static void stopWatcherWhenIdle() {
        if (watcher != null && MODELS.values().stream().noneMatch(x -> x.watch != null)) {
            watcher.shutdown();
            watcher = null;
        }
    }
}
