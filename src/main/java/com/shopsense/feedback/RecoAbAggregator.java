package com.shopsense.feedback;

import com.shopsense.aggregate.Gauges;
import com.shopsense.aggregate.Totals;
import com.shopsense.aggregate.TotalsAggregator;
import java.time.Duration;

/**
 * Keyed by recommender version: sums the A/B deltas into exact totals (checkpointed, so a restart neither
 * loses nor double-counts) and exposes them as gauges under {@code recoModelVersion=<version>}. Totals are
 * emitted once per second of event time rather than per delta: every list is an impression, and one Redis
 * write per list for a counter hash would double the recommendation sink's load. The online quality of the
 * version's lists (HitRate@20, MRR@20 per source) travels in the same deltas and totals.
 */
public class RecoAbAggregator extends TotalsAggregator<RecoDelta, RecoAbCounts, RecoAbTotals> {
    private static final long serialVersionUID = 1L;
    /** Also the combiner's pane: summed deltas then land in the intervals their parts would have. */
    public static final Duration EMIT_EVERY = Duration.ofSeconds(1);

    public RecoAbAggregator() {
        super(Totals.<RecoDelta, RecoAbCounts, RecoAbTotals>inState("reco-ab-counts", RecoAbCounts.class,
                        RecoAbCounts::new)
                .add(RecoAbCounts::add)
                .snapshot((version, counts) -> counts.snapshot(version))
                .emitEvery(EMIT_EVERY)
                .gauges(Gauges.<RecoAbTotals>under("recoModelVersion")
                        .gauge("impressions", RecoAbTotals::impressions)
                        .gauge("clicks", RecoAbTotals::clicks)
                        .gauge("conversions", RecoAbTotals::conversions)
                        .gauge("ctr", RecoAbTotals::ctr)
                        .gauge("conversionRate", RecoAbTotals::conversionRate)
                        .gauge("modelListsEvaluated", t -> t.model().lists())
                        .gauge("modelHitRate", t -> t.model().hitRate())
                        .gauge("modelMrr", t -> t.model().mrr())
                        .gauge("trendingListsEvaluated", t -> t.trending().lists())
                        .gauge("trendingHitRate", t -> t.trending().hitRate())
                        .gauge("trendingMrr", t -> t.trending().mrr())
                        .gauge("allListsEvaluated", t -> t.all().lists())
                        .gauge("allHitRate", t -> t.all().hitRate())
                        .gauge("allMrr", t -> t.all().mrr())));
    }
}
