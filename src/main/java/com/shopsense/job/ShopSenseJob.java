package com.shopsense.job;

import com.shopsense.config.JobConfig;
import com.shopsense.config.JobOptions;
import com.shopsense.event.DeadLetter;
import com.shopsense.event.LateEventToDeadLetter;
import com.shopsense.event.ParsedRecord;
import com.shopsense.event.RouteInvalidRecords;
import com.shopsense.event.ShopEvent;
import com.shopsense.event.ShopEventDeserializer;
import com.shopsense.features.SessionFeatures;
import com.shopsense.inference.ModelSource;
import com.shopsense.inference.RuntimeOptions;
import com.shopsense.scoring.ChurnFunction;
import com.shopsense.scoring.ChurnScore;
import com.shopsense.scoring.Decisions;
import com.shopsense.scoring.FraudAlert;
import com.shopsense.scoring.FraudFunction;
import com.shopsense.scoring.FraudScore;
import com.shopsense.scoring.IntentScoringOperator;
import com.shopsense.scoring.Recommendation;
import com.shopsense.scoring.RecommendFunction;
import com.shopsense.scoring.ScoredEvent;
import com.shopsense.scoring.UserScoreUpdate;
import com.shopsense.session.SessionClosed;
import com.shopsense.sink.FraudAlertSink;
import com.shopsense.sink.Pseudonymizer;
import com.shopsense.sink.RedisSink;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
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
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The ShopSense job. {@link #defineWorkflow} is the graph as a function of its input, so tests feed
 * it any stream and collect its outputs; {@link #main} only wires Kafka and configuration around it.
 */
public final class ShopSenseJob {
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
            DataStream<UserScoreUpdate> scoreUpdates) {
    }

    public static void main(String[] args) throws Exception {
        JobConfig cfg = JobConfig.fromArgs(args);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        build(env, cfg);
        env.execute("ShopSense");
    }

    /** Source, graph and sinks on the given environment (main, the local run and cluster tests share it). */
    public static Outputs build(StreamExecutionEnvironment env, JobConfig cfg) {
        if (!cfg.get(JobOptions.PARALLELISM).isBlank()) {
            env.setParallelism(cfg.getInt(JobOptions.PARALLELISM));
        }
        DataStream<ParsedRecord> records = env
                .fromSource(source(cfg), watermarks(cfg), "Kafka shop-events")
                .uid("kafka-shop-events");
        Outputs outputs = defineWorkflow(records, cfg);
        attachSinks(outputs, cfg);
        return outputs;
    }

    public static Outputs defineWorkflow(DataStream<ParsedRecord> records, JobConfig cfg) {
        SingleOutputStreamOperator<ShopEvent> events = records
                .process(new RouteInvalidRecords())
                .uid("route-invalid")
                .name("Route invalid records");

        RuntimeOptions runtime = cfg.runtimeOptions();
        SessionFeatures features = new SessionFeatures(new String(
                new ModelSource(runtime.modelsDir()).read("feature_spec.json"), StandardCharsets.UTF_8));
        SingleOutputStreamOperator<SessionUpdate> updates = events
                .keyBy(ShopEvent::userId)
                .process(new SessionTracker(cfg.sessionConfig(), features))
                .uid("session-tracker")
                .name("Sessionize");

        DataStream<DeadLetter> late = updates.getSideOutput(SessionTracker.LATE)
                .map(new LateEventToDeadLetter(cfg.get(JobOptions.TOPIC_EVENTS)))
                .uid("late-to-dlq")
                .name("Late events to DLQ");
        DataStream<DeadLetter> deadLetters = events.getSideOutput(RouteInvalidRecords.DEAD_LETTERS).union(late);

        DataStream<SessionClosed> closed = updates.getSideOutput(SessionTracker.CLOSED);

        SingleOutputStreamOperator<ScoredEvent> intent = updates
                .keyBy(SessionUpdate::userId)
                .transform("Intent (GRU step, micro-batched)", TypeInformation.of(ScoredEvent.class),
                        new IntentScoringOperator(runtime, cfg.getDuration(JobOptions.RECO_MIN_INTERVAL)))
                .uid("intent-scoring");

        long timeoutMs = cfg.getDuration(JobOptions.ASYNC_TIMEOUT).toMillis();
        int capacity = cfg.getInt(JobOptions.ASYNC_CAPACITY);
        DataStream<Recommendation> recommendations = AsyncDataStream.unorderedWait(
                        intent.filter(ScoredEvent::refreshRecommendations).uid("reco-due").name("Recommendation due"),
                        new RecommendFunction(runtime), timeoutMs, TimeUnit.MILLISECONDS, capacity)
                .uid("recommend-scoring").name("Recommend (Transformer + TopK)");
        SingleOutputStreamOperator<FraudScore> fraud = AsyncDataStream.unorderedWait(
                        intent.filter(s -> s.update().isFraudScored()).uid("fraud-due").name("Payments"),
                        new FraudFunction(runtime), timeoutMs, TimeUnit.MILLISECONDS, capacity)
                .uid("fraud-scoring").name("Fraud (GRU over payments)");
        DataStream<ChurnScore> churn = AsyncDataStream.unorderedWait(
                        closed.filter(c -> c.churnPeriods() != null).uid("churn-due").name("Closed sessions"),
                        new ChurnFunction(runtime), timeoutMs, TimeUnit.MILLISECONDS, capacity)
                .uid("churn-scoring").name("Churn (GRU over periods)");

        Pseudonymizer pseudonyms = Pseudonymizer.fromConfig(cfg); // fails here, at submission, without a key
        DataStream<FraudAlert> alerts = fraud.filter(FraudScore::isAlert).uid("fraud-threshold").name("Over threshold")
                .map(f -> Decisions.alert(f, System.currentTimeMillis(), pseudonyms)).uid("fraud-alerts")
                .name("Fraud alerts");
        DataStream<UserScoreUpdate> scoreUpdates = intent.map(Decisions::intent).uid("intent-to-hash").name("Intent scores")
                .union(fraud.map(Decisions::fraud).uid("fraud-to-hash").name("Fraud scores"),
                        churn.map(Decisions::churn).uid("churn-to-hash").name("Churn scores"));

        return new Outputs(updates, closed, deadLetters, intent, recommendations, fraud, alerts, scoreUpdates);
    }

    public static KafkaSource<ParsedRecord> source(JobConfig cfg) {
        KafkaSourceBuilder<ParsedRecord> b = KafkaSource.<ParsedRecord>builder()
                .setBootstrapServers(cfg.get(JobOptions.KAFKA_BOOTSTRAP))
                .setTopics(cfg.get(JobOptions.TOPIC_EVENTS))
                .setGroupId(cfg.get(JobOptions.KAFKA_GROUP))
                .setStartingOffsets(startingOffsets(cfg.get(JobOptions.STARTING_OFFSETS)))
                .setDeserializer(new ShopEventDeserializer(cfg.eventLimits()))
                .setProperty("isolation.level", "read_committed");
        if (cfg.getBoolean(JobOptions.BOUNDED)) {
            b.setBounded(OffsetsInitializer.latest());
        } else {
            b.setProperty("partition.discovery.interval.ms", "60000");
        }
        return b.build();
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
        return WatermarkStrategy.<ParsedRecord>forBoundedOutOfOrderness(cfg.getDuration(JobOptions.OUT_OF_ORDERNESS))
                .withTimestampAssigner((r, kafkaTs) -> r.isValid() ? r.event().timestampMs() : Long.MIN_VALUE)
                .withIdleness(cfg.getDuration(JobOptions.IDLENESS));
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
    }
}
