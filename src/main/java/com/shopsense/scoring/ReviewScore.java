package com.shopsense.scoring;

import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * A review event as the review model scored it: ids, time, the star rating the customer gave and the model's
 * reading of the text. Never the text itself (docs/privacy.md): this is all of a review that travels on.
 *
 * @param categoryId the review's category, null when the event named none
 * @param rating the customer's stars 1..5, null when the review had none
 * @param pNegative the model's probability that the text is negative; NaN when the review had no text (a rating
 *     alone: counted, not scored)
 * @param expectedRating the model's expected star rating 1..5 from the text (less reliable for Chinese text:
 *     MODEL_CARD.md); NaN without text
 * @param negativeThreshold the model version's {@code negative} threshold (manifest); NaN without text
 * @param modelVersion the version that scored it; null without text
 */
@TypeInfo(ReviewScoreSerializer.Factory.class)
public record ReviewScore(
        String eventId,
        String userId,
        String itemId,
        String categoryId,
        long ts,
        Integer rating,
        float pNegative,
        float expectedRating,
        double negativeThreshold,
        String modelVersion) {

    /** A review with a rating and no text: nothing for the model to read. */
    public static ReviewScore unscored(String eventId, String userId, String itemId, String categoryId, long ts,
            Integer rating) {
        return new ReviewScore(eventId, userId, itemId, categoryId, ts, rating, Float.NaN, Float.NaN, Double.NaN,
                null);
    }

    /** Whether the model read a text. */
    public boolean scored() {
        return !Float.isNaN(pNegative);
    }

    /** A negative review: scored, and p_negative at or over the model's threshold. */
    public boolean negative() {
        return scored() && pNegative >= negativeThreshold;
    }

    /** 1 - p_negative: the sentiment the profile and the aggregates carry (NaN without text). */
    public double sentiment() {
        return 1.0 - pNegative;
    }
}
