package com.shopsense.feedback;

/**
 * A reco_click or an order waiting for the watermark (so that every list shown before it has arrived),
 * or an attributed click waiting for an order (then {@code modelVersion} is set). A Flink POJO.
 */
public class RecoAction {
    public long ts;
    public boolean order;
    public String itemId;
    public String modelVersion;

    public RecoAction() {
    }

    RecoAction(long ts, boolean order, String itemId, String modelVersion) {
        this.ts = ts;
        this.order = order;
        this.itemId = itemId;
        this.modelVersion = modelVersion;
    }
}
