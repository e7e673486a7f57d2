package com.shopsense.feedback;

/**
 * Running A/B counts of one recommender version (README "Recommendation A/B and model hot-swap").
 *
 * @param impressions recommendation lists the version produced (each written to the user's reco key)
 * @param clicks reco_click events attributed to a list of this version
 * @param conversions attributed clicks followed by an order of the same user within the attribution window
 * @param sequence number of changes (impressions, clicks, conversions and evaluated lists) applied so far; orders
 *     the writes to Redis (latest wins)
 * @param model online quality (HitRate@20, MRR@20) of the version's lists of source model
 * @param trending the same for its lists of source trending
 */
public record RecoAbTotals(String modelVersion, long impressions, long clicks, long conversions, long sequence,
        RecoQuality model, RecoQuality trending) {

    /** Totals without any evaluated list. */
    public RecoAbTotals(String modelVersion, long impressions, long clicks, long conversions, long sequence) {
        this(modelVersion, impressions, clicks, conversions, sequence, RecoQuality.NONE, RecoQuality.NONE);
    }

    /** Click-through rate: attributed clicks per list shown. */
    public double ctr() {
        return impressions == 0 ? 0.0 : (double) clicks / impressions;
    }

    /** Attributed clicks that led to an order. */
    public double conversionRate() {
        return clicks == 0 ? 0.0 : (double) conversions / clicks;
    }

    /** Online quality of both sources together. */
    public RecoQuality all() {
        return model.plus(trending);
    }
}
