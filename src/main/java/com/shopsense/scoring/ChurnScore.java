package com.shopsense.scoring;

import com.shopsense.session.PurchaseSummary;

/**
 * Churn probability of a user, computed when one of their sessions closes.
 *
 * @param sessionEndTs the closed session's last event time: the score's event time
 * @param purchases the user's purchase summary after that session, for segments
 */
public record ChurnScore(String userId, long sessionEndTs, PurchaseSummary purchases, float probability,
        double atRiskThreshold, String modelVersion) {
}
