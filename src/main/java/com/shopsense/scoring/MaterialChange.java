package com.shopsense.scoring;

import com.shopsense.inference.ModelEntry;
import java.io.Serializable;

/**
 * Whether a new intent probability is worth a write to the user's score hash. Readers only see the latest
 * value, so a change smaller than {@code minDelta} since the last write is skipped; always written: the
 * first score of a session, a score of another model version and one that crosses the model's
 * high-intent threshold (so a decision taken on the threshold sees every crossing). minDelta 0 writes every score.
 *
 * @param threshold the manifest's {@code thresholds.highIntent}, NaN when the model has none
 */
public record MaterialChange(double minDelta, double threshold) implements Serializable {
    /** The key of the intent threshold in the manifest's {@code thresholds}. */
    public static final String THRESHOLD_KEY = "highIntent";

    public MaterialChange {
        if (!(minDelta >= 0 && minDelta <= 1)) {
            throw new IllegalArgumentException("redis.intent-min-delta must be in [0, 1]: " + minDelta);
        }
    }

    /** With the threshold of {@code model}, if its manifest entry has one. */
    public static MaterialChange of(double minDelta, ModelEntry model) {
        double t;
        try {
            t = model.threshold(THRESHOLD_KEY);
        } catch (IllegalStateException noThreshold) {
            t = Double.NaN;
        }
        return new MaterialChange(minDelta, t);
    }

    /**
     * @param written the probability last written in this session, null if none
     * @param writtenModel the model version of that write
     */
    public boolean isMaterial(Float written, String writtenModel, float p, String model) {
        if (written == null || !model.equals(writtenModel)) {
            return true;
        }
        if (!Double.isNaN(threshold) && (written >= threshold) != (p >= threshold)) {
            return true;
        }
        return Math.abs((double) p - written) >= minDelta;
    }
}
