package com.shopsense.job;

import com.shopsense.config.JobConfig;
import com.shopsense.config.JobOptions;
import com.shopsense.event.DeadLetter;
import com.shopsense.event.EventJson;
import com.shopsense.event.GuardedKeyedProcessFunction;
import com.shopsense.event.UnexpectedErrors;
import com.shopsense.event.FraudLabel;
import com.shopsense.event.FraudLabelDeserializer;
import com.shopsense.event.ParsedLabel;
import com.shopsense.event.RouteInvalidLabels;
import com.shopsense.feedback.AlertQuality;
import com.shopsense.feedback.AlertQualityAggregator;
import com.shopsense.feedback.AlertQualityTracker;
import com.shopsense.feedback.MerchantRiskEnricher;
import com.shopsense.feedback.QualityDelta;
import com.shopsense.feedback.RecoAbAggregator;
import com.shopsense.feedback.RecoAbTotals;
import com.shopsense.feedback.RecoDelta;
import com.shopsense.feedback.RecoFeedbackTracker;
import com.shopsense.features.MerchantFeedbackFeatures;
import com.shopsense.event.LateEventToDeadLetter;
import com.shopsense.event.ParsedRecord;
import com.shopsense.event.RouteInvalidRecords;
import com.shopsense.event.ShopEvent;
import com.shopsense.event.ShopEventDeserializer;
import com.shopsense.features.SessionFeatures;
import com.shopsense.inference.ModelSource;
import com.shopsense.insight.KpiFact;
import com.shopsense.insight.KpiPane;
import com.shopsense.insight.KpiPaneCombiner;
import com.shopsense.insight.KpiSpec;
import com.shopsense.insight.KpiWindow;
import com.shopsense.insight.KpiWindows;
import com.shopsense.insight.SegmentChange;
import com.shopsense.insight.SegmentCount;
import com.shopsense.insight.SegmentCounter;
import com.shopsense.insight.SegmentDelta;
import com.shopsense.insight.SegmentDeltas;
import com.shopsense.insight.SegmentRules;
import com.shopsense.insight.SegmentTracker;
import java.time.Duration;
import com.shopsense.inference.RuntimeOptions;
import com.shopsense.scoring.ChurnFunction;
import com.shopsense.scoring.ChurnScore;
import com.shopsense.scoring.Decisions;
import com.shopsense.scoring.FraudAlert;
import com.shopsense.scoring.FraudFunction;
import com.shopsense.scoring.FraudScore;
import com.shopsense.scoring.IntentScoringOperator;
import com.shopsense.scoring.Recommendation;
import com.shopsense.scoring.RecoRefreshPolicy;
import com.shopsense.scoring.RecommendFunction;
import com.shopsense.scoring.ScoredEvent;
import com.shopsense.scoring.UserScoreUpdate;
import com.shopsense.session.SessionClosed;
import com.shopsense.sink.FraudAlertSink;
import com.shopsense.sink.Pseudonymizer;
import com.shopsense.sink.RedisSettings;
import com.shopsense.sink.RedisSink;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import com.shopsense.session.SessionTracker;
import com.shopsense.session.SessionUpdate;
import com.shopsense.sink.DeadLetterSerializer;
import com.shopsense.sink.JsonKafkaSerializer;
import com.shopsense.sink.KafkaSinks;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ShopSense job. {@link #defineWorkflow} is the graph as a function of its input, so tests feed
 * it any stream and collect its outputs; {@link #main} only wires Kafka and configuration around it.
 */
public final class ShopSenseJob {
    private static final Logger LOG = LoggerFactory.getLogger(ShopSenseJob.class);

    private ShopSenseJob() {
    }

    /** Every stream the graph produces; sinks are attached by the caller. */
    public record Outputs(
            DataStream<SessionUpdate> sessionUpdates,
            DataStream<SessionClosed> closedSessions,
            DataStream<DeadLetter> deadLetters,
            DataStream<ScoredEvent> intentScores,
            DataStream<Recommendation> recommendations,
            DataStream<FraudScore> fraudScores,
            DataStream<FraudAlert> alerts,
            DataStream<UserScoreUpdate> scoreUpdates,
            DataStream<AlertQuality> alertQuality,
            DataStream<RecoAbTotals> recoAb,
            DataStream<SegmentCount> segmentCounts,
            DataStream<KpiWindow> kpis) {
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

    /** Source, graph and sinks on the given environment (main, the local run and cluster tests share it). */
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
        Outputs outputs = defineWorkflow(records, labels, cfg);
        attachSinks(outputs, cfg);
        return outputs;
    }

    /** The graph without the risk team's label feed: no feedback features and no alert quality. */
    public static Outputs defineWorkflow(DataStream<ParsedRecord> records, JobConfig cfg) {
        return defineWorkflow(records, null, cfg);
    }

    /**
     * The whole graph. {@code labels} (may be null) feed the merchant feedback features of the fraud
     * model (payments and labels keyed by merchantId meet in one task) and the alert-quality join
     * (scored payments and labels keyed by eventId).
     */
    public static Outputs defineWorkflow(DataStream<ParsedRecord> records, DataStream<ParsedLabel> labels,
            JobConfig cfg) {
        SingleOutputStreamOperator<ShopEvent> events = records
                .process(new RouteInvalidRecords())
                .uid("route-invalid")
                .name("Route invalid records");

        RuntimeOptions runtime = cfg.runtimeOptions();
        SessionFeatures features = new SessionFeatures(new String(
                new ModelSource(runtime.modelsDir()).read("feature_spec.json"), StandardCharsets.UTF_8));
        // Guarded: a record the sessionizer or a feature encoder throws on is dead-lettered (within the
        // dlq.max-unexpected-per-minute budget) instead of failing the task on every restore.
        SingleOutputStreamOperator<SessionUpdate> updates = events
                .keyBy(ShopEvent::userId)
                .process(new GuardedKeyedProcessFunction<>(new SessionTracker(cfg.sessionConfig(), features),
                        new UnexpectedErrors(DeadLetter.STAGE_SESSIONIZE, cfg.maxUnexpectedPerMinute()),
                        EventJson::toBytes, cfg.get(JobOptions.TOPIC_EVENTS), TypeInformation.of(SessionUpdate.class)))
                .uid("session-tracker")
                .name("Sessionize");

        DataStream<DeadLetter> late = updates.getSideOutput(SessionTracker.LATE)
                .map(new LateEventToDeadLetter(cfg.get(JobOptions.TOPIC_EVENTS)))
                .uid("late-to-dlq")
                .name("Late events to DLQ");
        DataStream<DeadLetter> deadLetters = events.getSideOutput(RouteInvalidRecords.DEAD_LETTERS)
                .union(late, updates.getSideOutput(RouteInvalidRecords.DEAD_LETTERS));

        DataStream<SessionClosed> closed = updates.getSideOutput(SessionTracker.CLOSED);

        // Updates leave the tracker partitioned by user already: no second shuffle (and no serialization).
        SingleOutputStreamOperator<ScoredEvent> intent = DataStreamUtils
                .reinterpretAsKeyedStream(updates, SessionUpdate::userId)
                .transform("Intent (GRU step, micro-batched)", TypeInformation.of(ScoredEvent.class),
                        new IntentScoringOperator(runtime, new RecoRefreshPolicy(
                                cfg.get(JobOptions.RECO_MIN_INTERVAL), cfg.get(JobOptions.RECO_MIN_SESSION_EVENTS),
                                cfg.get(JobOptions.RECO_MAX_RATE))))
                .uid("intent-scoring");

        long timeoutMs = cfg.get(JobOptions.ASYNC_TIMEOUT).toMillis();
        int capacity = cfg.get(JobOptions.ASYNC_CAPACITY);
        DataStream<Recommendation> recommendations = AsyncDataStream.unorderedWait(
                        intent.filter(ScoredEvent::refreshRecommendations).uid("reco-due").name("Recommendation due"),
                        new RecommendFunction(runtime, cfg.recoSplit()), timeoutMs, TimeUnit.MILLISECONDS, capacity)
                .uid("recommend-scoring").name("Recommend (Transformer + TopK)");
        DataStream<RecoAbTotals> recoAb = recoFeedback(recommendations, events, cfg);
        DataStream<ScoredEvent> payments = intent.filter(s -> s.update().isFraudScored()).uid("fraud-due").name("Payments");
        SingleOutputStreamOperator<FraudLabel> validLabels = null;
        if (labels != null) {
            validLabels = labels.process(new RouteInvalidLabels()).uid("route-invalid-labels")
                    .name("Route invalid labels");
            deadLetters = deadLetters.union(validLabels.getSideOutput(RouteInvalidRecords.DEAD_LETTERS));
            MerchantFeedbackFeatures merchant = MerchantFeedbackFeatures.of(features.fraudCurrentFeatureNames());
            if (cfg.get(JobOptions.FEEDBACK_FEATURES) && !merchant.isEmpty()) {
                payments = withMerchantFeedback(payments, validLabels, merchant, cfg);
            }
        }
        SingleOutputStreamOperator<FraudScore> fraud = AsyncDataStream.unorderedWait(
                        payments, new FraudFunction(runtime), timeoutMs, TimeUnit.MILLISECONDS, capacity)
                .uid("fraud-scoring").name("Fraud (GRU over payments)");
        DataStream<ChurnScore> churn = AsyncDataStream.unorderedWait(
                        closed.filter(c -> c.churnPeriods() != null).uid("churn-due").name("Closed sessions"),
                        new ChurnFunction(runtime), timeoutMs, TimeUnit.MILLISECONDS, capacity)
                .uid("churn-scoring").name("Churn (GRU over periods)");

        Pseudonymizer pseudonyms = Pseudonymizer.fromConfig(cfg); // fails here, at submission, without a key
        DataStream<FraudAlert> alerts = fraud.filter(FraudScore::isAlert).uid("fraud-threshold").name("Over threshold")
                .map(f -> Decisions.alert(f, System.currentTimeMillis(), pseudonyms)).uid("fraud-alerts")
                .name("Fraud alerts");
        SingleOutputStreamOperator<SegmentChange> segmentChanges = churn
                .keyBy(c -> c.session().userId())
                .process(new SegmentTracker(SegmentRules.fromJson(new String(
                        new ModelSource(runtime.modelsDir()).read("segments.json"), StandardCharsets.UTF_8)),
                        cfg.get(JobOptions.SEGMENTS_RETENTION)))
                .uid("segment-tracker").name("Segments");
        DataStream<UserScoreUpdate> scoreUpdates = intent.map(Decisions::intent).uid("intent-to-hash").name("Intent scores")
                .union(fraud.map(Decisions::fraud).uid("fraud-to-hash").name("Fraud scores"),
                        churn.map(Decisions::churn).uid("churn-to-hash").name("Churn scores"),
                        segmentChanges.filter(c -> c.to() != null).uid("segment-entered").name("Segment entered")
                                .map(Decisions::segment).uid("segment-to-hash").name("Segment to score hash"));
        DataStream<SegmentCount> segmentCounts = segmentChanges
                .flatMap(new SegmentDeltas()).uid("segment-deltas").name("Segment deltas")
                .keyBy(SegmentDelta::segment)
                .process(new SegmentCounter()).uid("segment-counts").name("Users per segment");
        DataStream<KpiWindow> kpis = kpiWindows(updates, closed, fraud, cfg);

        DataStream<AlertQuality> quality = null;
        if (validLabels != null) {
            SingleOutputStreamOperator<QualityDelta> deltas = fraud
                    .keyBy(f -> f.scored().update().event().eventId())
                    .connect(validLabels.keyBy(FraudLabel::eventId))
                    .process(new AlertQualityTracker(cfg.get(JobOptions.OUTCOME_TTL)))
                    .uid("alert-quality-join").name("Join labels with scored payments");
            deadLetters = deadLetters.union(deltas.getSideOutput(AlertQualityTracker.REJECTED_LABELS));
            quality = deltas.keyBy(QualityDelta::modelVersion)
                    .process(new AlertQualityAggregator())
                    .uid("alert-quality").name("Alert quality per model version");
        }

        return new Outputs(updates, closed, deadLetters, intent, recommendations, fraud, alerts, scoreUpdates,
                quality, recoAb, segmentCounts, kpis);
    }

    /**
     * Recommendation feedback: each user's lists and reco_clicks/orders meet in one task (keyed by userId)
     * for attribution, then the per-version deltas are summed (keyed by model version).
     */
    private static DataStream<RecoAbTotals> recoFeedback(DataStream<Recommendation> recommendations,
            DataStream<ShopEvent> events, JobConfig cfg) {
        return recommendations.keyBy(Recommendation::userId)
                .connect(events.filter(RecoFeedbackTracker::isFeedback).uid("reco-feedback-events")
                        .name("Reco clicks and orders").keyBy(ShopEvent::userId))
                .process(new RecoFeedbackTracker(cfg.get(JobOptions.RECO_ATTRIBUTION_WINDOW),
                        cfg.get(JobOptions.RECO_ATTRIBUTION_LISTS)))
                .uid("reco-attribution").name("Attribute clicks and orders to recommendation lists")
                .keyBy(RecoDelta::modelVersion)
                .process(new RecoAbAggregator())
                .uid("reco-ab").name("Recommendation A/B per model version");
    }

    /**
     * Shop-wide KPIs in event-time windows (README "Live KPIs"): every event, every ended session and every
     * fraud-scored payment is a fact. Facts are summed into panes where they arise (chained, in memory, up to
     * the next watermark), and each window spec then runs as one keyed task over those panes. Windows settle
     * for session.gap past their end, until every session that ended in them has closed.
     */
    private static DataStream<KpiWindow> kpiWindows(DataStream<SessionUpdate> updates, DataStream<SessionClosed> closed,
            DataStream<FraudScore> fraud, JobConfig cfg) {
        Duration settle = cfg.get(JobOptions.SESSION_GAP);
        Duration tumbling = cfg.get(JobOptions.KPI_TUMBLING);
        List<KpiSpec> specs = new ArrayList<>(List.of(KpiSpec.of(tumbling, tumbling, settle)));
        if (cfg.getOptional(JobOptions.KPI_SLIDING).isPresent()) {
            KpiSpec sliding = KpiSpec.of(cfg.get(JobOptions.KPI_SLIDING),
                    cfg.get(JobOptions.KPI_SLIDING_STEP), settle);
            if (sliding.name().equals(specs.get(0).name())) {
                throw new IllegalArgumentException("kpi.sliding and kpi.tumbling must differ in size");
            }
            specs.add(sliding);
        }
        String names = specs.stream().map(KpiSpec::name).collect(Collectors.joining(", "));
        TypeInformation<KpiPane> paneType = TypeInformation.of(KpiPane.class);
        DataStream<KpiPane> panes = updates.map(KpiFact::event).uid("kpi-event-facts").name("KPI facts: events")
                .transform("KPI panes: events", paneType, new KpiPaneCombiner(specs)).uid("kpi-event-panes")
                .union(closed.map(KpiFact::sessionEnd).uid("kpi-session-facts").name("KPI facts: sessions")
                                .transform("KPI panes: sessions", paneType, new KpiPaneCombiner(specs))
                                .uid("kpi-session-panes"),
                        fraud.map(KpiFact::fraudScored).uid("kpi-payment-facts").name("KPI facts: payments")
                                .transform("KPI panes: payments", paneType, new KpiPaneCombiner(specs))
                                .uid("kpi-payment-panes"));
        return panes.keyBy(p -> p.window)
                .process(new KpiWindows(specs))
                .uid("kpi-windows").name("KPI windows (" + names + ")");
    }

    /**
     * Payments with a merchant are keyed by it and joined with that merchant's confirmed-fraud labels;
     * payments without one skip the join (their feedback features stay 0, as in training).
     */
    private static DataStream<ScoredEvent> withMerchantFeedback(DataStream<ScoredEvent> payments,
            DataStream<FraudLabel> labels, MerchantFeedbackFeatures merchant, JobConfig cfg) {
        DataStream<ScoredEvent> withMerchant = payments.filter(ShopSenseJob::hasMerchant)
                .uid("payments-with-merchant").name("Payments with a merchant");
        DataStream<ScoredEvent> withoutMerchant = payments.filter(s -> !hasMerchant(s))
                .uid("payments-without-merchant").name("Payments without a merchant");
        DataStream<ScoredEvent> enriched = withMerchant
                .keyBy(s -> s.update().event().merchantId())
                .connect(labels.filter(l -> l.fraud() && l.hasMerchant()).uid("fraud-labels-with-merchant")
                        .name("Confirmed fraud with a merchant")
                        .keyBy(FraudLabel::merchantId))
                .process(new MerchantRiskEnricher(merchant, cfg.get(JobOptions.MERCHANT_STATE_TTL),
                        cfg.get(JobOptions.FEEDBACK_SLACK), cfg.get(JobOptions.MAX_LABELS_PER_MERCHANT)))
                .uid("merchant-fraud-feedback").name("Merchant fraud feedback");
        return enriched.union(withoutMerchant);
    }

    private static boolean hasMerchant(ScoredEvent s) {
        String m = s.update().event().merchantId();
        return m != null && !m.isEmpty();
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
     * What both sources share: brokers, group, start, read_committed, bounded replay or partition discovery,
     * then the kafka.properties.* pass-through (security, tuning).
     */
    private static <T> KafkaSource<T> kafkaSource(JobConfig cfg, KafkaSourceBuilder<T> b) {
        b.setBootstrapServers(cfg.get(JobOptions.KAFKA_BOOTSTRAP))
                .setGroupId(cfg.get(JobOptions.KAFKA_GROUP))
                .setStartingOffsets(startingOffsets(cfg.get(JobOptions.STARTING_OFFSETS).toString()))
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

    private static OffsetsInitializer startingOffsets(String mode) {
        return switch (mode.trim()) {
            case "earliest" -> OffsetsInitializer.earliest();
            case "latest" -> OffsetsInitializer.latest();
            case "committed" -> OffsetsInitializer.committedOffsets(
                    org.apache.kafka.clients.consumer.OffsetResetStrategy.EARLIEST);
            default -> throw new IllegalArgumentException("kafka.starting-offsets must be committed, earliest or latest");
        };
    }

    /** Per-partition watermarks from the events' own time; dead letters never move the watermark. */
    public static WatermarkStrategy<ParsedRecord> watermarks(JobConfig cfg) {
        return WatermarkStrategy.<ParsedRecord>forBoundedOutOfOrderness(cfg.get(JobOptions.OUT_OF_ORDERNESS))
                .withTimestampAssigner((r, kafkaTs) -> r.isValid() ? r.event().timestampMs() : Long.MIN_VALUE)
                .withIdleness(cfg.get(JobOptions.IDLENESS));
    }

    public static void attachSinks(Outputs outputs, JobConfig cfg) {
        outputs.recommendations().sinkTo(RedisSink.recommendations(cfg)).uid("sink-redis-reco").name("Redis recommendations");
        outputs.scoreUpdates().sinkTo(RedisSink.scores(cfg)).uid("sink-redis-scores").name("Redis user scores");
        outputs.alerts().sinkTo(RedisSink.alerts(cfg)).uid("sink-redis-alerts").name("Redis latest alerts");
        outputs.alerts().sinkTo(FraudAlertSink.create(cfg)).uid("sink-fraud-alerts").name("Kafka fraud alerts");
        outputs.deadLetters()
                .sinkTo(KafkaSinks.create(cfg, "dlq", new DeadLetterSerializer(cfg.get(JobOptions.TOPIC_DLQ))))
                .uid("sink-dlq")
                .name("Kafka DLQ");
        outputs.closedSessions()
                .sinkTo(KafkaSinks.create(cfg, "sessions",
                        new JsonKafkaSerializer<SessionClosed>(cfg.get(JobOptions.TOPIC_SESSIONS), SessionClosed::userId)))
                .uid("sink-sessions")
                .name("Kafka closed sessions");
        RedisSettings redis = RedisSettings.fromConfig(cfg);
        outputs.recoAb().sinkTo(RedisSink.recoAb(redis, cfg.get(JobOptions.REDIS_RECO_AB_TTL).toMillis()))
                .uid("sink-redis-reco-ab").name("Redis recommendation A/B");
        outputs.segmentCounts().sinkTo(RedisSink.segmentCounts(redis)).uid("sink-redis-segments")
                .name("Redis users per segment");
        outputs.kpis().sinkTo(RedisSink.kpis(redis, cfg.get(JobOptions.REDIS_KPI_RETENTION).toMillis()))
                .uid("sink-redis-kpi").name("Redis KPI windows");
        if (outputs.alertQuality() != null) {
            outputs.alertQuality()
                    .sinkTo(RedisSink.alertQuality(redis, cfg.get(JobOptions.REDIS_QUALITY_TTL).toMillis()))
                    .uid("sink-redis-quality").name("Redis alert quality");
        }
    }
}
