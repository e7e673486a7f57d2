package com.shopsense.scoring;

import com.shopsense.inference.BatchStats;
import com.shopsense.inference.ExecutionProvider;
import com.shopsense.inference.SharedModels;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;

/** Metrics of a shared model, registered by every operator that uses it (group {@code model.<name>}). */
public final class ModelMetrics {
    private ModelMetrics() {
    }

    public static void register(MetricGroup operatorGroup, SharedModels.Handle model) {
        register(operatorGroup, model, model.manifestEntry().name());
    }

    /** Under {@code model.<label>}: a second variant of the same model needs its own group. */
    public static void register(MetricGroup operatorGroup, SharedModels.Handle model, String label) {
        BatchStats s = model.serving().stats();
        MetricGroup g = operatorGroup.addGroup("model", label);
        g.gauge("executionProviderIsCuda", (Gauge<Integer>) () -> ExecutionProvider.CUDA.equals(model.provider()) ? 1 : 0);
        g.gauge("executionProvider", (Gauge<String>) model::provider);
        g.gauge("version", (Gauge<String>) () -> model.manifestEntry().version());
        // Hot swap (README "Recommendation A/B and model hot-swap"): versions swapped in, and rejected ones.
        g.gauge("hotSwaps", (Gauge<Long>) () -> model.serving().swaps());
        g.gauge("hotSwapsRejected", (Gauge<Long>) () -> model.serving().rejected());
        g.gauge("lastRejectedVersion", (Gauge<String>) () -> model.serving().lastRejection());
        g.gauge("requests", (Gauge<Long>) s::requests);
        g.gauge("batches", (Gauge<Long>) s::batches);
        g.gauge("failures", (Gauge<Long>) s::failures);
        g.gauge("batchSizeMean", (Gauge<Double>) s::meanBatchSize);
        g.gauge("queueWaitMsMean", (Gauge<Double>) s::meanQueueWaitMillis);
        g.gauge("inferenceMsMean", (Gauge<Double>) s::meanInferenceMillis);
        g.gauge("inferenceMsMax", (Gauge<Double>) s::maxInferenceMillis);
        for (int i = 0; i < BatchStats.BUCKETS; i++) {
            int bucket = i;
            g.gauge("batchesOfSize" + (1 << i) + (i == BatchStats.BUCKETS - 1 ? "Plus" : ""),
                    (Gauge<Long>) () -> s.batchesInBucket(bucket));
        }
    }
}
