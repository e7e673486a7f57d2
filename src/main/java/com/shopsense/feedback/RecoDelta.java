package com.shopsense.feedback;

/**
 * A change to one recommender version's A/B counts: one list, click or order from the tracker, or their sum per
 * version and second ({@link RecoDeltaCombiner}).
 */
public record RecoDelta(String modelVersion, long impressions, long clicks, long conversions) {

    static RecoDelta impression(String version) {
        return new RecoDelta(version, 1, 0, 0);
    }

    static RecoDelta click(String version) {
        return new RecoDelta(version, 0, 1, 0);
    }

    static RecoDelta conversion(String version) {
        return new RecoDelta(version, 0, 0, 1);
    }
}
