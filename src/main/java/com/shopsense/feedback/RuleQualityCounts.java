package com.shopsense.feedback;

/** Keyed state of one rule version's quality counts (POJO). */
public class RuleQualityCounts {
    public long hits;
    public long alerts;
    public long hitsFraud;
    public long hitsLegit;
    public long alertsFraud;
    public long alertsLegit;
    public long sequence;

    public RuleQualityCounts() {
    }

    void add(RuleQualityDelta d) {
        hits += d.hits();
        alerts += d.alerts();
        hitsFraud += d.hitsFraud();
        hitsLegit += d.hitsLegit();
        alertsFraud += d.alertsFraud();
        alertsLegit += d.alertsLegit();
        sequence++;
    }

    RuleQuality snapshot(String key) {
        return new RuleQuality(key, hits, alerts, hitsFraud, hitsLegit, alertsFraud, alertsLegit, sequence);
    }
}
