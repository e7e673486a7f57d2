package com.shopsense.job;

import com.shopsense.config.JobConfig;
import com.shopsense.config.JobOptions;
import com.shopsense.event.ShopEvent;
import com.shopsense.feedback.RecoAbAggregator;
import com.shopsense.feedback.RecoAbTotals;
import com.shopsense.feedback.RecoDelta;
import com.shopsense.feedback.RecoDeltaCombiner;
import com.shopsense.feedback.RecoFeedbackTracker;
import com.shopsense.feedback.RecoShown;
import com.shopsense.feedback.RecoUserEvent;
import com.shopsense.inference.RuntimeOptions;
import com.shopsense.insight.TrendingFallback;
import com.shopsense.insight.TrendingList;
import com.shopsense.scoring.RecoOutcome;
import com.shopsense.scoring.RecoSplit;
import com.shopsense.scoring.RecommendFunction;
import com.shopsense.scoring.Recommendation;
import com.shopsense.session.RecommendRequest;
import java.time.Duration;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * Recommendations: the refreshes the sessionizer found due are scored (variant A or B by user), and each user's
 * lists meet their reco_clicks, orders and item events (keyed by userId) for attribution and online quality,
 * summed per model version. A request the model cannot serve gets the trending list of its latest item's category
 * ({@link TrendingFallback}).
 */
final class RecommendationStage {
    private RecommendationStage() {
    }

    /**
     * @param recoTtl how long a list stays in the storefront: older lists are not evaluated for online quality
     * @param qualityInterval event time over which a user's item events are evaluated together
     */
    record Settings(RecoSplit split, Duration attributionWindow, int attributionLists, Duration recoTtl,
            Duration qualityInterval) {
        static Settings from(JobConfig cfg) {
            return new Settings(cfg.recoSplit(), cfg.get(JobOptions.RECO_ATTRIBUTION_WINDOW),
                    cfg.get(JobOptions.RECO_ATTRIBUTION_LISTS), cfg.get(JobOptions.REDIS_RECO_TTL),
                    cfg.get(JobOptions.RECO_QUALITY_INTERVAL));
        }
    }

    record Streams(DataStream<Recommendation> lists, DataStream<RecoAbTotals> abTotals) {
    }

    /** @param feedback the sessionizer's reco_clicks, orders and the item events a live list can be evaluated on */
    static Streams build(DataStream<RecommendRequest> due, DataStream<ShopEvent> feedback,
            DataStream<TrendingList> trending, RuntimeOptions runtime, AsyncCalls async, Settings s) {
        // Ordered: the lists are written with a plain SET, so each user's must reach the sink in request order.
        DataStream<RecoOutcome> outcomes = async.ordered(due, new RecommendFunction(runtime, s.split()))
                .uid("recommend-model").name("Recommend (Transformer + TopK)");
        // The fallback is filled on the same path (forwarded), never on a second one a union could reorder.
        DataStream<Recommendation> lists = outcomes.forward()
                .connect(trending.broadcast(TrendingFallback.LISTS))
                .process(new TrendingFallback()).uid("recommend-trending-fallback")
                .name("Trending fallback for requests the model cannot serve");
        // Attribution gets a slim copy of each list (item hashes; chained, so made before the shuffle) and of each
        // event it needs (user, time, item hash: reco_clicks, orders, and for online quality the item events a
        // live list of their user can be evaluated on, picked by the sessionizer, which knows the user's last
        // refresh), and the deltas are summed per version and second before the shuffle to the version-keyed totals.
        DataStream<RecoAbTotals> ab = lists.map(RecoShown::of).returns(RecoShown.class)
                .uid("reco-shown").name("Recommendation lists as item hashes")
                .keyBy(RecoShown::userId)
                .connect(feedback.map(RecoUserEvent::of).returns(RecoUserEvent.class).uid("reco-user-events")
                        .name("Feedback events as item hashes").keyBy(RecoUserEvent::userId))
                .process(new RecoFeedbackTracker(s.attributionWindow(), s.attributionLists(), s.recoTtl(),
                        s.qualityInterval()))
                .uid("reco-attribution-hashed").name("Attribute clicks and orders, evaluate lists against the next item")
                .transform("Recommendation A/B deltas per second", TypeInformation.of(RecoDelta.class),
                        new RecoDeltaCombiner(RecoAbAggregator.EMIT_EVERY))
                .uid("reco-ab-deltas")
                .keyBy(RecoDelta::modelVersion)
                .process(new RecoAbAggregator())
                .uid("reco-ab").name("Recommendation A/B per model version");
        return new Streams(lists, ab);
    }
}
