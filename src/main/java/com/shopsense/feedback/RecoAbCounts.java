package com.shopsense.feedback;

/** Exact A/B totals of one version in keyed state; a Flink POJO (public fields, no Kryo). */
public class RecoAbCounts {
    public long impressions;
    public long clicks;
    public long conversions;
    public long sequence;

    public RecoAbCounts() {
    }

    void add(RecoDelta d) {
        impressions += d.impressions();
        clicks += d.clicks();
        conversions += d.conversions();
        // One change per impression, click and conversion, also when the combiner summed several into one delta.
        sequence += d.impressions() + d.clicks() + d.conversions();
    }

    RecoAbTotals snapshot(String version) {
        return new RecoAbTotals(version, impressions, clicks, conversions, sequence);
    }
}
