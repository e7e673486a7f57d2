package com.shopsense.feedback;

/**
 * A change to one recommender version's A/B counts: one list, click, order or list evaluation from the tracker,
 * or their sum per version and second ({@link RecoDeltaCombiner}).
 *
 * @param model online quality of the version's lists of source {@code model}
 * @param trending online quality of the version's lists of source {@code trending} (the fallback)
 */
public record RecoDelta(String modelVersion, long impressions, long clicks, long conversions, RecoQuality model,
        RecoQuality trending) {

    /** A delta of impressions, clicks and conversions only. */
    public RecoDelta(String modelVersion, long impressions, long clicks, long conversions) {
        this(modelVersion, impressions, clicks, conversions, RecoQuality.NONE, RecoQuality.NONE);
    }

    static RecoDelta impression(String version) {
        return new RecoDelta(version, 1, 0, 0);
    }

    static RecoDelta click(String version) {
        return new RecoDelta(version, 0, 1, 0);
    }

    static RecoDelta conversion(String version) {
        return new RecoDelta(version, 0, 0, 1);
    }

    /** One list of {@code source} evaluated against its user's next item, found at {@code rank} (0: absent). */
    static RecoDelta evaluated(String version, boolean trending, int rank) {
        RecoQuality q = RecoQuality.evaluated(rank);
        return trending ? new RecoDelta(version, 0, 0, 0, RecoQuality.NONE, q)
                : new RecoDelta(version, 0, 0, 0, q, RecoQuality.NONE);
    }

    /** Number of changes in this delta: impressions, clicks, conversions and evaluated lists. */
    long changes() {
        return impressions + clicks + conversions + model.lists() + trending.lists();
    }
}
