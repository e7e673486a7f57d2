package com.shopsense.job;

import com.shopsense.config.JobConfig;
import com.shopsense.config.JobOptions;
import com.shopsense.event.DeadLetter;
import com.shopsense.event.ParsedLabel;
import com.shopsense.event.ParsedRecord;
import com.shopsense.event.ParsedRule;
import com.shopsense.features.SessionFeatures;
import com.shopsense.feedback.AlertQuality;
import com.shopsense.feedback.RecoAbTotals;
import com.shopsense.feedback.RuleQuality;
import com.shopsense.inference.ModelSource;
import com.shopsense.inference.RuntimeOptions;
import com.shopsense.ingest.FraudLabelDeserializer;
import com.shopsense.ingest.FraudRuleDeserializer;
import com.shopsense.ingest.ShopEventDeserializer;
import com.shopsense.insight.KpiWindow;
import com.shopsense.insight.ReviewWindow;
import com.shopsense.insight.SegmentCount;
import com.shopsense.insight.TrendingList;
import com.shopsense.scoring.FraudAlert;
import com.shopsense.scoring.FraudDecision;
import com.shopsense.scoring.FraudScore;
import com.shopsense.scoring.IntentScore;
import com.shopsense.scoring.JourneyAction;
import com.shopsense.scoring.Recommendation;
import com.shopsense.scoring.ReviewScore;
import com.shopsense.scoring.UserScoreUpdate;
import com.shopsense.session.FraudRequest;
import com.shopsense.session.SessionClosed;
import com.shopsense.session.SessionEvent;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ShopSense job. {@link #defineWorkflow} is the graph as a function of its two inputs (shop events and the
 * risk team's labels), composed of one builder per stage (ingest, sessions, scoring, fraud, recommendations,
 * insight, outputs), so tests feed it any streams and collect every output; {@link #main} only wires Kafka and
 * configuration around it.
 */
public final class ShopSenseJob {
    private static final Logger LOG = LoggerFactory.getLogger(ShopSenseJob.class);

    private ShopSenseJob() {
    }

    /**
     * Every stream the graph produces; sinks are attached by the caller ({@link #attachSinks}). The review streams
     * are null when review.enabled is off.
     */
    public record Outputs(
            DataStream<SessionEvent> sessionEvents,
            DataStream<SessionClosed> closedSessions,
            DataStream<DeadLetter> deadLetters,
            DataStream<IntentScore> intentScores,
            DataStream<Recommendation> recommendations,
            DataStream<FraudRequest> fraudRequests,
            DataStream<FraudScore> fraudScores,
            DataStream<FraudDecision> fraudDecisions,
            DataStream<FraudAlert> alerts,
            DataStream<UserScoreUpdate> intentUpdates,
            DataStream<UserScoreUpdate> sessionScoreUpdates,
            DataStream<AlertQuality> alertQuality,
            DataStream<RuleQuality> ruleQuality,
            DataStream<RecoAbTotals> recoAb,
            DataStream<SegmentCount> segmentCounts,
            DataStream<KpiWindow> kpis,
            DataStream<TrendingList> trending,
            DataStream<JourneyAction> actions,
            DataStream<ReviewScore> reviewScores,
            DataStream<ReviewWindow> reviewWindows) {

        /** Every update of the users' score hashes: intent, plus churn, segment and fraud (two sinks write them). */
        public DataStream<UserScoreUpdate> scoreUpdates() {
            return intentUpdates.union(sessionScoreUpdates);
        }
    }

    public static void main(String[] args) throws Exception {
        JobConfig cfg = JobConfig.fromArgs(args);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        startUp(env, cfg);
        env.execute("ShopSense");
    }

    /**
     * What a real start does before submitting (main, the local runs): log the options (secrets redacted),
     * check the Kafka settings against the brokers, build. Bad credentials or TLS settings fail here, with a
     * clear message, instead of restart-looping the job. Not in {@link #build}: a graph alone needs no broker.
     */
    public static Outputs startUp(StreamExecutionEnvironment env, JobConfig cfg) {
        LOG.info("ShopSense job options (defaults omitted, secrets redacted):\n{}", cfg);
        KafkaPreflight.check(cfg);
        return build(env, cfg);
    }

    /** Sources, graph and sinks on the given environment (main, the local run and cluster tests share it). */
    public static Outputs build(StreamExecutionEnvironment env, JobConfig cfg) {
        if (cfg.getOptional(JobOptions.PARALLELISM).isPresent()) {
            env.setParallelism(cfg.get(JobOptions.PARALLELISM));
        }
        DataStream<ParsedRecord> records = env
                .fromSource(source(cfg), watermarks(cfg), "Kafka shop-events")
                .uid("kafka-shop-events");
        DataStream<ParsedLabel> labels = env
                .fromSource(labelSource(cfg), labelWatermarks(cfg), "Kafka fraud-labels")
                .uid("kafka-fraud-labels");
        DataStream<ParsedRule> rules = env
                .fromSource(ruleSource(cfg), ruleWatermarks(cfg), "Kafka fraud-rules")
                .uid("kafka-fraud-rules");
        Outputs outputs = defineWorkflow(records, labels, rules, cfg);
        attachSinks(outputs, cfg);
        return outputs;
    }

    /**
     * The graph over events alone: the label input is an empty stream (the same graph; no label ever arrives,
     * so merchant feedback features stay 0 and alert quality counts alerts only).
     */
    public static Outputs defineWorkflow(DataStream<ParsedRecord> records, JobConfig cfg) {
        // One number dropped rather than an empty collection: Flink's collection source fails on an empty one.
        DataStream<ParsedLabel> none = records.getExecutionEnvironment().fromSequence(0, 0)
                .uid("no-fraud-labels").name("No fraud labels")
                .flatMap((Long i, Collector<ParsedLabel> out) -> { }, TypeInformation.of(ParsedLabel.class))
                .uid("no-fraud-labels-empty").name("Empty label feed");
        return defineWorkflow(records, none, cfg);
    }

    /** The graph over events and labels: no fraud rule ever arrives (the rule input is an empty stream). */
    public static Outputs defineWorkflow(DataStream<ParsedRecord> records, DataStream<ParsedLabel> labels,
            JobConfig cfg) {
        DataStream<ParsedRule> none = records.getExecutionEnvironment().fromSequence(0, 0)
                .uid("no-fraud-rules").name("No fraud rules")
                .flatMap((Long i, Collector<ParsedRule> out) -> { }, TypeInformation.of(ParsedRule.class))
                .uid("no-fraud-rules-empty").name("Empty rule feed");
        return defineWorkflow(records, labels, none, cfg);
    }

    /**
     * The whole graph. Labels feed the merchant feedback features of the fraud model (payments and labels keyed
     * by merchantId meet in one task) and the alert-quality joins (decided payments and labels keyed by eventId);
     * fraud rule documents are broadcast to every task that decides on scored payments.
     */
    public static Outputs defineWorkflow(DataStream<ParsedRecord> records, DataStream<ParsedLabel> labels,
            DataStream<ParsedRule> rules, JobConfig cfg) {
        RuntimeOptions runtime = cfg.runtimeOptions();
        SessionFeatures features = new SessionFeatures(new String(
                new ModelSource(runtime.modelsDir()).read("feature_spec.json"), StandardCharsets.UTF_8));
        AsyncCalls async = AsyncCalls.from(cfg);

        IngestStage.Streams ingest = IngestStage.build(records, labels, rules);
        SessionStage.Streams sessions = SessionStage.build(ingest.events(), features, SessionStage.Settings.from(cfg));
        ScoringStage.Streams scores = ScoringStage.build(sessions, runtime, async,
                cfg.get(JobOptions.REDIS_INTENT_MIN_DELTA), cfg.sessionConfig().profileTtl());
        FraudStage.Streams fraud = FraudStage.build(sessions.fraud(), ingest.labels(), ingest.rules(), features,
                runtime, async, FraudStage.Settings.from(cfg));
        DataStream<TrendingList> trending = TrendingStage.build(ingest.events(), TrendingStage.Settings.from(cfg));
        RecommendationStage.Streams recos = RecommendationStage.build(sessions.recommend(), sessions.recoFeedback(), trending,
                cfg.recommendRuntimeOptions(), async, RecommendationStage.Settings.from(cfg));
        InsightStage.Streams insight = InsightStage.build(sessions, scores.churn(), fraud.scores(), scores.actions(),
                InsightStage.Settings.from(cfg, runtime.modelsDir()));

        ReviewStage.Streams reviews = ReviewStage.build(ingest.events(), runtime, async, ReviewStage.Settings.from(cfg));

        OutputStage.ScoreUpdates scoreUpdates = OutputStage.scoreUpdates(scores, fraud, insight, reviews);
        DataStream<JourneyAction> actions = scores.actions().union(insight.enteredAtRisk());
        BackgroundEdges.apply(records.getExecutionEnvironment(), cfg.get(JobOptions.BACKGROUND_BUFFER_TIMEOUT));
        return new Outputs(sessions.accepted(), sessions.closed(),
                ingest.deadLetters().union(sessions.deadLetters(), fraud.rejectedLabels(), fraud.rejectedRules()),
                scores.intent(), recos.lists(), fraud.requests(), fraud.scores(), fraud.decisions(), fraud.alerts(),
                scoreUpdates.intent(), scoreUpdates.others(), fraud.quality(), fraud.ruleQuality(), recos.abTotals(),
                insight.segmentCounts(), insight.kpis(), trending,
                reviews == null ? actions : actions.union(reviews.surges()),
                reviews == null ? null : reviews.scores(), reviews == null ? null : reviews.windows());
    }

    public static KafkaSource<ParsedRecord> source(JobConfig cfg) {
        return kafkaSource(cfg, KafkaSource.<ParsedRecord>builder().setTopics(cfg.get(JobOptions.TOPIC_EVENTS))
                .setDeserializer(new ShopEventDeserializer(cfg.eventLimits(), cfg.maxUnexpectedPerMinute())));
    }

    /**
     * The label feed. Subscribed by pattern so that a deployment without the topic yet still starts
     * (it is picked up by partition discovery once created).
     */
    public static KafkaSource<ParsedLabel> labelSource(JobConfig cfg) {
        return kafkaSource(cfg, KafkaSource.<ParsedLabel>builder()
                .setTopicPattern(Pattern.compile(Pattern.quote(cfg.get(JobOptions.TOPIC_LABELS))))
                .setDeserializer(new FraudLabelDeserializer(cfg.eventLimits(), cfg.maxUnexpectedPerMinute())));
    }

    /**
     * The risk team's fraud rules (docs/fraud.md "Fraud rules"). Subscribed by pattern, like the labels: a
     * deployment without the topic yet starts, without rules.
     */
    public static KafkaSource<ParsedRule> ruleSource(JobConfig cfg) {
        return kafkaSource(cfg, KafkaSource.<ParsedRule>builder()
                .setTopicPattern(Pattern.compile(Pattern.quote(cfg.get(JobOptions.TOPIC_RULES))))
                .setDeserializer(new FraudRuleDeserializer(cfg.eventLimits(), cfg.maxUnexpectedPerMinute())));
    }

    /**
     * Rule versions carry event time = their effectiveFrom, so the rules' watermark tells the rule operator that
     * every version effective up to it has arrived. Rules are rare: a rules partition without new records for
     * {@code fraud.rules-idleness} stops holding payments back (not the events' idleness, which may be minutes).
     */
    public static WatermarkStrategy<ParsedRule> ruleWatermarks(JobConfig cfg) {
        return WatermarkStrategy.<ParsedRule>forBoundedOutOfOrderness(cfg.get(JobOptions.OUT_OF_ORDERNESS))
                .withTimestampAssigner((r, kafkaTs) -> r.isValid() ? r.effectiveFrom() : Long.MIN_VALUE)
                .withIdleness(cfg.get(JobOptions.RULES_IDLENESS));
    }

    /**
     * What all sources share: brokers, group, start, read_committed, bounded replay or partition discovery,
     * then the kafka.properties.* pass-through (security, tuning).
     */
    private static <T> KafkaSource<T> kafkaSource(JobConfig cfg, KafkaSourceBuilder<T> b) {
        b.setBootstrapServers(cfg.get(JobOptions.KAFKA_BOOTSTRAP))
                .setGroupId(cfg.get(JobOptions.KAFKA_GROUP))
                .setStartingOffsets(startingOffsets(cfg.get(JobOptions.STARTING_OFFSETS)))
                .setProperty("isolation.level", "read_committed");
        if (cfg.get(JobOptions.BOUNDED)) {
            b.setBounded(OffsetsInitializer.latest());
        } else {
            b.setProperty("partition.discovery.interval.ms", "60000");
        }
        // Last, so it may tune what the job leaves open; the keys the job owns are rejected in JobConfig.
        b.setProperties(cfg.kafkaClientProperties());
        return b.build();
    }

    /** Labels carry event time = their decision time. */
    public static WatermarkStrategy<ParsedLabel> labelWatermarks(JobConfig cfg) {
        return WatermarkStrategy.<ParsedLabel>forBoundedOutOfOrderness(cfg.get(JobOptions.OUT_OF_ORDERNESS))
                .withTimestampAssigner((r, kafkaTs) -> r.isValid() ? r.label().decidedAt() : Long.MIN_VALUE)
                .withIdleness(cfg.get(JobOptions.IDLENESS));
    }

    private static OffsetsInitializer startingOffsets(JobOptions.StartingOffsets mode) {
        return switch (mode) {
            case EARLIEST -> OffsetsInitializer.earliest();
            case LATEST -> OffsetsInitializer.latest();
            case COMMITTED -> OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
        };
    }

    /** Per-partition watermarks from the events' own time; dead letters never move the watermark. */
    public static WatermarkStrategy<ParsedRecord> watermarks(JobConfig cfg) {
        return WatermarkStrategy.<ParsedRecord>forBoundedOutOfOrderness(cfg.get(JobOptions.OUT_OF_ORDERNESS))
                .withTimestampAssigner((r, kafkaTs) -> r.isValid() ? r.event().timestampMs() : Long.MIN_VALUE)
                .withIdleness(cfg.get(JobOptions.IDLENESS));
    }

    /** Every output to its sink: Redis for the storefront and merchandisers, Kafka (exactly-once) for the rest. */
    public static void attachSinks(Outputs outputs, JobConfig cfg) {
        OutputStage.attach(outputs, OutputStage.Settings.from(cfg));
    }
}
