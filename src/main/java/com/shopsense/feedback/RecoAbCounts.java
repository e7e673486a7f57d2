package com.shopsense.feedback;

/**
 * Exact A/B totals of one version in keyed state; a Flink POJO (public fields, no Kryo). The online-quality
 * fields came later: a savepoint without them restores them as 0 (POJO schema evolution, docs/deploy.md).
 */
public class RecoAbCounts {
    public long impressions;
    public long clicks;
    public long conversions;
    public long sequence;
    /** Online quality of lists of source model: lists evaluated, hits, reciprocal ranks (RecoQuality units). */
    public long modelLists;
    public long modelHits;
    public long modelRrUnits;
    /** The same for lists of source trending. */
    public long trendingLists;
    public long trendingHits;
    public long trendingRrUnits;

    public RecoAbCounts() {
    }

    void add(RecoDelta d) {
        impressions += d.impressions();
        clicks += d.clicks();
        conversions += d.conversions();
        modelLists += d.model().lists();
        modelHits += d.model().hits();
        modelRrUnits += d.model().rrUnits();
        trendingLists += d.trending().lists();
        trendingHits += d.trending().hits();
        trendingRrUnits += d.trending().rrUnits();
        // One change per impression, click, conversion and evaluated list, also when the combiner summed several.
        sequence += d.changes();
    }

    RecoAbTotals snapshot(String version) {
        return new RecoAbTotals(version, impressions, clicks, conversions, sequence,
                new RecoQuality(modelLists, modelHits, modelRrUnits),
                new RecoQuality(trendingLists, trendingHits, trendingRrUnits));
    }
}
