package com.shopsense.feedback;

/**
 * A reco_click or an order waiting for the watermark, so that every list shown before it has arrived; a Flink
 * POJO. The clicked item is kept as its {@link RecoShown#itemHash}.
 */
public class RecoPendingAction {
    public long ts;
    public boolean order;
    public long itemHash;

    public RecoPendingAction() {
    }

    RecoPendingAction(long ts, boolean order, long itemHash) {
        this.ts = ts;
        this.order = order;
        this.itemHash = itemHash;
    }
}
