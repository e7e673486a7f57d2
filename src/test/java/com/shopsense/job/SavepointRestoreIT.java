package com.shopsense.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.shopsense.config.JobConfig;
import com.shopsense.event.ParsedRecord;
import com.shopsense.session.SessionClosed;
import com.shopsense.testing.FlinkTestConfig;
import com.shopsense.testing.KafkaTestClient;
import com.shopsense.testing.ReplayFixture;
import com.shopsense.testing.SharedKafka;
import com.shopsense.testing.SharedRedis;
import com.shopsense.testing.TestTopics;
import com.shopsense.testing.Throttle;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Stop with a savepoint mid-stream, restore, and get exactly what an uninterrupted run gets. */
@ExtendWith({SharedKafka.class, SharedRedis.class})
class SavepointRestoreIT {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2)
                    .build());

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static JobClient start(JobConfig cfg, Configuration flinkConf) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flinkConf);
        env.setParallelism(2);
        DataStream<ParsedRecord> records = env
                .fromSource(ShopSenseJob.source(cfg), ShopSenseJob.watermarks(cfg), "Kafka shop-events")
                .uid("kafka-shop-events")
                .map(new Throttle<ParsedRecord>(10, 5)).uid("throttle").name("Throttle"); // the stop lands mid-stream
        ShopSenseJob.attachSinks(ShopSenseJob.defineWorkflow(records, cfg), cfg);
        return env.executeAsync("savepoint-it");
    }

    private static List<SessionClosed> sessions(KafkaTestClient kafka, String topic) throws Exception {
        List<SessionClosed> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : kafka.readAllCommitted(topic)) {
            out.add(JSON.readValue(r.value(), SessionClosed.class));
        }
        return out;
    }

    @Test
    void resultsAfterStopWithSavepointAndRestoreEqualAnUninterruptedRun() throws Exception {
        ReplayFixture fixture = ReplayFixture.taobao(20_000);
        KafkaTestClient kafka = new KafkaTestClient(SharedKafka.bootstrap());
        TestTopics plain = TestTopics.fresh("plain");
        TestTopics interrupted = plain.sameInputFreshOutputs("interrupted");
        kafka.createTopics(2, plain.allTopics());
        kafka.createTopics(2, interrupted.allTopics());
        kafka.produce(plain.events(), fixture.records);

        JobClient uninterrupted = start(plain.jobConfig(Map.of()),
                FlinkTestConfig.rocksDbWithCheckpoints(dir.resolve("run-plain"), Duration.ofMillis(300)));
        uninterrupted.getJobExecutionResult().get(3, TimeUnit.MINUTES);
        List<SessionClosed> expected = sessions(kafka, plain.sessions());

        // Unbounded, as in production: a restored bounded KafkaSource never signals its end (FLINK-31006)
        // and a finished split stops committing offsets, so the interrupted job runs unbounded and is
        // stopped draining once its group has committed the end of the input.
        JobConfig cfg = interrupted.jobConfig(Map.of(com.shopsense.config.JobOptions.BOUNDED.key(), "false"));
        JobClient first = start(cfg, FlinkTestConfig.rocksDbWithCheckpoints(dir.resolve("run-1"), Duration.ofMillis(300)));
        // A committed source offset means a checkpoint completed: every task is running.
        kafka.awaitSomeCommitted(cfg.get(com.shopsense.config.JobOptions.KAFKA_GROUP), Duration.ofMinutes(2));
        assertThat(FlinkTestConfig.hasLiveRocksDb(dir.resolve("run-1"))).as("keyed state lives in RocksDB").isTrue();
        String savepoint = first.stopWithSavepoint(false, dir.resolve("savepoints").toUri().toString(),
                SavepointFormatType.CANONICAL).get(2, TimeUnit.MINUTES);
        List<SessionClosed> beforeStop = sessions(kafka, interrupted.sessions());
        assertThat(beforeStop.size()).as("stopped mid-stream").isLessThan(expected.size());

        Configuration restore = FlinkTestConfig.rocksDbWithCheckpoints(dir.resolve("run-2"), Duration.ofMillis(300));
        restore.setString("execution.state-recovery.path", savepoint);
        // Drain once the restored job has checkpointed the whole input: the final watermark fires every timer.
        JobClient second = start(cfg, restore);
        kafka.awaitCommittedToEnd(cfg.get(com.shopsense.config.JobOptions.KAFKA_GROUP), plain.events(),
                Duration.ofMinutes(3));
        second.stopWithSavepoint(true, dir.resolve("savepoints").toUri().toString(), SavepointFormatType.CANONICAL)
                .get(2, TimeUnit.MINUTES);

        List<SessionClosed> actual = sessions(kafka, interrupted.sessions());
        assertThat(actual).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(kafka.readAllCommitted(interrupted.dlq())).hasSameSizeAs(kafka.readAllCommitted(plain.dlq()));
    }
}
