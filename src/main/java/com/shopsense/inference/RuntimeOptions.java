package com.shopsense.inference;

import java.io.Serializable;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * How models run (README "Configuration", options {@code models.*} and {@code inference.*}).
 *
 * @param provider {@code auto} (CUDA when it loads, else CPU), {@code cpu} or {@code cuda}
 * @param requireGpu fail instead of falling back to CPU
 * @param maxBatch a batch runs as soon as it has this many requests
 * @param maxWait ... or when its oldest request has waited this long
 * @param maxBatchPerModel per-model exceptions to maxBatch, {@code name=size,name=size} (models
 *     differ: the Transformer recommender is fastest at small batches, the GRU step at large ones)
 * @param watchInterval how often the models directory is checked for new versions (hot swap); 0 = never
 * @param answerTimeout a request the model has not answered in this time fails (its caller's task restarts from
 *     the last checkpoint); checked by the micro-batcher's watchdog, not per request; 0 = never
 */
public record RuntimeOptions(
        String modelsDir,
        String provider,
        boolean requireGpu,
        int cudaDevice,
        int intraOpThreads,
        int maxBatch,
        Duration maxWait,
        String maxBatchPerModel,
        Duration watchInterval,
        Duration answerTimeout) implements Serializable {

    public RuntimeOptions {
        parseOverrides(maxBatchPerModel); // fail at submission on a typo
        if (watchInterval.isNegative()) {
            throw new IllegalArgumentException("models.watch-interval must not be negative");
        }
        if (answerTimeout.isNegative()) {
            throw new IllegalArgumentException("inference.async-timeout must not be negative");
        }
    }

    public RuntimeOptions(String modelsDir, String provider, boolean requireGpu, int cudaDevice, int intraOpThreads,
            int maxBatch, Duration maxWait, String maxBatchPerModel) {
        this(modelsDir, provider, requireGpu, cudaDevice, intraOpThreads, maxBatch, maxWait, maxBatchPerModel,
                Duration.ZERO, Duration.ZERO);
    }

    public RuntimeOptions(String modelsDir, String provider, boolean requireGpu, int cudaDevice, int intraOpThreads,
            int maxBatch, Duration maxWait) {
        this(modelsDir, provider, requireGpu, cudaDevice, intraOpThreads, maxBatch, maxWait, "");
    }

    public static RuntimeOptions cpu(String modelsDir) {
        return new RuntimeOptions(modelsDir, "cpu", false, 0, 1, 256, Duration.ofMillis(5));
    }

    /** The same options for the models of another directory (a second recommender variant). */
    public RuntimeOptions withModelsDir(String dir) {
        return new RuntimeOptions(dir, provider, requireGpu, cudaDevice, intraOpThreads, maxBatch, maxWait,
                maxBatchPerModel, watchInterval, answerTimeout);
    }

    /** The same options with another hot-swap watch interval. */
    public RuntimeOptions withWatchInterval(Duration interval) {
        return new RuntimeOptions(modelsDir, provider, requireGpu, cudaDevice, intraOpThreads, maxBatch, maxWait,
                maxBatchPerModel, interval, answerTimeout);
    }

    /** The micro-batch size limit of one model. */
    public int maxBatch(String model) {
        return parseOverrides(maxBatchPerModel).getOrDefault(model, maxBatch);
    }

    private static Map<String, Integer> parseOverrides(String spec) {
        Map<String, Integer> out = new HashMap<>();
        if (spec == null || spec.isBlank()) {
            return out;
        }
        for (String part : spec.split(",")) {
            String[] kv = part.trim().split("=");
            int n;
            try {
                n = kv.length == 2 ? Integer.parseInt(kv[1].trim()) : -1;
            } catch (NumberFormatException e) {
                n = -1;
            }
            if (n <= 0 || kv[0].isBlank()) {
                throw new IllegalArgumentException("inference.max-batch-per-model: expected model=size[,model=size], got '"
                        + spec + "'");
            }
            out.put(kv[0].trim(), n);
        }
        return out;
    }
}
