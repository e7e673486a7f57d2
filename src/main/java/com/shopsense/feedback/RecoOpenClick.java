package com.shopsense.feedback;

/** An attributed click waiting for an order of its user (a conversion of its version); a Flink POJO. */
public class RecoOpenClick {
    public long ts;
    public String modelVersion;

    public RecoOpenClick() {
    }

    RecoOpenClick(long ts, String modelVersion) {
        this.ts = ts;
        this.modelVersion = modelVersion;
    }
}
