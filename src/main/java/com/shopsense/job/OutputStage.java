package com.shopsense.job;

import com.shopsense.config.JobConfig;
import com.shopsense.config.JobOptions;
import com.shopsense.scoring.ChurnScore;
import com.shopsense.scoring.Decisions;
import com.shopsense.scoring.IntentScore;
import com.shopsense.scoring.UserScoreUpdate;
import com.shopsense.session.SessionClosed;
import com.shopsense.sink.DeadLetterSerializer;
import com.shopsense.sink.FraudAlertSink;
import com.shopsense.sink.JourneyActionSink;
import com.shopsense.sink.JsonKafkaSerializer;
import com.shopsense.sink.KafkaSinkSettings;
import com.shopsense.sink.KafkaSinks;
import com.shopsense.sink.RedisSettings;
import com.shopsense.sink.RedisSink;
import org.apache.flink.streaming.api.datastream.DataStream;

/** Outputs: what each user's score hash receives, and the sinks every output stream is written by. */
final class OutputStage {
    private OutputStage() {
    }

    /**
     * Partial updates of {@code user:{id}}, in two streams. Intent (per material change) is chained from the keyed
     * intent operator straight into its own sink: no serialization, no hand-off per event. Churn and segment (per
     * close) are forwarded from the keyed churn call and segment tracker, so each user's reach the sink in order
     * and are written plainly (merged per user within a batch); fraud comes through the merchant-keyed enrichment
     * and keeps the per-field event-time check. Forwarded explicitly: a change of parallelism fails the build
     * instead of reordering them.
     */
    record ScoreUpdates(DataStream<UserScoreUpdate> intent, DataStream<UserScoreUpdate> others) {
    }

    /** @param reviews the review stage, null when it is off; its users' reviewSentiment joins the other scores */
    static ScoreUpdates scoreUpdates(ScoringStage.Streams scores, FraudStage.Streams fraud,
            InsightStage.Streams insight, ReviewStage.Streams reviews) {
        DataStream<UserScoreUpdate> intent = scores.intent().filter(IntentScore::material).uid("intent-material")
                .name("Material intent changes").map(Decisions::intent).uid("intent-to-hash").name("Intent scores")
                .forward();
        // Prospects' records carry no churn score: nothing goes to the hash from them here; their segment (and
        // updatedAt) comes from the segment tracker, the one writer of `segment` (two would race into the sink).
        DataStream<UserScoreUpdate> others = scores.churn().filter(ChurnScore::scored).uid("churn-customers")
                .name("Customers' churn scores")
                .map(Decisions::closedSession).uid("churn-to-hash")
                .name("Churn scores")
                .forward()
                .union(insight.segmentChanges().filter(c -> c.to() != null).uid("segment-entered").name("Segment entered")
                                .map(c -> c.scoreUpdate()).uid("segment-to-hash").name("Segment to score hash").forward(),
                        fraud.scores().map(Decisions::fraud).uid("fraud-to-hash").name("Fraud scores"));
        return new ScoreUpdates(intent, reviews == null ? others : others.union(reviews.userUpdates()));
    }

    /**
     * Where every output goes: the Redis and Kafka sink settings, the topics, and the Redis retention of totals.
     *
     * @param sessionsTopic where closed sessions are written; null when they are not published
     */
    record Settings(RedisSettings redis, KafkaSinkSettings kafka, String dlqTopic, String sessionsTopic,
            String alertsTopic, String actionsTopic, long recoAbTtlMs, long kpiRetentionMs, long qualityTtlMs,
            long trendingTtlMs, long reviewTtlMs) {
        static Settings from(JobConfig cfg) {
            return new Settings(RedisSettings.fromConfig(cfg), KafkaSinkSettings.from(cfg), cfg.get(JobOptions.TOPIC_DLQ),
                    cfg.get(JobOptions.PUBLISH_SESSIONS) ? cfg.get(JobOptions.TOPIC_SESSIONS) : null,
                    cfg.get(JobOptions.TOPIC_ALERTS), cfg.get(JobOptions.TOPIC_ACTIONS),
                    cfg.get(JobOptions.REDIS_RECO_AB_TTL).toMillis(), cfg.get(JobOptions.REDIS_KPI_RETENTION).toMillis(),
                    cfg.get(JobOptions.REDIS_QUALITY_TTL).toMillis(), cfg.get(JobOptions.REDIS_TRENDING_TTL).toMillis(),
                    cfg.get(JobOptions.REVIEW_WINDOW).toMillis());
        }
    }

    static void attach(ShopSenseJob.Outputs outputs, Settings s) {
        RedisSettings redis = s.redis();
        // Forward from the ordered recommend call: each user's lists reach the sink in order (plain SET).
        outputs.recommendations().forward().sinkTo(RedisSink.recommendations(redis)).uid("sink-redis-reco")
                .name("Redis recommendations");
        outputs.intentUpdates().sinkTo(RedisSink.scores(redis)).uid("sink-redis-intent").name("Redis user intent");
        outputs.sessionScoreUpdates().sinkTo(RedisSink.scores(redis)).uid("sink-redis-scores")
                .name("Redis user scores");
        outputs.alerts().sinkTo(RedisSink.alerts(redis)).uid("sink-redis-alerts").name("Redis latest alerts");
        outputs.alerts().sinkTo(FraudAlertSink.create(s.kafka(), s.alertsTopic())).uid("sink-fraud-alerts")
                .name("Kafka fraud alerts");
        outputs.actions().sinkTo(JourneyActionSink.create(s.kafka(), s.actionsTopic())).uid("sink-actions")
                .name("Kafka journey actions");
        outputs.deadLetters().sinkTo(KafkaSinks.create(s.kafka(), "dlq", new DeadLetterSerializer(s.dlqTopic())))
                .uid("sink-dlq").name("Kafka DLQ");
        if (s.sessionsTopic() != null) {
            outputs.closedSessions()
                    .sinkTo(KafkaSinks.create(s.kafka(), "sessions",
                            new JsonKafkaSerializer<SessionClosed>(s.sessionsTopic(), SessionClosed::userId)))
                    .uid("sink-sessions").name("Kafka closed sessions");
        }
        outputs.recoAb().sinkTo(RedisSink.recoAb(redis, s.recoAbTtlMs()))
                .uid("sink-redis-reco-ab").name("Redis recommendation A/B");
        outputs.segmentCounts().sinkTo(RedisSink.segmentCounts(redis)).uid("sink-redis-segments")
                .name("Redis users per segment");
        outputs.kpis().sinkTo(RedisSink.kpis(redis, s.kpiRetentionMs())).uid("sink-redis-kpi").name("Redis KPI windows");
        // Forward from the scope-keyed task: each scope's lists reach Redis in window order (the script guards too).
        outputs.trending().forward().sinkTo(RedisSink.trending(redis, s.trendingTtlMs())).uid("sink-redis-trending")
                .name("Redis trending items");
        outputs.alertQuality().sinkTo(RedisSink.alertQuality(redis, s.qualityTtlMs()))
                .uid("sink-redis-quality").name("Redis alert quality");
        outputs.ruleQuality().sinkTo(RedisSink.ruleQuality(redis, s.qualityTtlMs()))
                .uid("sink-redis-rule-quality").name("Redis rule quality");
        if (outputs.reviewWindows() != null) {
            outputs.reviewWindows().sinkTo(RedisSink.reviewWindows(redis, s.reviewTtlMs()))
                    .uid("sink-redis-review").name("Redis review insight");
        }
    }
}
