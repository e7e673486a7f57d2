package com.shopsense.job;

import com.shopsense.config.JobConfig;
import com.shopsense.config.JobOptions;
import com.shopsense.event.DeadLetter;
import com.shopsense.event.LateEventToDeadLetter;
import com.shopsense.event.ParsedRecord;
import com.shopsense.event.RouteInvalidRecords;
import com.shopsense.event.ShopEvent;
import com.shopsense.event.ShopEventDeserializer;
import com.shopsense.session.SessionClosed;
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
            DataStream<DeadLetter> deadLetters) {
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

        SingleOutputStreamOperator<SessionUpdate> updates = events
                .keyBy(ShopEvent::userId)
                .process(new SessionTracker(cfg.sessionConfig()))
                .uid("session-tracker")
                .name("Sessionize");

        DataStream<DeadLetter> late = updates.getSideOutput(SessionTracker.LATE)
                .map(new LateEventToDeadLetter(cfg.get(JobOptions.TOPIC_EVENTS)))
                .uid("late-to-dlq")
                .name("Late events to DLQ");
        DataStream<DeadLetter> deadLetters = events.getSideOutput(RouteInvalidRecords.DEAD_LETTERS).union(late);

        return new Outputs(updates, updates.getSideOutput(SessionTracker.CLOSED), deadLetters);
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
