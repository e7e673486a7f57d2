package com.shopsense.feedback;

/**
 * A change to one model version's alert-quality counts, caused by one scored payment or one label.
 * Deltas may be negative when a later label reverses an earlier verdict.
 */
public record QualityDelta(String modelVersion, long alerts, long fraudLabels, long legitLabels, long alertedFraud,
        long alertedLegit) {

    /** What a verdict on a payment contributes to the counts. */
    static QualityDelta ofVerdict(String version, boolean alerted, int verdict, int sign) {
        boolean fraud = verdict == PaymentOutcome.FRAUD;
        boolean legit = verdict == PaymentOutcome.LEGIT;
        return new QualityDelta(version, 0, sign * (fraud ? 1 : 0), sign * (legit ? 1 : 0),
                sign * (alerted && fraud ? 1 : 0), sign * (alerted && legit ? 1 : 0));
    }

    QualityDelta plus(QualityDelta o) {
        return new QualityDelta(modelVersion, alerts + o.alerts, fraudLabels + o.fraudLabels,
                legitLabels + o.legitLabels, alertedFraud + o.alertedFraud, alertedLegit + o.alertedLegit);
    }

    boolean isZero() {
        return alerts == 0 && fraudLabels == 0 && legitLabels == 0 && alertedFraud == 0 && alertedLegit == 0;
    }
}
