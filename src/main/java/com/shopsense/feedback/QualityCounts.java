package com.shopsense.feedback;

/** Keyed state of one model version's alert-quality counts (POJO). */
public class QualityCounts {
    public long alerts;
    public long alertedFraud;
    public long alertedLegit;
    public long fraudLabels;
    public long legitLabels;
    public long sequence;

    public QualityCounts() {
    }

    void add(QualityDelta d) {
        alerts += d.alerts();
        alertedFraud += d.alertedFraud();
        alertedLegit += d.alertedLegit();
        fraudLabels += d.fraudLabels();
        legitLabels += d.legitLabels();
        sequence++;
    }

    AlertQuality snapshot(String version) {
        return new AlertQuality(version, alerts, alertedFraud, alertedLegit, fraudLabels, legitLabels, sequence);
    }
}
