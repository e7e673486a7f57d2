package com.shopsense.scoring;

/** Per-user state of the intent stage (keyed, RocksDB): the GRU hidden state of the open session. */
public class IntentState {
    public String sessionId;
    public float[] hidden;

    public IntentState() {
    }
}
