package com.shopsense.scoring;

import com.shopsense.session.SessionClosed;

/** Churn probability of a user, computed when one of their sessions closes. */
public record ChurnScore(SessionClosed session, float probability, double atRiskThreshold, String modelVersion) {
}
