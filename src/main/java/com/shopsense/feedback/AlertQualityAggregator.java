package com.shopsense.feedback;

import com.shopsense.aggregate.Gauges;
import com.shopsense.aggregate.Totals;
import com.shopsense.aggregate.TotalsAggregator;

/**
 * Keyed by fraud model version: sums the quality deltas into exact counts (in checkpointed state, so
 * a restart neither loses nor double-counts) and emits the new totals after every change. Also
 * exposes them as gauges under {@code fraudModelVersion=<version>} (precision, recall, counts).
 */
public class AlertQualityAggregator extends TotalsAggregator<QualityDelta, QualityCounts, AlertQuality> {
    private static final long serialVersionUID = 1L;

    public AlertQualityAggregator() {
        super(Totals.<QualityDelta, QualityCounts, AlertQuality>inState("alert-quality", QualityCounts.class,
                        QualityCounts::new)
                .add(QualityCounts::add)
                .snapshot((version, counts) -> counts.snapshot(version))
                .gauges(Gauges.<AlertQuality>under("fraudModelVersion")
                        .gauge("alertPrecision", AlertQuality::precision)
                        .gauge("alertDecidedPrecision", AlertQuality::decidedPrecision)
                        .gauge("fraudRecall", AlertQuality::recall)
                        .gauge("alerts", AlertQuality::alerts)
                        .gauge("confirmedFraud", AlertQuality::fraudLabels)
                        .gauge("alertsConfirmedFraud", AlertQuality::alertedFraud)));
    }
}
