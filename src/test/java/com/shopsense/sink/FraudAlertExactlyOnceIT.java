package com.shopsense.sink;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.shopsense.config.JobConfig;
import com.shopsense.config.JobOptions;
import com.shopsense.scoring.AlertIds;
import com.shopsense.scoring.FraudAlert;
import com.shopsense.testing.FlinkTestConfig;
import com.shopsense.testing.KafkaTestClient;
import com.shopsense.testing.SharedKafka;
import com.shopsense.testing.TestTopics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fraud alerts through the exactly-once KafkaSink with a forced task failure mid-stream: a
 * read_committed consumer sees every expected alert exactly once.
 */
@ExtendWith(SharedKafka.class)
class FraudAlertExactlyOnceIT {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2)
                    .build());

    private static final int N = 3000;

    @TempDir
    Path tmp;

    /** Payment number i -> an alert for every third payment (the "decision"), deterministic like the real job's. */
    static FraudAlert decide(long i) {
        if (i % 3 != 0) {
            return null;
        }
        String eventId = "pay-" + i;
        return new FraudAlert(AlertIds.of(eventId, "fraud-v1"), "u" + (i % 37), eventId, 0.8 + (i % 20) / 100.0, 0.8,
                "fraud", "fraud-v1", new String[] {"AMOUNT_HIGH", "NEW_DEVICE"}, 1_700_000_000_000L + i * 1000,
                1_700_000_000_000L + i * 1000 + 5, "m" + (i % 5), 100 + i, null, null);
    }

    /** Throws once, at payment {@code at}, unless the flag file exists (so the restarted task goes on). */
    static final class FailOnce implements MapFunction<Long, Long> {
        private final String flag;
        private final long at;

        FailOnce(Path flag, long at) {
            this.flag = flag.toString();
            this.at = at;
        }

        @Override
        public Long map(Long i) throws Exception {
            if (i % 2 == 0) {
                Thread.sleep(1); // pace: the job spans several checkpoints
            }
            if (i == at && !Files.exists(Path.of(flag))) {
                Files.writeString(Path.of(flag), "failed once");
                throw new IllegalStateException("forced failure at payment " + i);
            }
            return i;
        }
    }

    @Test
    void aReadCommittedConsumerSeesEveryAlertExactlyOnceDespiteAFailure() throws Exception {
        TestTopics topics = TestTopics.fresh("alerts");
        String alertsTopic = topics.group() + "-fraud-alerts";
        KafkaTestClient kafka = new KafkaTestClient(SharedKafka.bootstrap());
        kafka.createTopics(2, alertsTopic);
        JobConfig cfg = topics.jobConfig(Map.of(JobOptions.TOPIC_ALERTS.key(), alertsTopic));

        Path flag = tmp.resolve("failed.flag");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(
                FlinkTestConfig.rocksDbWithCheckpoints(tmp.resolve("flink"), Duration.ofMillis(200)));
        env.setParallelism(2);
        List<Long> payments = new ArrayList<>();
        for (long i = 0; i < N; i++) {
            payments.add(i);
        }
        env.fromData(payments).map(new FailOnce(flag, N / 2)).setParallelism(1)
                .flatMap((Long i, org.apache.flink.util.Collector<FraudAlert> out) -> {
                    FraudAlert a = decide(i);
                    if (a != null) {
                        out.collect(a);
                    }
                }).returns(TypeInformation.of(FraudAlert.class))
                .sinkTo(FraudAlertSink.create(KafkaSinkSettings.from(cfg), cfg.get(JobOptions.TOPIC_ALERTS))).name("fraud-alerts");
        env.execute("fraud-alerts-it");
        assertThat(flag).as("the forced failure happened").exists();

        Map<String, FraudAlert> expected = new java.util.HashMap<>();
        for (long i = 0; i < N; i++) {
            FraudAlert a = decide(i);
            if (a != null) {
                expected.put(a.alertId(), a);
            }
        }
        List<ConsumerRecord<byte[], byte[]>> records = kafka.readAllCommitted(alertsTopic);
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> alerts = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            JsonNode n = json.readTree(r.value());
            alerts.add(n);
            assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo(n.get("userId").asText());
        }
        Map<String, Long> counts = alerts.stream()
                .collect(Collectors.groupingBy(n -> n.get("alertId").asText(), Collectors.counting()));
        assertThat(counts.values()).as("no duplicates").allMatch(c -> c == 1);
        assertThat(counts.keySet()).as("no loss, nothing unexpected").isEqualTo(expected.keySet());
        Map<String, JsonNode> byId = alerts.stream().collect(Collectors.toMap(n -> n.get("alertId").asText(),
                Function.identity()));
        FraudAlert sample = expected.get(AlertIds.of("pay-1500", "fraud-v1"));
        JsonNode got = byId.get(sample.alertId());
        assertThat(got.get("eventId").asText()).isEqualTo("pay-1500");
        assertThat(got.get("eventTime").asLong()).isEqualTo(sample.eventTime());
        assertThat(got.get("reasons").get(0).asText()).isEqualTo("AMOUNT_HIGH");
        assertThat(got.get("amount").asDouble()).isEqualTo(sample.amount());
    }
}
