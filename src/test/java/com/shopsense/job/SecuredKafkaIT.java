package com.shopsense.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.shopsense.config.JobConfig;
import com.shopsense.config.JobOptions;
import com.shopsense.event.EventLimits;
import com.shopsense.event.ShopEvent;
import com.shopsense.testing.FlinkTestConfig;
import com.shopsense.testing.KafkaTestClient;
import com.shopsense.testing.LogCapture;
import com.shopsense.testing.PipelineRun;
import com.shopsense.testing.ReplayFixture;
import com.shopsense.testing.SelfSignedTls;
import com.shopsense.testing.SharedRedis;
import com.shopsense.testing.TestTopics;
import com.shopsense.tools.local.KafkaBrokerProcess;
import com.shopsense.tools.local.SaslSslListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job against a broker that, like a managed one, wants TLS and SASL/SCRAM: every source, sink and admin
 * client must carry the kafka.properties.* settings (the listener refuses anything else, see the controls),
 * the secrets come from files, and bad credentials stop the job at start-up with a message that says so.
 */
@ExtendWith(SharedRedis.class)
class SecuredKafkaIT {
    @RegisterExtension
    static final MiniClusterExtension FLINK = FlinkTestConfig.miniCluster(1, 2);

    private static final String MECHANISM = "SCRAM-SHA-256";
    private static final String PASSWORD = "alice0Secret0Pw";
    private static final String WRONG_PASSWORD = "notAlicesPw42";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    private static KafkaBrokerProcess broker;
    private static SaslSslListener listener;
    private static SelfSignedTls tls;

    @BeforeAll
    static void startSecuredBroker() throws Exception {
        tls = SelfSignedTls.create(dir.resolve("tls"), "storePw1234");
        listener = new SaslSslListener(tls.keyStore(), tls.password(), MECHANISM, "alice", PASSWORD);
        broker = KafkaBrokerProcess.start(dir.resolve("kafka"), listener);
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (broker != null) {
            broker.close();
        }
    }

    /** A file holding {@code content}, for a file: reference. */
    private static String secretFile(String name, String content) throws Exception {
        Path f = dir.resolve("secrets").resolve(name);
        Files.createDirectories(f.getParent());
        Files.writeString(f, content + "\n");
        return "file:" + f;
    }

    /** Job options on the secured listener: what an operator passes for a managed cluster. */
    private static Map<String, String> secured(String password) throws Exception {
        Map<String, String> m = new HashMap<>();
        m.put(JobOptions.KAFKA_BOOTSTRAP.key(), broker.securedBootstrapServers());
        m.put("kafka.properties.security.protocol", "SASL_SSL");
        m.put("kafka.properties.sasl.mechanism", MECHANISM);
        m.put("kafka.properties.sasl.jaas.config", secretFile(password.equals(PASSWORD) ? "jaas" : "jaas-wrong",
                listener.jaasConfig(password)));
        m.put("kafka.properties.ssl.truststore.location", tls.trustStore().toString());
        m.put("kafka.properties.ssl.truststore.type", "PKCS12");
        m.put("kafka.properties.ssl.truststore.password", secretFile("truststore-password", tls.password()));
        return m;
    }

    /** The replay settings of TestTopics.jobConfig, on this test's broker instead of the shared one. */
    private static JobConfig jobConfig(TestTopics t, Map<String, String> kafka) {
        Map<String, String> m = new HashMap<>(kafka);
        m.put(JobOptions.TOPIC_EVENTS.key(), t.events());
        m.put(JobOptions.TOPIC_DLQ.key(), t.dlq());
        m.put(JobOptions.TOPIC_SESSIONS.key(), t.sessions());
        m.put(JobOptions.PUBLISH_SESSIONS.key(), "true");
        m.put(JobOptions.TOPIC_ALERTS.key(), t.alerts());
        m.put(JobOptions.TOPIC_LABELS.key(), t.labels());
        m.put(JobOptions.TOPIC_RULES.key(), t.rules());
        m.put(JobOptions.TOPIC_ACTIONS.key(), t.actions());
        m.put(JobOptions.KAFKA_GROUP.key(), t.group());
        m.put(JobOptions.TRANSACTIONAL_ID_PREFIX.key(), t.group());
        m.put(JobOptions.STARTING_OFFSETS.key(), "earliest");
        m.put(JobOptions.BOUNDED.key(), "true");
        m.put(JobOptions.REDIS_NODES.key(), SharedRedis.server().address());
        m.put(JobOptions.REDIS_KEY_PREFIX.key(), t.redisPrefix());
        m.put(JobOptions.PSEUDONYMIZATION_DEV_KEY.key(), "true");
        m.put(JobOptions.IDLENESS.key(), "10 min");
        m.put(JobOptions.OUT_OF_ORDERNESS.key(), "10 min");
        return JobConfig.of(m);
    }

    @Test
    void theJobRunsEndToEndOverSaslSsl() throws Exception {
        ReplayFixture fixture = ReplayFixture.taobaoWithPayments(6_000, 6);
        TestTopics topics = TestTopics.fresh("secured");
        JobConfig cfg = jobConfig(topics, secured(PASSWORD));
        KafkaTestClient kafka = KafkaTestClient.of(cfg);
        kafka.createTopics(2, topics.allTopics());
        kafka.produce(topics.events(), fixture.records);

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(
                FlinkTestConfig.rocksDbWithCheckpoints(dir.resolve("flink"), Duration.ofMillis(300)));
        env.setParallelism(2);
        try (LogCapture logs = new LogCapture()) {
            ShopSenseJob.startUp(env, cfg); // as main: options logged, pre-flight check passes, graph built
            env.execute("secured-kafka-it");
            assertNoSecretIn(logs.text());
        }

        PipelineRun.Outcome out = PipelineRun.read(cfg);
        assertThat(out.sessions()).as("closed sessions (Kafka sink)")
                .hasSize((int) fixture.expectedSessions(Duration.ofMinutes(30)));
        assertThat(out.sessionEvents()).isEqualTo(fixture.validEventCount());
        assertThat(out.deadLetters()).as("dead letters (Kafka sink)")
                .hasSize(fixture.malformed.size() + (int) fixture.invalidTimestampCount());
        assertThat(out.alertIds()).as("fraud alerts (transactional Kafka sink)").isNotEmpty().doesNotHaveDuplicates();
        Set<String> alertedUsers = kafka.readAllCommitted(topics.alerts()).stream().map(r -> userOf(r.value()))
                .collect(Collectors.toSet());
        for (String user : alertedUsers) {
            assertThat(out.redis()).as("Redis alerts of %s", user).containsKey(":{" + user + "}:alerts");
        }
        long usersWithScores = out.redis().keySet().stream().filter(k -> k.endsWith("}:scores")).count();
        assertThat(usersWithScores).as("users scored in Redis")
                .isEqualTo(fixture.events.stream().filter(e -> e.timestampMs() >= EventLimits.YEAR_2000_MS)
                        .map(ShopEvent::userId).distinct().count());
    }

    private static String userOf(byte[] alert) {
        try {
            return JSON.readTree(alert).get("userId").asText();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aWrongPasswordStopsTheJobAtStartUpNamingAuthenticationAndTheSetting() throws Exception {
        // The job's real entry point, with the arguments an operator would pass.
        String[] args = jobConfig(TestTopics.fresh("wrong-pw"), secured(WRONG_PASSWORD)).asMap().entrySet().stream()
                .flatMap(e -> java.util.stream.Stream.of("--" + e.getKey(), e.getValue())).toArray(String[]::new);
        long start = System.nanoTime();
        LogCapture logs = new LogCapture();
        try (logs) {
            assertThatThrownBy(() -> ShopSenseJob.main(args))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("Kafka authentication failed for kafka.bootstrap-servers="
                            + broker.securedBootstrapServers() + " (security.protocol=SASL_SSL, SASL SCRAM-SHA-256)")
                    .hasMessageContaining("check kafka.properties.sasl.jaas.config")
                    .hasCauseInstanceOf(SaslAuthenticationException.class)
                    .satisfies(e -> {
                        for (Throwable c = e; c != null; c = c.getCause()) {
                            assertThat(String.valueOf(c.getMessage())).doesNotContain(WRONG_PASSWORD, PASSWORD);
                        }
                    });
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("fails fast").isLessThan(Duration.ofSeconds(60));
        assertNoSecretIn(logs.text());
    }

    /**
     * The passwords appear nowhere in what was logged. Not vacuous: the capture holds the Kafka clients' own
     * dumps of their configuration (which hide passwords) and the job's option listing (which shows references).
     */
    private static void assertNoSecretIn(String logged) {
        assertThat(logged).contains("sasl.jaas.config = [hidden]")
                .contains("kafka.properties.sasl.jaas.config=file:")
                .doesNotContain(PASSWORD, WRONG_PASSWORD, tls.password());
    }

    @Test
    void controlsTheListenerRefusesPlaintextAndUntrustedTls() throws Exception {
        Map<String, String> plaintext = Map.of(JobOptions.KAFKA_BOOTSTRAP.key(), broker.securedBootstrapServers(),
                JobOptions.KAFKA_PREFLIGHT_TIMEOUT.key(), "3 s");
        assertThatThrownBy(() -> KafkaPreflight.check(jobConfig(TestTopics.fresh("plain"), plaintext)))
                .hasMessageContaining("Kafka did not answer at kafka.bootstrap-servers=" + broker.securedBootstrapServers()
                        + " (security.protocol=PLAINTEXT) within 3 s");

        Map<String, String> untrusted = new HashMap<>(secured(PASSWORD));
        untrusted.keySet().removeIf(k -> k.startsWith("kafka.properties.ssl.truststore."));
        assertThatThrownBy(() -> KafkaPreflight.check(jobConfig(TestTopics.fresh("untrusted"), untrusted)))
                .hasMessageStartingWith("Kafka TLS handshake failed for kafka.bootstrap-servers=")
                .hasCauseInstanceOf(SslAuthenticationException.class);

        // ... and the plaintext listener of the same broker works without any of it (the controls are not vacuous),
        // once the fraud rules topic exists: without it payments would wait for the rules for ever.
        TestTopics ok = TestTopics.fresh("plain-ok");
        JobConfig plainOk = jobConfig(ok, Map.of(JobOptions.KAFKA_BOOTSTRAP.key(), broker.bootstrapServers()));
        assertThatThrownBy(() -> KafkaPreflight.check(plainOk))
                .hasMessageStartingWith("the fraud rules topic '" + ok.rules() + "' (kafka.topic.fraud-rules) does not exist");
        KafkaTestClient.of(plainOk).createTopics(1, ok.rules());
        KafkaPreflight.check(plainOk);
    }
}
