package com.shopsense.insight;

import com.shopsense.scoring.ReviewScore;

/**
 * One scored review as one scope's window counts it: the product's ({@link #ITEM}) or the category's
 * ({@link #CATEGORY}). Numbers only.
 *
 * @param rating stars 1..5, 0 when the review had none
 * @param sentiment 1 - p_negative, NaN when the review had no text
 */
public record ReviewFact(String scope, String id, long ts, int rating, double sentiment, boolean negative,
        String modelVersion) {

    public static final String ITEM = "item";
    public static final String CATEGORY = "cat";

    /** The keyed window's key: scope and id. */
    public String key() {
        return scope + ":" + id;
    }

    /** The review for its product, and for its category when it names one. */
    public static ReviewFact[] of(ReviewScore s) {
        int rating = s.rating() == null ? 0 : s.rating();
        ReviewFact item = new ReviewFact(ITEM, s.itemId(), s.ts(), rating, s.sentiment(), s.negative(),
                s.modelVersion());
        if (s.categoryId() == null) {
            return new ReviewFact[] {item};
        }
        return new ReviewFact[] {item, new ReviewFact(CATEGORY, s.categoryId(), s.ts(), rating, s.sentiment(),
                s.negative(), s.modelVersion())};
    }
}
