package com.shopsense.insight;

import java.io.Serializable;

/**
 * The negative_review_surge rule (options review.surge.*): a product's negative share over its last {@code lastN}
 * scored reviews exceeds its long-run share (the scored reviews before those) by more than {@code margin}, with at
 * least {@code minReviews} long-run reviews.
 */
public record ReviewSurgeSpec(int lastN, double margin, int minReviews) implements Serializable {

    public ReviewSurgeSpec {
        if (lastN < 1 || minReviews < 1 || !(margin >= 0 && margin < 1)) {
            throw new IllegalArgumentException("review.surge: last-n and min-reviews must be >= 1, margin in [0, 1), "
                    + "got " + lastN + ", " + minReviews + ", " + margin);
        }
    }
}
