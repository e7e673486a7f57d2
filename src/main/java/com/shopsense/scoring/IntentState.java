package com.shopsense.scoring;

import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * Per-user state of the intent stage (keyed, RocksDB), while the user's session is open: the session's GRU hidden
 * state and what was last written to the user's score hash in it. Serialized by {@link IntentStateSerializer}: a new field needs a
 * new format there (its javadoc says how).
 */
@TypeInfo(IntentStateSerializer.Factory.class)
public class IntentState {
    public String sessionId;
    public float[] hidden;
    /** The probability last written to the score hash in this session; null before the session's first write. */
    public Float writtenProbability;
    /** The model version of that write. */
    public String writtenModel;
    /**
     * The session's latest probability (every score, material or not): a cart_abandoned action's intent at close;
     * NaN before the session's first score. A primitive: it is set on every event (no boxing).
     */
    public float latestProbability = Float.NaN;
    /** Whether the session's high_intent action was emitted (at most one per session). */
    public boolean highIntentSent;

    public IntentState() {
    }
}
