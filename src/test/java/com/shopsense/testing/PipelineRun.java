package com.shopsense.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.shopsense.config.JobConfig;
import com.shopsense.config.JobOptions;
import com.shopsense.event.ParsedLabel;
import com.shopsense.event.ParsedRecord;
import com.shopsense.job.ShopSenseJob;
import com.shopsense.session.SessionClosed;
import com.shopsense.sink.RedisSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import redis.clients.jedis.UnifiedJedis;

/**
 * The whole job (Kafka source, graph, every sink) as {@code main} wires it, optionally with a test map
 * right after the source (pacing, a forced failure), and what a finished run left in Kafka and Redis.
 */
public final class PipelineRun {
    private static final ObjectMapper JSON = new ObjectMapper();

    private PipelineRun() {
    }

    /** What a run left behind: comparable between an undisturbed and a disturbed run over the same input. */
    public record Outcome(Map<String, String> redis, List<String> alertIds, List<SessionClosed> sessions,
            List<ConsumerRecord<byte[], byte[]>> deadLetters) {

        /** Valid events, each counted once in the session that holds it. */
        public long sessionEvents() {
            return sessions.stream().mapToLong(SessionClosed::eventCount).sum();
        }

        /** Input records accounted for: in a closed session or in the dead-letter topic. */
        public long accounted() {
            return sessionEvents() + deadLetters.size();
        }

        public Set<String> alertSet() {
            return new TreeSet<>(alertIds);
        }
    }

    /** A parallelism-2 environment on the current (MiniCluster) executor with these settings. */
    public static StreamExecutionEnvironment env(Configuration flink) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flink);
        env.setParallelism(2);
        return env;
    }

    /** Submits the job; {@code tap} (may be null) runs on every record between the source and the graph. */
    public static JobClient start(StreamExecutionEnvironment env, JobConfig cfg, MapFunction<ParsedRecord, ParsedRecord> tap,
            String name) throws Exception {
        DataStream<ParsedRecord> records = env
                .fromSource(ShopSenseJob.source(cfg), ShopSenseJob.watermarks(cfg), "Kafka shop-events")
                .uid("kafka-shop-events");
        if (tap != null) {
            records = records.map(tap).uid("test-tap").name("Test tap");
        }
        // The production graph, label feed included: the fault tests cover the label branch too.
        DataStream<ParsedLabel> labels = env
                .fromSource(ShopSenseJob.labelSource(cfg), ShopSenseJob.labelWatermarks(cfg), "Kafka fraud-labels")
                .uid("kafka-fraud-labels");
        ShopSenseJob.attachSinks(ShopSenseJob.defineWorkflow(records, labels, cfg), cfg);
        return env.executeAsync(name);
    }

    /** Reads the outputs of a finished run: alerts, sessions and dead letters read_committed, Redis under its prefix. */
    public static Outcome read(JobConfig cfg) {
        KafkaTestClient kafka = KafkaTestClient.of(cfg);
        List<String> alertIds = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : kafka.readAllCommitted(cfg.get(JobOptions.TOPIC_ALERTS))) {
            alertIds.add(tree(r.value()).get("alertId").asText());
        }
        List<SessionClosed> sessions = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : kafka.readAllCommitted(cfg.get(JobOptions.TOPIC_SESSIONS))) {
            try {
                sessions.add(JSON.readValue(r.value(), SessionClosed.class));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        List<ConsumerRecord<byte[], byte[]>> dlq = kafka.readAllCommitted(cfg.get(JobOptions.TOPIC_DLQ));
        RedisSettings redis = RedisSettings.fromConfig(cfg);
        try (UnifiedJedis client = redis.createClient("dump")) {
            return new Outcome(RedisState.dump(client, redis.keyPrefix()), alertIds, sessions, dlq);
        }
    }

    private static com.fasterxml.jackson.databind.JsonNode tree(byte[] value) {
        try {
            return JSON.readTree(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
