package com.shopsense.feedback;

/**
 * A reco_click, an order or another item event waiting for the watermark, so that every list shown before it has
 * arrived; a Flink POJO. The item is kept as its {@link RecoShown#itemHash}. Every action but an order is
 * evaluated against the list live before it (online quality); a reco_click is also attributed.
 */
public class RecoPendingAction {
    public long ts;
    public boolean order;
    public long itemHash;
    /**
     * An item event that is not a reco_click (a view, a cart change): evaluated, not attributed. Added with online
     * quality; false in restored state, where every non-order action was a click.
     */
    public boolean itemOnly;

    public RecoPendingAction() {
    }

    RecoPendingAction(long ts, boolean order, long itemHash, boolean itemOnly) {
        this.ts = ts;
        this.order = order;
        this.itemHash = itemHash;
        this.itemOnly = itemOnly;
    }
}
