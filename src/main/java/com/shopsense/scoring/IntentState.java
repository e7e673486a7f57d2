package com.shopsense.scoring;

/** Per-user state of the intent stage (keyed, RocksDB): the GRU hidden state of the open session. */
public class IntentState {
    public String sessionId;
    public float[] hidden;
    /** Event time of the last recommendation refresh, -1 when none. */
    public long lastRecoTs = -1;

    public IntentState() {
    }
}
