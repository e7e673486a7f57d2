package com.shopsense.scoring;

import com.shopsense.inference.ModelEntry;
import com.shopsense.inference.RuntimeOptions;
import com.shopsense.inference.SharedModels;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MeterView;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.async.RichAsyncFunction;

/**
 * Scores one record with a stateless model through the JVM-wide micro-batcher, for Async I/O
 * ({@code AsyncDataStream.unorderedWait}): in-flight requests are part of the operator's checkpoint
 * and are re-sent after a failure. Subclasses say how to build inputs and read outputs.
 */
public abstract class ModelAsyncFunction<IN, OUT> extends RichAsyncFunction<IN, OUT> {
    private static final long serialVersionUID = 1L;

    private final RuntimeOptions runtime;
    private final String modelName;
    protected transient SharedModels.Handle model;
    private transient Counter requests;
    private transient Map<String, Double> thresholds;

    protected ModelAsyncFunction(RuntimeOptions runtime, String modelName) {
        this.runtime = runtime;
        this.modelName = modelName;
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        model = SharedModels.acquire(runtime, modelName);
        ModelMetrics.register(getRuntimeContext().getMetricGroup(), model);
        thresholds = new ConcurrentHashMap<>();
        requests = getRuntimeContext().getMetricGroup().counter("scoringRequests");
        getRuntimeContext().getMetricGroup().meter("scoringRequestsPerSecond", new MeterView(requests));
        init(model.manifestEntry());
    }

    /** Called once the model is loaded (encoders, output indices). */
    protected void init(ModelEntry entry) throws Exception {
    }

    /** The model's inputs for one record, in manifest order. */
    protected abstract Object[] inputs(IN in);

    /** The result for one record from the model's outputs (manifest order). */
    protected abstract OUT result(IN in, Object[] outputs, ModelEntry entry);

    /** The model that scores this record (one model unless a subclass serves variants). */
    protected SharedModels.Handle modelFor(IN in) {
        return model;
    }

    /**
     * A decision threshold of the version that scored a record: after a hot swap the new version's own
     * thresholds apply. Parsed once per version (called from the batcher threads, hence concurrent).
     */
    protected double threshold(ModelEntry entry, String key) {
        return thresholds.computeIfAbsent(entry.version() + "\0" + key, k -> entry.threshold(key));
    }

    @Override
    public void asyncInvoke(IN in, ResultFuture<OUT> resultFuture) {
        score(in, inputs(in), resultFuture);
    }

    /** Submits a record whose inputs the caller has built already ({@link #inputs} builds them otherwise). */
    protected void score(IN in, Object[] inputs, ResultFuture<OUT> resultFuture) {
        requests.inc();
        modelFor(in).score(inputs).whenComplete((scored, error) -> {
            if (error != null) {
                resultFuture.completeExceptionally(error);
            } else {
                try {
                    // The version that computed the outputs, which a hot swap may have replaced since.
                    resultFuture.complete(List.of(result(in, scored.outputs(), scored.entry())));
                } catch (RuntimeException e) {
                    resultFuture.completeExceptionally(e);
                }
            }
        });
    }

    @Override
    public void close() throws Exception {
        if (model != null) {
            model.close();
        }
    }
}
