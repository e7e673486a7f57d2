package com.shopsense.scoring;

import com.shopsense.session.PurchaseSummary;

/**
 * Churn probability of a user, computed when one of their sessions closes. Customers only: for a prospect (no
 * order yet) the record still comes (segments are evaluated from it) but carries no score ({@link #scored}
 * false, probability NaN, no model version), and nothing of churn is written for them.
 *
 * @param sessionEndTs the closed session's last event time: the score's event time
 * @param purchases the user's purchase summary after that session, for segments
 */
public record ChurnScore(String userId, long sessionEndTs, PurchaseSummary purchases, float probability,
        double atRiskThreshold, String modelVersion) {

    /** The record of a prospect's closed session: purchases for the segments, no churn score. */
    public static ChurnScore unscored(String userId, long sessionEndTs, PurchaseSummary purchases) {
        return new ChurnScore(userId, sessionEndTs, purchases, Float.NaN, Double.NaN, null);
    }

    /** Whether the churn model scored this user (a customer). */
    public boolean scored() {
        return modelVersion != null;
    }

    /** Whether the score is at or over the model's at-risk threshold; false when not scored. */
    public boolean atRisk() {
        return scored() && probability >= atRiskThreshold;
    }
}
