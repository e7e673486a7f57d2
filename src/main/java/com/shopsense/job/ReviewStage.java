package com.shopsense.job;

import com.shopsense.config.JobConfig;
import com.shopsense.config.JobOptions;
import com.shopsense.event.EventType;
import com.shopsense.event.ShopEvent;
import com.shopsense.inference.RuntimeOptions;
import com.shopsense.insight.ReviewFact;
import com.shopsense.insight.ReviewSurgeDetector;
import com.shopsense.insight.ReviewSurgeSpec;
import com.shopsense.insight.ReviewWindow;
import com.shopsense.insight.ReviewWindowAggregator;
import com.shopsense.insight.ReviewWindowSpec;
import com.shopsense.scoring.Decisions;
import com.shopsense.scoring.JourneyAction;
import com.shopsense.scoring.ReviewFunction;
import com.shopsense.scoring.ReviewScore;
import com.shopsense.scoring.UserScoreUpdate;
import java.time.Duration;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.util.Collector;

/**
 * Review insight (docs/insight.md "Reviews"): every review event's text through the review model (Async I/O,
 * micro-batched across users and tasks), then, per product and per category, a sliding event-time window (keyed by
 * scope, one hash per scope in Redis), per product the negative_review_surge rule (keyed by item, in event-time
 * order) and per user the latest review sentiment in the score hash. Reviews are rare: two shuffles of small
 * records. The text never leaves the scoring call: {@link ReviewScore} carries ids and numbers.
 */
final class ReviewStage {
    private ReviewStage() {
    }

    /** @param windowTtlMs how long a scope's hash outlives its last write (review.window) */
    record Settings(boolean enabled, ReviewWindowSpec window, ReviewSurgeSpec surge, Duration surgeTtl,
            long windowTtlMs) {
        static Settings from(JobConfig cfg) {
            ReviewWindowSpec window = ReviewWindowSpec.of(cfg.get(JobOptions.REVIEW_WINDOW),
                    cfg.get(JobOptions.REVIEW_SLIDE));
            return new Settings(cfg.get(JobOptions.REVIEW_ENABLED), window,
                    new ReviewSurgeSpec(cfg.get(JobOptions.REVIEW_SURGE_LAST_N), cfg.get(JobOptions.REVIEW_SURGE_MARGIN),
                            cfg.get(JobOptions.REVIEW_SURGE_MIN_REVIEWS)),
                    cfg.get(JobOptions.REVIEW_SURGE_TTL), window.windowMs());
        }
    }

    /**
     * @param scores every review, scored when it has a text
     * @param windows per product and category, at every slide end
     * @param surges negative_review_surge actions
     * @param userUpdates the users' reviewSentiment
     */
    record Streams(DataStream<ReviewScore> scores, DataStream<ReviewWindow> windows, DataStream<JourneyAction> surges,
            DataStream<UserScoreUpdate> userUpdates) {
    }

    /** Null when review.enabled is off: no operator, and the review model is never loaded. */
    static Streams build(DataStream<ShopEvent> events, RuntimeOptions runtime, AsyncCalls async, Settings s) {
        if (!s.enabled()) {
            return null;
        }
        DataStream<ShopEvent> reviews = events.filter(e -> e.type() == EventType.REVIEW).uid("review-events")
                .name("Review events");
        // Unordered: the rules downstream put reviews in event-time order themselves.
        DataStream<ReviewScore> scores = async.call(reviews, new ReviewFunction(runtime))
                .uid("review-model").name("Review sentiment (byte Transformer)");
        DataStream<ReviewWindow> windows = scores
                .flatMap((ReviewScore r, Collector<ReviewFact> out) -> {
                    for (ReviewFact f : ReviewFact.of(r)) {
                        out.collect(f);
                    }
                }, TypeInformation.of(ReviewFact.class)).uid("review-facts").name("Review per product and category")
                .keyBy(ReviewFact::key)
                .process(new ReviewWindowAggregator(s.window())).uid("review-windows")
                .name("Review window per product and category");
        DataStream<JourneyAction> surges = scores.keyBy(ReviewScore::itemId)
                .process(new ReviewSurgeDetector(s.surge(), s.surgeTtl())).uid("review-surge")
                .name("Negative review surge per product");
        DataStream<UserScoreUpdate> users = scores.filter(ReviewScore::scored).uid("review-scored")
                .name("Scored reviews").map(Decisions::review).uid("review-to-hash").name("Review sentiment");
        return new Streams(scores, windows, surges, users);
    }
}
