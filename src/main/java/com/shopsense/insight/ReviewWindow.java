package com.shopsense.insight;

/**
 * One product's or category's reviews in the window ending at {@code windowEnd} (docs/insight.md "Reviews"): what
 * the Redis hash {@code prefix:review:<scope>:<id>} holds. A window without reviews (the one after the last
 * review left it) has every count 0 and the means NaN.
 *
 * @param reviews reviews in the window
 * @param rated those with a star rating
 * @param scored those with a text the model read
 * @param meanRating mean stars of the rated, NaN when none
 * @param shareNegative share of the scored at or over the model's negative threshold, NaN when none
 * @param meanSentiment mean 1 - p_negative of the scored, NaN when none
 * @param modelVersion the version that scored the window's newest scored review (null when none)
 */
public record ReviewWindow(String scope, String id, long windowEnd, long reviews, long rated, long scored,
        double meanRating, double shareNegative, double meanSentiment, String modelVersion) {
}
