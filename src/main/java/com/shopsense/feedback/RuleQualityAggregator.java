package com.shopsense.feedback;

import com.shopsense.aggregate.Gauges;
import com.shopsense.aggregate.Totals;
import com.shopsense.aggregate.TotalsAggregator;

/**
 * Keyed by rule version ({@code <id>@<version>}): exact quality counts in checkpointed state, emitted at most once
 * per second of event time and shown as gauges under {@code fraudRule=<id>@<version>}.
 */
public class RuleQualityAggregator extends TotalsAggregator<RuleQualityDelta, RuleQualityCounts, RuleQuality> {
    private static final long serialVersionUID = 1L;

    public RuleQualityAggregator() {
        super(Totals.<RuleQualityDelta, RuleQualityCounts, RuleQuality>inState("rule-quality", RuleQualityCounts.class,
                        RuleQualityCounts::new)
                .add(RuleQualityCounts::add)
                .snapshot((key, counts) -> counts.snapshot(key))
                .emitEvery(java.time.Duration.ofSeconds(1)) // one Redis write per rule and second of event time, not per hit
                .gauges(Gauges.<RuleQuality>under("fraudRule")
                        .gauge("ruleHits", RuleQuality::hits)
                        .gauge("ruleAlerts", RuleQuality::alerts)
                        .gauge("ruleHitsConfirmedFraud", RuleQuality::hitsFraud)
                        .gauge("ruleHitsConfirmedLegit", RuleQuality::hitsLegit)
                        .gauge("rulePrecision", RuleQuality::precision)));
    }
}
