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
        BatchStats s = model.batcher().stats();
        MetricGroup g = operatorGroup.addGroup("model", model.manifestEntry().name());
        g.gauge("executionProviderIsCuda", (Gauge<Integer>) () -> ExecutionProvider.CUDA.equals(model.provider()) ? 1 : 0);
        g.gauge("executionProvider", (Gauge<String>) model::provider);
        g.gauge("version", (Gauge<String>) () -> model.manifestEntry().version());
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
