package com.shopsense.tools.readers;

import com.shopsense.inference.ModelEntry;
import com.shopsense.inference.ModelManifest;
import com.shopsense.inference.ModelSource;

/**
 * The decision thresholds the job applies, from the models' manifest, so the page shows each score next to the
 * threshold that decides with it: intent's {@code highIntent}, churn's {@code atRisk}, fraud's {@code alert}.
 * A threshold the manifest lacks is NaN (the page then shows the score without one).
 */
public record ScoreThresholds(double highIntent, double churnAtRisk, double fraudAlert) {
    public static final ScoreThresholds NONE = new ScoreThresholds(Double.NaN, Double.NaN, Double.NaN);

    /** From {@code models.dir} ({@code onnx-models}, or {@code classpath:onnx-models} for the JAR's copy). */
    public static ScoreThresholds load(String modelsDir) {
        return of(ModelManifest.load(new ModelSource(modelsDir)));
    }

    public static ScoreThresholds of(ModelManifest m) {
        return new ScoreThresholds(threshold(m, "intent", "highIntent"), threshold(m, "churn", "atRisk"),
                threshold(m, "fraud", "alert"));
    }

    private static double threshold(ModelManifest m, String model, String key) {
        ModelEntry e = m.models().get(model);
        if (e == null) {
            return Double.NaN;
        }
        try {
            return e.threshold(key);
        } catch (IllegalStateException absent) {
            return Double.NaN;
        }
    }
}
