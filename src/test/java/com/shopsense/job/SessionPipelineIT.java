package com.shopsense.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.shopsense.session.SessionClosed;
import com.shopsense.sink.DeadLetterSerializer;
import com.shopsense.testing.Datasets;
import com.shopsense.testing.FlinkTestConfig;
import com.shopsense.testing.KafkaTestClient;
import com.shopsense.testing.ReplayFixture;
import com.shopsense.testing.SharedKafka;
import com.shopsense.testing.SharedRedis;
import com.shopsense.testing.TestTopics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job over a real Kafka broker, RocksDB and checkpoints, on a real Taobao slice plus malformed records:
 * the first 30,000 rows of the bundled demo slice, and (tier -Pdatasets) the whole public slice.
 */
@ExtendWith({SharedKafka.class, SharedRedis.class})
class SessionPipelineIT {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2)
                    .build());

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path checkpoints;

    @Test
    void everyRecordEndsUpInASessionOrTheDeadLetterTopic() throws Exception {
        replayAndCheck(ReplayFixture.taobao(30_000));
    }

    /** All 96,169 rows (two hours), the row with a 1970 timestamp included. */
    @Test
    @Tag(Datasets.TAG)
    void theWholePublicSliceEndsUpInSessionsOrTheDeadLetterTopic() throws Exception {
        ReplayFixture fixture = ReplayFixture.taobao(Datasets.file("taobao-userbehavior/UserBehavior_slice.csv"),
                Integer.MAX_VALUE);
        assertThat(fixture.invalidTimestampCount()).as("the slice's 1970 row").isEqualTo(1);
        replayAndCheck(fixture);
    }

    private void replayAndCheck(ReplayFixture fixture) throws Exception {
        TestTopics topics = TestTopics.fresh("sessions");
        KafkaTestClient kafka = new KafkaTestClient(SharedKafka.bootstrap());
        kafka.createTopics(2, topics.allTopics());
        kafka.produce(topics.events(), fixture.records);

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(
                FlinkTestConfig.rocksDbWithCheckpoints(checkpoints, Duration.ofMillis(300)));
        env.setParallelism(2);
        ShopSenseJob.build(env, topics.jobConfig(Map.of()));
        env.execute("sessions-it");

        List<SessionClosed> sessions = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : kafka.readAllCommitted(topics.sessions())) {
            sessions.add(JSON.readValue(r.value(), SessionClosed.class));
        }
        List<ConsumerRecord<byte[], byte[]>> dlq = kafka.readAllCommitted(topics.dlq());

        assertThat(sessions).hasSize((int) fixture.expectedSessions(Duration.ofMinutes(30)));
        long eventsInSessions = sessions.stream().mapToLong(SessionClosed::eventCount).sum();
        assertThat(eventsInSessions).isEqualTo(fixture.validEventCount());
        assertThat(dlq).hasSize(fixture.malformed.size() + (int) fixture.invalidTimestampCount());
        assertThat(eventsInSessions + dlq.size()).as("valid + rejected = input").isEqualTo(fixture.records.size());

        for (byte[] bad : fixture.malformed) {
            assertThat(dlq).as("dead letter for %s", new String(bad, 0, Math.min(bad.length, 60)))
                    .anySatisfy(r -> assertThat(Arrays.equals(r.value(), bad)).isTrue());
        }
        assertThat(dlq).allSatisfy(r -> {
            assertThat(KafkaTestClient.header(r, DeadLetterSerializer.H_REASON)).isNotBlank();
            assertThat(KafkaTestClient.header(r, DeadLetterSerializer.H_TOPIC)).isEqualTo(topics.events());
            assertThat(Long.parseLong(KafkaTestClient.header(r, DeadLetterSerializer.H_OFFSET))).isNotNegative();
        });
        assertThat(dlq).extracting(r -> KafkaTestClient.header(r, DeadLetterSerializer.H_REASON))
                .anyMatch(reason -> reason.startsWith("payload_too_large"))
                .anyMatch(reason -> reason.startsWith("unknown_type"))
                .anyMatch(reason -> reason.startsWith("ts_out_of_range"));
    }
}
