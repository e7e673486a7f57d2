package com.shopsense.feedback;

/**
 * Running quality of one fraud rule version from the labels received so far: does the rule pull its weight?
 *
 * @param hits payments its condition held for
 * @param alerts of those, payments alerted on (an allow rule's hits are rarely alerted)
 * @param hitsFraud hits later confirmed fraud (for an allow rule: fraud it let through, unless another rule alerted)
 * @param sequence changes applied so far; orders the Redis writes (latest wins)
 */
public record RuleQuality(String ruleKey, long hits, long alerts, long hitsFraud, long hitsLegit, long alertsFraud,
        long alertsLegit, long sequence) {

    /** Confirmed fraud among the hits: a lower bound while labels are pending. */
    public double precision() {
        return hits == 0 ? 0.0 : (double) hitsFraud / hits;
    }

    /** Confirmed fraud among the hits that have a verdict. */
    public double decidedPrecision() {
        long decided = hitsFraud + hitsLegit;
        return decided == 0 ? 0.0 : (double) hitsFraud / decided;
    }
}
