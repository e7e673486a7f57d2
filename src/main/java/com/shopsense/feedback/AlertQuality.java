package com.shopsense.feedback;

/**
 * Running alert quality of one fraud model version, from the labels received so far.
 *
 * @param alerts payments the version alerted on
 * @param alertedFraud alerted payments later confirmed fraud
 * @param alertedLegit alerted payments later confirmed legit
 * @param fraudLabels payments confirmed fraud (alerted or not)
 * @param legitLabels payments confirmed legit
 * @param sequence number of changes applied so far; orders the writes to Redis (latest wins)
 */
public record AlertQuality(String modelVersion, long alerts, long alertedFraud, long alertedLegit, long fraudLabels,
        long legitLabels, long sequence) {

    /** Confirmed fraud among all alerts: a lower bound while labels are still pending. */
    public double precision() {
        return alerts == 0 ? 0.0 : (double) alertedFraud / alerts;
    }

    /** Confirmed fraud among the alerts that already have a verdict. */
    public double decidedPrecision() {
        long decided = alertedFraud + alertedLegit;
        return decided == 0 ? 0.0 : (double) alertedFraud / decided;
    }

    /** Alerted payments among the confirmed fraud. */
    public double recall() {
        return fraudLabels == 0 ? 0.0 : (double) alertedFraud / fraudLabels;
    }
}
