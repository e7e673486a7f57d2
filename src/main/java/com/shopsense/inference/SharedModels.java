package com.shopsense.inference;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one per-JVM holder of ONNX Runtime state: one environment, and per model one session and
 * one batcher shared by every subtask of the TaskManager, reference-counted. The last
 * {@link Handle#close()} drains the batcher, then closes the session. This is the project's only
 * mutable static state (see README, "Inference").
 */
public final class SharedModels {
    private static final Logger LOG = LoggerFactory.getLogger(SharedModels.class);
    private static final Map<String, Entry> MODELS = new HashMap<>();

    private static final class Entry {
        final LoadedModel model;
        final ModelBatcher batcher;
        int references;

        Entry(LoadedModel model, ModelBatcher batcher) {
            this.model = model;
            this.batcher = batcher;
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

        public ModelBatcher batcher() {
            return entry.batcher;
        }

        public ModelEntry manifestEntry() {
            return entry.model.entry();
        }

        public String provider() {
            return entry.model.provider();
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
                    try {
                        entry.batcher.close();
                        entry.model.close();
                        LOG.info("closed shared model {}", key);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } catch (OrtException e) {
                        LOG.warn("closing model {} failed", key, e);
                    }
                }
            }
        }
    }

    /** Batch statistics of every model loaded in this JVM (for the local run's progress line). */
    public static synchronized Map<String, BatchStats> stats() {
        Map<String, BatchStats> out = new java.util.TreeMap<>();
        MODELS.values().forEach(e -> out.put(e.model.entry().name(), e.batcher.stats()));
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
            e = new Entry(model, new ModelBatcher(OrtEnvironment.getEnvironment(), model, options.maxBatch(modelName),
                    options.maxWait()));
            MODELS.put(key, e);
            LOG.info("loaded model {} version {} from {} on {}", modelName, manifestEntry.version(),
                    source.describe(manifestEntry.file()), model.provider());
        }
        e.references++;
        return new Handle(key, e);
    }
}
