package com.shopsense.scoring;

import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * Per-user state of the intent stage (keyed, RocksDB): the GRU hidden state of the open session. Serialized by
 * {@link IntentStateSerializer}: a new field needs a new format there (its javadoc says how).
 */
@TypeInfo(IntentStateSerializer.Factory.class)
public class IntentState {
    public String sessionId;
    public float[] hidden;

    public IntentState() {
    }
}
