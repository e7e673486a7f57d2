package com.shopsense.inference;

import java.io.Serializable;
import java.time.Duration;

/**
 * How models run (README "Configuration", options {@code models.*} and {@code inference.*}).
 *
 * @param provider {@code auto} (CUDA when it loads, else CPU), {@code cpu} or {@code cuda}
 * @param requireGpu fail instead of falling back to CPU
 * @param maxBatch a batch runs as soon as it has this many requests
 * @param maxWait ... or when its oldest request has waited this long
 */
public record RuntimeOptions(
        String modelsDir,
        String provider,
        boolean requireGpu,
        int cudaDevice,
        int intraOpThreads,
        int maxBatch,
        Duration maxWait) implements Serializable {

    public static RuntimeOptions cpu(String modelsDir) {
        return new RuntimeOptions(modelsDir, "cpu", false, 0, 1, 256, Duration.ofMillis(5));
    }
}
