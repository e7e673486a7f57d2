package com.shopsense.feedback;

/**
 * A change to one rule version's quality counts, caused by one decided payment or one label; negative when a
 * later label reverses an earlier verdict.
 *
 * @param ruleKey {@code <ruleId>@<version>}
 * @param hits payments the rule's condition held for
 * @param alerts of those, payments alerted on
 */
public record RuleQualityDelta(String ruleKey, long hits, long alerts, long hitsFraud, long hitsLegit,
        long alertsFraud, long alertsLegit) {

    static RuleQualityDelta ofVerdict(String key, boolean alerted, int verdict, int sign) {
        long fraud = verdict == PaymentOutcome.FRAUD ? sign : 0;
        long legit = verdict == PaymentOutcome.LEGIT ? sign : 0;
        return new RuleQualityDelta(key, 0, 0, fraud, legit, alerted ? fraud : 0, alerted ? legit : 0);
    }

    RuleQualityDelta plus(RuleQualityDelta o) {
        return new RuleQualityDelta(ruleKey, hits + o.hits, alerts + o.alerts, hitsFraud + o.hitsFraud,
                hitsLegit + o.hitsLegit, alertsFraud + o.alertsFraud, alertsLegit + o.alertsLegit);
    }
}
