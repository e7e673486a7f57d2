package com.shopsense.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobConfigTest {
    @Test
    void argumentsOverrideThePropertiesFileWhichOverridesDefaults(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("job.properties");
        Files.writeString(file, "session.gap=10 min\nkafka.topic.events=from-file\n");
        JobConfig c = JobConfig.fromArgs(new String[] {"--kafka.topic.events", "from-args", "--config", file.toString()});
        assertThat(c.get(JobOptions.TOPIC_EVENTS)).isEqualTo("from-args");
        assertThat(c.sessionConfig().gap()).isEqualTo(Duration.ofMinutes(10));
        assertThat(c.get(JobOptions.TOPIC_DLQ)).isEqualTo(JobOptions.TOPIC_DLQ.defaultValue());
    }

    @Test
    void unknownOptionsAndInconsistentSettingsAreRejected() {
        assertThatThrownBy(() -> JobConfig.fromArgs(new String[] {"--session.gapp", "1 min"}))
                .hasMessageContaining("session.gapp");
        assertThatThrownBy(() -> JobConfig.of(java.util.Map.of("session.gap", "1 s")).sessionConfig())
                .hasMessageContaining("out-of-orderness");
    }

    @Test
    void valuesAreTypedAndDurationsTakeTheSpellingsOfTheDocs() {
        JobConfig c = JobConfig.of(Map.of("session.gap", "45 min", "profile.ttl", "90 d", "session.allowed-lateness",
                "0 s", "event.max-future-skew", " 2 h ", "session.kept-items", " 12", "kafka.bounded", "TRUE ",
                "event.max-amount", "2.5e3", "kafka.topic.events", " spaced "));
        assertThat(c.get(JobOptions.SESSION_GAP)).isEqualTo(Duration.ofMinutes(45));
        assertThat(c.get(JobOptions.PROFILE_TTL)).isEqualTo(Duration.ofDays(90));
        assertThat(c.get(JobOptions.ALLOWED_LATENESS)).isEqualTo(Duration.ZERO);
        assertThat(c.get(JobOptions.MAX_FUTURE_SKEW)).isEqualTo(Duration.ofHours(2));
        assertThat(c.get(JobOptions.KEPT_ITEMS)).isEqualTo(12);
        assertThat(c.get(JobOptions.BOUNDED)).isTrue();
        assertThat(c.get(JobOptions.MAX_AMOUNT)).isEqualTo(2500.0);
        assertThat(c.get(JobOptions.TOPIC_EVENTS)).isEqualTo(" spaced "); // text is taken as given
        assertThat(c.get(JobOptions.SESSION_MAX_DURATION)).isEqualTo(Duration.ofHours(4));
    }

    @Test
    void enumOptionsAcceptTheirSpellingsInAnyCase() {
        for (String s : new String[] {"exactly-once", "EXACTLY_ONCE", "exactly_once", " Exactly-Once "}) {
            assertThat(JobConfig.of(Map.of("kafka.delivery-guarantee", s)).get(JobOptions.DELIVERY_GUARANTEE))
                    .as(s).isEqualTo(DeliveryGuarantee.EXACTLY_ONCE);
        }
        assertThat(JobConfig.of(Map.of("kafka.delivery-guarantee", "at-least-once")).get(JobOptions.DELIVERY_GUARANTEE))
                .isEqualTo(DeliveryGuarantee.AT_LEAST_ONCE);
        assertThat(JobConfig.of(Map.of("kafka.starting-offsets", "earliest")).get(JobOptions.STARTING_OFFSETS))
                .isEqualTo(JobOptions.StartingOffsets.EARLIEST);
        assertThat(JobConfig.of(Map.of("redis.mode", "Cluster")).get(JobOptions.REDIS_MODE))
                .isEqualTo(JobOptions.RedisMode.CLUSTER);
        assertThat(JobConfig.of(Map.of("inference.provider", "cuda")).runtimeOptions().provider()).isEqualTo("cuda");
        assertThatThrownBy(() -> JobConfig.of(Map.of("kafka.starting-offsets", "newest")))
                .hasMessageContaining("kafka.starting-offsets").hasMessageContaining("'newest'")
                .hasMessageContaining("committed, earliest, latest");
    }

    @Test
    void aValueThatDoesNotParseFailsAtOnceNamingKeyAndValue() {
        assertThatThrownBy(() -> JobConfig.of(Map.of("session.gap", "30 minutes please")))
                .hasMessageContaining("session.gap").hasMessageContaining("'30 minutes please'")
                .hasMessageContaining("duration");
        assertThatThrownBy(() -> JobConfig.of(Map.of("redis.batch-size", "lots")))
                .hasMessageContaining("redis.batch-size").hasMessageContaining("'lots'");
        assertThatThrownBy(() -> JobConfig.of(Map.of("kafka.bounded", "yes")))
                .hasMessageContaining("kafka.bounded").hasMessageContaining("'yes'").hasMessageContaining("true or false");
        assertThatThrownBy(() -> JobConfig.of(Map.of("session.gap", "")).get(JobOptions.SESSION_GAP))
                .hasMessageContaining("session.gap").hasMessageContaining("empty");
    }

    @Test
    void theRecommenderComesFromRecommendModelsDirWhenSetWithTheOtherInferenceOptions() {
        assertThat(JobConfig.of(Map.of("models.dir", "/m")).recommendRuntimeOptions().modelsDir()).isEqualTo("/m");
        // The batchers enforce inference.async-timeout (Async I/O has none): it must reach both runtimes.
        JobConfig timeout = JobConfig.of(Map.of("inference.async-timeout", "7 s", "recommend.models-dir", "/shop/reco"));
        assertThat(timeout.runtimeOptions().answerTimeout()).isEqualTo(java.time.Duration.ofSeconds(7));
        assertThat(timeout.recommendRuntimeOptions().answerTimeout()).isEqualTo(java.time.Duration.ofSeconds(7));
        assertThat(JobConfig.of(Map.of()).runtimeOptions().answerTimeout()).isEqualTo(java.time.Duration.ofSeconds(30));
        assertThat(JobConfig.of(Map.of("models.dir", "/m", "recommend.models-dir", " ")).recommendRuntimeOptions()
                .modelsDir()).isEqualTo("/m");
        JobConfig own = JobConfig.of(Map.of("models.dir", "/m", "recommend.models-dir", "/shop/reco",
                "inference.max-batch", "64"));
        assertThat(own.recommendRuntimeOptions().modelsDir()).isEqualTo("/shop/reco");
        assertThat(own.recommendRuntimeOptions().maxBatch()).isEqualTo(64);
        assertThat(own.runtimeOptions().modelsDir()).as("intent, churn, fraud").isEqualTo("/m");
    }

    @Test
    void optionsWithoutDefaultAndBlankValuesAreEmptyOptionals() {
        JobConfig none = JobConfig.defaults();
        assertThat(none.getOptional(JobOptions.PARALLELISM)).isEmpty();
        assertThat(none.getOptional(JobOptions.REDIS_PASSWORD)).isEmpty();
        assertThat(none.getOptional(JobOptions.KPI_SLIDING)).contains(Duration.ofHours(1));
        assertThat(none.recoSplit().variantBModelsDir()).isEmpty();
        assertThatThrownBy(() -> none.get(JobOptions.PARALLELISM)).hasMessageContaining("job.parallelism");

        JobConfig set = JobConfig.of(Map.of("job.parallelism", " 3 ", "kpi.sliding", "", "redis.user", "",
                "inference.max-batch-per-model", ""));
        assertThat(set.getOptional(JobOptions.PARALLELISM)).isEqualTo(Optional.of(3));
        assertThat(set.getOptional(JobOptions.KPI_SLIDING)).isEmpty(); // "" turns the sliding windows off
        assertThat(set.getOptional(JobOptions.REDIS_USER)).isEmpty();
        assertThat(set.get(JobOptions.MAX_BATCH_PER_MODEL)).isEmpty(); // a blank text option is ""
        assertThat(set.runtimeOptions().maxBatch("recommend")).isEqualTo(256);
        assertThat(JobConfig.of(Map.of("job.parallelism", "")).getOptional(JobOptions.PARALLELISM)).isEmpty();
    }

    @Test
    void theConfigSurvivesJavaSerialization() throws Exception {
        JobConfig c = JobConfig.of(Map.of("session.gap", "10 min", "kafka.properties.security.protocol", "SSL"));
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
            out.writeObject(c);
        }
        try (java.io.ObjectInputStream in = new java.io.ObjectInputStream(
                new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
            JobConfig back = (JobConfig) in.readObject();
            assertThat(back.get(JobOptions.SESSION_GAP)).isEqualTo(Duration.ofMinutes(10));
            assertThat(back.kafkaClientProperties()).containsEntry("security.protocol", "SSL");
        }
    }

    @Test
    void theKafkaPropertiesRowIsAFamilyNotAnOption() {
        assertThatThrownBy(() -> JobConfig.defaults().get(JobOptions.KAFKA_PROPERTIES))
                .hasMessageContaining("kafkaClientProperties");
    }
}
